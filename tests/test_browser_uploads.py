"""Attachments in a real browser: a member replies with a photo and a PDF through the ordinary
form (multipart, CSRF), the photo shows in the post, the PDF is a download card, the page
loads only from its own origin and the Content-Security-Policy blocks nothing of Kring's."""
from __future__ import annotations

import re

import pytest

from tests.test_browser import (  # noqa: F401  (fixtures)
    CHROMIUM_ARGS, TIMEOUT_MS, _foreign_requests, browser, recorder,
)
from tests.conftest import PASSWORD, World
from tests import uploadfiles as files

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import expect  # noqa: E402

from tests.second_factor import log_in_through_form  # noqa: E402
from tests.served import served_site, site_app  # noqa: E402


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser-uploads")
    app = site_app(folder, UPLOAD_FOLDER=str(folder / "uploads"))
    world = World(app)
    slug, lead = world.space("foto-groep")
    member = world.member(slug, lead, name="Sanne")
    thread_id = world.thread(slug, lead, title="Laat je werkplek zien")
    with served_site(app, "waitress-uploads") as site:
        yield {**site, "slug": slug, "thread_id": thread_id, "member": member,
               "folder": folder}


@pytest.fixture
def page(browser, recorder):  # noqa: F811
    context = browser.new_context(locale="nl-NL", service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("request", lambda request: recorder.requests.append(request.url))
    page.on("console", lambda message: message.type == "error"
            and recorder.console_errors.append(message.text))
    page.expose_function("__kringCspViolation", lambda text: recorder.csp_violations.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        "  window.__kringCspViolation(e.violatedDirective + ' blocked ' + e.blockedURI); });")
    yield page
    context.close()


@pytest.mark.browser
def test_a_member_replies_with_a_photo_and_a_pdf_in_the_browser(site, page, recorder):
    base, slug, thread_id = site["base"], site["slug"], site["thread_id"]
    photo = site["folder"] / "bureau.jpg"
    photo.write_bytes(files.jpeg_with_gps())
    document = site["folder"] / "werkplek.pdf"
    document.write_bytes(files.pdf())

    log_in_through_form(page, base, site["member"].email, PASSWORD)
    expect(page).to_have_url(f"{base}/")

    page.goto(f"{base}/s/{slug}/t/{thread_id}")
    reply = page.locator(f'form[action$="/s/{slug}/t/{thread_id}/reply#reply"]')
    reply.locator("textarea[name=body]").fill("Zo ziet mijn plek eruit")
    reply.locator("input[type=file][name=files]").set_input_files([str(photo), str(document)])
    reply.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"#p2$"))

    post = page.locator("li#p2")
    image = post.locator(".attachment-image img")
    expect(image).to_have_attribute("alt", "bureau.jpg")
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [300, 400]
    card = post.locator(".attachment-file")
    expect(card.locator("a.attachment-name")).to_have_text("werkplek.pdf")
    expect(card).to_contain_text("PDF-document")

    assert not _foreign_requests(recorder.requests, site["origin"]), recorder.requests
    assert recorder.csp_violations == []
    assert recorder.console_errors == []
