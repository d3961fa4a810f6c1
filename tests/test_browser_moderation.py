"""The report control in a real browser (issue 8): a member reaches "melden" under someone
else's message with the keyboard alone, and flagging works with JavaScript switched off,
showing where to get help now. Chromium driven by Playwright against waitress, as in
tests/test_browser.py, whose browser and page fixtures this module shares."""
from __future__ import annotations

import re

import pytest

from tests.test_browser import (  # noqa: F401 (shared fixtures; skips without Chromium)
    CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, browser, page, recorder,
)

from app.extensions import db  # noqa: E402
from tests.conftest import PASSWORD, World  # noqa: E402
from tests.second_factor import log_in_through_form  # noqa: E402
from tests.served import served_site, site_app  # noqa: E402

MEMBER_EMAIL = "fatima.browser@example.org"
WORRYING = "Ik weet niet meer hoe het verder moet."


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    app = site_app(tmp_path_factory.mktemp("browser-moderation"))
    world = World(app)
    slug, lead = world.space("melden-groep")
    author = world.member(slug, lead, name="Sam")
    member = world.accept(world.invite_token(slug, lead, email=MEMBER_EMAIL),
                          display_name="Fatima")
    thread_id = world.thread(slug, lead, title="Hoe gaat het?", body="Vertel maar.")
    post_id = world.reply(slug, thread_id, author, WORRYING)
    world.reply(slug, thread_id, member, "Mijn eigen bericht.")

    with served_site(app, "waitress-moderation") as site:
        yield {**site, "slug": slug, "thread_id": thread_id, "post_id": post_id,
               "member": member}


def _log_in(page, base: str) -> None:
    log_in_through_form(page, base, MEMBER_EMAIL, PASSWORD)
    page.wait_for_url(f"{base}/")


@pytest.mark.browser
def test_report_link_is_reached_by_keyboard_and_flagging_works_without_javascript(
        site, browser, page, recorder):  # noqa: F811
    from playwright.sync_api import expect

    base, slug = site["base"], site["slug"]
    flag_path = f"/s/{slug}/p/{site['post_id']}/flag"
    _log_in(page, base)
    page.goto(f"{base}/s/{slug}/t/{site['thread_id']}?page=1")
    # Only under someone else's message: not under her own (post 3).
    expect(page.locator(f'li#p2 a[href="{flag_path}"]')).to_have_count(1)
    expect(page.locator('li#p3 a[href$="/flag"]')).to_have_count(0)

    # Tab from the top of the page until the report link has the focus, then Enter.
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == flag_path:
            break
    else:
        pytest.fail("the report link was never reached with the Tab key")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}{flag_path}")
    assert recorder.csp_violations == [] and recorder.console_errors == []

    # The same flow with JavaScript switched off.
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    plain = context.new_page()
    try:
        _log_in(plain, base)
        plain.goto(f"{base}{flag_path}")
        help_block = plain.locator(".crisis-help").first
        expect(help_block).to_be_visible()  # shown at once, not after a script runs
        expect(help_block).to_contain_text("0800-0113")
        plain.locator('input[name=reason][value="concern"]').check()
        plain.locator(f'form[action$="{flag_path}"] button[type=submit]').click()
        plain.wait_for_url(re.compile(re.escape(f"{base}{flag_path}") + r"\?sent=1$"))
        expect(plain.locator(".crisis-help").first).to_contain_text("112")
    finally:
        context.close()

    from app.moderation.models import Flag

    with site["app"].app_context():
        flags = db.session.scalars(db.select(Flag)).all()
        assert [(f.reason, f.flagger_id) for f in flags] == [
            ("concern", site["member"].membership_id)]
