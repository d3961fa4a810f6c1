"""A member downloads their data in a real browser: asks (after the password again), watches
the progress while the worker builds it (static/js/export.js reloads the page when it is
ready, no inline script, nothing from another host) and downloads the zip. Chromium driven
by Playwright against waitress, as in tests/test_browser.py."""
from __future__ import annotations

import io
import json
import zipfile

import pytest

from tests.test_browser import (  # noqa: F401 (shared fixtures; skips without Chromium)
    CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, _foreign_requests, browser, page, recorder,
)

from tests.conftest import PASSWORD, World  # noqa: E402
from tests.served import served_site, site_app  # noqa: E402

BODY = "Mijn eigen woorden voor het archief."


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    app = site_app(tmp_path_factory.mktemp("browser-export"))
    world = World(app)
    slug, lead = world.space("export-groep")
    member = world.member(slug, lead, name="Ilse")
    world.thread(slug, member, title="Mijn verhaal", body=BODY)
    with served_site(app, "waitress-export") as site:
        yield {**site, "member": member}


@pytest.mark.browser
def test_member_asks_for_their_data_sees_it_become_ready_and_downloads_it(site, page, recorder):
    from app.exports.builder import build_due_exports

    base, app = site["base"], site["app"]
    page.goto(f"{base}/login")
    form = page.locator('form[action$="/login"]')
    form.locator("input[name=email]").fill(site["member"].email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/account")
    page.get_by_role("link", name="Mijn gegevens downloaden").click()
    page.get_by_role("button", name="Maak een export van mijn gegevens").click()
    # The password again first; then back on the page to ask once more.
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Verder").click()
    page.wait_for_url(f"{base}/account/export")
    page.get_by_role("button", name="Maak een export van mijn gegevens").click()
    page.get_by_text("Wachten op de start").wait_for()
    assert page.get_by_role("link", name="Vernieuwen").is_visible()

    with app.app_context():
        assert build_due_exports() == 1
    # The script notices and reloads the page: the download button appears by itself.
    button = page.get_by_role("button", name="Downloaden")
    button.wait_for()
    with page.expect_download() as info:
        button.click()
    path = info.value.path()
    with zipfile.ZipFile(io.BytesIO(open(path, "rb").read())) as archive:
        data = json.loads(archive.read("data.json"))
        assert {"index.html", "data.json"} <= set(archive.namelist())
    assert [post["text"] for post in data["posts"]] == [BODY]
    assert recorder.console_errors == [] and recorder.csp_violations == []
    assert _foreign_requests(recorder.requests, site["origin"]) == []
