""""Citeer" in a real browser: with JavaScript the quote is marked without a page load (and
can be taken off again); without JavaScript the link opens the reply form with the quote
marked. Either way the reply shows the quote, drawn from the quoted post. Chromium driven
by Playwright against waitress, as in tests/test_browser.py (shared fixtures)."""
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

MEMBER_EMAIL = "noor.browser@example.org"
QUOTED = "Wat mij helpt is elke avond tien minuten opruimen."


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    app = site_app(tmp_path_factory.mktemp("browser-quotes"))
    world = World(app)
    slug, lead = world.space("citeer-groep")
    author = world.member(slug, lead, name="Bram")
    member = world.accept(world.invite_token(slug, lead, email=MEMBER_EMAIL),
                          display_name="Noor")
    thread_id = world.thread(slug, lead, title="Tips", body="Wat helpt jullie?")
    post_id = world.reply(slug, thread_id, author, QUOTED)

    with served_site(app, "waitress-quotes") as site:
        yield {**site, "slug": slug, "thread_id": thread_id, "post_id": post_id}


def _log_in(page, base: str) -> None:
    log_in_through_form(page, base, MEMBER_EMAIL, PASSWORD)
    page.wait_for_url(f"{base}/")


def _quote_of(site, number: int) -> int | None:
    from app.forum.models import Post

    with site["app"].app_context():
        return db.session.scalar(db.select(Post.quote_of_id).where(
            Post.thread_id == site["thread_id"], Post.number == number))


@pytest.mark.browser
def test_quote_works_with_and_without_javascript(site, browser, page, recorder):  # noqa: F811
    from playwright.sync_api import expect

    base, slug, post_id = site["base"], site["slug"], site["post_id"]
    thread_path = f"/s/{slug}/t/{site['thread_id']}?page=1"
    _log_in(page, base)
    page.goto(f"{base}{thread_path}")
    preview, field = page.locator("#quote-preview"), page.locator("input#quote_of")
    expect(preview).to_be_hidden()

    # With JavaScript: no page load, the quote is marked and the text field has the focus.
    page.locator(f'li#p2 a[data-quote="{post_id}"]').click()
    expect(preview).to_be_visible()
    expect(preview).to_contain_text("Bram")
    expect(preview).to_contain_text(QUOTED)
    expect(field).to_have_value(str(post_id))
    assert page.url == f"{base}{thread_path}"
    assert page.evaluate("document.activeElement.name") == "body"
    # Taken off again, then put back on.
    page.locator("#quote-remove").click()
    expect(preview).to_be_hidden()
    expect(field).to_have_value("")
    page.locator(f'li#p2 a[data-quote="{post_id}"]').click()
    page.locator("textarea[name=body]").fill("Goede tip, dat ga ik proberen.")
    page.locator('form[action*="/reply"] button[type=submit]').click()
    page.wait_for_url(re.compile(r"#p3$"))
    expect(page.locator("li#p3 blockquote.quote")).to_contain_text(QUOTED)
    assert _quote_of(site, 3) == post_id
    assert recorder.csp_violations == [] and recorder.console_errors == []

    # Without JavaScript: the link opens the reply form with the quote marked.
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    plain = context.new_page()
    try:
        _log_in(plain, base)
        plain.goto(f"{base}{thread_path}")
        plain.locator(f'li#p2 a[data-quote="{post_id}"]').click()
        plain.wait_for_url(re.compile(rf"quote={post_id}#reply$"))
        expect(plain.locator("#quote-preview")).to_be_visible()
        expect(plain.locator("#quote-preview")).to_contain_text(QUOTED)
        plain.locator("textarea[name=body]").fill("Zonder script lukt het ook.")
        plain.locator('form[action*="/reply"] button[type=submit]').click()
        plain.wait_for_url(re.compile(r"#p4$"))
        expect(plain.locator("li#p4 blockquote.quote")).to_contain_text("Bram")
    finally:
        context.close()
    assert _quote_of(site, 4) == post_id
