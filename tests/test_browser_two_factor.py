"""Two-step login in Chromium, with JavaScript off: a facilitator without it is led to the
setup at login, scans (reads) the QR page drawn on this server, gets the recovery codes,
and logs in again with the app's code; nothing is loaded from another host."""
from __future__ import annotations

import re

import pytest

from tests.test_browser import (  # noqa: F401 (shared fixtures; skips without Chromium)
    CHROMIUM_ARGS, TIMEOUT_MS, Recorder, _foreign_requests, browser,
)

from playwright.sync_api import expect  # noqa: E402

from tests.conftest import PASSWORD, World  # noqa: E402
from tests.second_factor import log_in_through_form  # noqa: E402
from tests.served import served_site, site_app  # noqa: E402


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    app = site_app(tmp_path_factory.mktemp("browser-2fa"))
    world = World(app)
    slug, lead = world.space("twee-stappen")
    with served_site(app, "waitress-2fa") as site:
        yield {**site, "slug": slug, "lead": lead}


@pytest.mark.browser
def test_a_facilitator_sets_up_two_step_login_without_javascript_and_logs_in_with_it(
        site, browser):  # noqa: F811
    import pyotp

    base, lead = site["base"], site["lead"]
    recorder = Recorder()
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("request", lambda request: recorder.requests.append(request.url))

    log_in_through_form(page, base, lead.email, PASSWORD)
    page.goto(f"{base}/s/{site['slug']}/")
    expect(page).to_have_url(f"{base}/account/2fa/setup")  # straight there, no second password
    expect(page.locator(".notice.calm")).to_contain_text("Daarom log je voortaan in met twee stappen")
    expect(page.locator("figure.qr svg")).to_be_visible()
    secret = page.locator("code.secret").inner_text().replace(" ", "")

    code = page.locator("input[name=code]")
    code.fill("000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    page.get_by_role("button", name="Inloggen in twee stappen aanzetten").click()
    expect(page.locator("#code-error")).to_be_visible()  # the message at the field
    page.locator("input[name=code]").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Inloggen in twee stappen aanzetten").click()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"(?:[a-z2-9]{6}-){3}[a-z2-9]{6}", c) for c in codes)

    page.get_by_role("link", name="Ik heb ze bewaard, verder").click()
    expect(page).to_have_url(f"{base}/")
    page.get_by_role("button", name="Uitloggen").click()

    # Logging in again asks for the code; a recovery code works too.
    page.goto(f"{base}/login")
    form = page.locator('form[action$="/login"]')
    form.locator("input[name=email]").fill(lead.email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{base}/login/code")
    page.locator("input[name=code]").fill(codes[0])
    page.locator('form[action$="/login/code"] button[type=submit]').click()
    expect(page).to_have_url(f"{base}/")
    expect(page.locator(".flash")).to_contain_text("herstelcode")
    assert _foreign_requests(recorder.requests, site["origin"]) == []
    context.close()
