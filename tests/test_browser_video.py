"""Video cards in a real browser (issue 9): a thread with YouTube, Vimeo and PeerTube links, and
the library with video items, make no request to any other host until the member presses play; play (a real button, by keyboard)
inserts the privacy-enhanced player, sandboxed, with no referrer (YouTube: the bare origin
only), and moves the focus to it. Without JavaScript the card is a plain outgoing link. The player hosts are answered by a
route in the browser, so the test needs no network. Fixtures shared with tests/test_browser.py."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.test_browser import (  # noqa: F401 (shared fixtures; skips without Chromium)
    CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, _foreign_requests, browser, page, recorder,
)

from app.extensions import db  # noqa: E402
from tests.conftest import PASSWORD, World  # noqa: E402
from tests.second_factor import log_in_through_form  # noqa: E402
from tests.served import served_site, site_app  # noqa: E402

MEMBER_EMAIL = "lotte.video@example.org"
YT = "dQw4w9WgXcQ"
PT_UUID = "9c9de5e8-0a1e-484a-b099-e80766180a6d"
PEERTUBE = "tube.example.nl"
PLAYERS = {"www.youtube-nocookie.com", "player.vimeo.com", PEERTUBE}
BODY = (f"Twee filmpjes:\n\n[Rustig ademhalen](https://www.youtube.com/watch?v={YT})\n\n"
        "https://vimeo.com/76979871\n\nMeer op www.nibud.nl.")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    app = site_app(tmp_path_factory.mktemp("browser-video"), PEERTUBE_HOSTS=PEERTUBE)
    world = World(app)
    slug, lead = world.space("video-groep")
    world.accept(world.invite_token(slug, lead, email=MEMBER_EMAIL), display_name="Lotte")
    thread_id = world.thread(slug, lead, title="Filmpjes", body=BODY)
    world.reply(slug, thread_id, lead, f"[Lezing over schulden](https://{PEERTUBE}/w/{PT_UUID})")
    # A card whose stored HTML was tampered with (say, by a bad migration or a database
    # edit): the script must refuse to frame anything but a known player.
    tampered = world.thread(slug, lead, title="Geknoeid", body=f"https://youtu.be/{YT}\n\n"
                            f"https://{PEERTUBE}/w/{PT_UUID}")
    with app.app_context():
        from app.forum.models import Post

        post = db.session.get(Post, world.first_post_id(tampered))
        post.body_html = (
            post.body_html
            .replace("https://www.youtube-nocookie.com/embed/", "https://evil.example/embed/")
            .replace(f"https://{PEERTUBE}/videos/", "https://other.example/videos/"))
        db.session.commit()

    from app.library import service as library

    with world.ctx():
        actor, space = world.actor(lead.user_id), world.space_obj(slug)
        library.add_item(actor, space, kind="video", title="Uitleg over toeslagen",
                         category="videos", url=f"https://youtu.be/{YT}", from_leads=True)
        library.add_item(actor, space, kind="video", title="Lezing", category="videos",
                         url=f"https://{PEERTUBE}/videos/watch/{PT_UUID}")
        library.add_item(actor, space, kind="link", title="Nibud", category="tips",
                         url="https://www.nibud.nl/")

    with served_site(app, "waitress-video") as site:
        yield {**site, "slug": slug, "thread_id": thread_id, "tampered": tampered}


def _answer_players(context, origin: str, answered: list) -> None:
    """Stand in for the internet: a player host gets a tiny page, anything else is refused."""
    def handle(route):
        request = route.request
        host = urlsplit(request.url).hostname
        answered.append((request.url, request.headers.get("referer")))
        if host in PLAYERS:
            route.fulfill(status=200, content_type="text/html",
                          body="<!doctype html><title>speler</title><p>speler</p>")
        else:
            route.abort()
    context.route(re.compile(rf"^(?!http://{re.escape(origin)}/)"), handle)


def _log_in(page, base: str) -> None:
    log_in_through_form(page, base, MEMBER_EMAIL, PASSWORD)
    page.wait_for_url(f"{base}/")


_LOADED = """() => Array.from(document.querySelectorAll(
    'img, script[src], link[href], iframe, source, video, audio, embed, object'))
  .map(e => e.src || e.href || e.data || e.currentSrc || '')"""


@pytest.mark.browser
def test_thread_with_videos_contacts_no_other_host_until_play(site, page, recorder):
    from playwright.sync_api import expect

    base, origin = site["base"], site["origin"]
    answered: list = []
    _answer_players(page.context, origin, answered)
    _log_in(page, base)
    page.goto(f"{base}/s/{site['slug']}/t/{site['thread_id']}?page=1")
    page.wait_for_load_state("networkidle")

    cards = page.locator("figure.video-card")
    expect(cards).to_have_count(3)
    expect(page.locator("iframe")).to_have_count(0)
    expect(cards.first.locator(".video-notice")).to_have_text(
        "Als je op afspelen klikt, maakt je browser verbinding met YouTube.")
    for index in range(3):
        expect(cards.nth(index).locator("button.video-play")).to_be_visible()
        expect(cards.nth(index).locator("img.video-placeholder")).to_be_visible()
    # Every resource the page loaded, by the DOM and by the network, is this server's.
    loaded = page.evaluate(_LOADED)
    assert loaded and all(url.startswith(f"{base}/") for url in loaded), loaded
    assert any(url.endswith("/static/img/video.svg") for url in recorder.requests)
    assert _foreign_requests(recorder.requests, origin) == [], recorder.requests
    assert answered == []

    # Play with the keyboard: the button is a real button, Enter presses it.
    youtube = cards.first
    youtube.locator("button.video-play").focus()
    page.keyboard.press("Enter")
    frame = youtube.locator("iframe")
    expect(frame).to_have_count(1)
    expect(frame).to_have_attribute("src", f"https://www.youtube-nocookie.com/embed/{YT}")
    expect(frame).to_have_attribute("title", "Rustig ademhalen")
    # YouTube's player refuses to play without a referrer (error 153): it gets the bare origin,
    # never the page's path (which names the group and the conversation).
    expect(frame).to_have_attribute("referrerpolicy", "strict-origin")
    expect(frame).to_have_attribute("allow", "fullscreen; picture-in-picture")
    expect(frame).to_have_attribute("sandbox", "allow-scripts allow-same-origin allow-presentation")
    expect(youtube.locator("button.video-play")).to_be_hidden()
    expect(youtube.locator("img.video-placeholder")).to_have_count(0)
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"
    page.wait_for_load_state("networkidle")
    foreign = _foreign_requests(recorder.requests, origin)
    assert foreign == [f"https://www.youtube-nocookie.com/embed/{YT}"], foreign
    assert answered == [(f"https://www.youtube-nocookie.com/embed/{YT}", f"{base}/")]

    # Vimeo and PeerTube by mouse: the do-not-track player and the player without P2P.
    cards.nth(1).locator("button.video-play").click()
    expect(cards.nth(1).locator("iframe")).to_have_attribute(
        "src", "https://player.vimeo.com/video/76979871?dnt=1")
    expect(cards.nth(1).locator("iframe")).to_have_attribute("title", "Video")
    expect(cards.nth(1).locator("iframe")).to_have_attribute("referrerpolicy", "no-referrer")
    cards.nth(2).locator("button.video-play").click()
    expect(cards.nth(2).locator("iframe")).to_have_attribute(
        "src", f"https://{PEERTUBE}/videos/embed/{PT_UUID}?p2p=0")
    page.wait_for_load_state("networkidle")
    hosts = {urlsplit(url).hostname for url in _foreign_requests(recorder.requests, origin)}
    assert hosts == PLAYERS
    # Vimeo and PeerTube learn nothing about the page: no referrer at all.
    assert [referrer for url, referrer in answered[1:]] == [None, None], answered
    assert recorder.csp_violations == [], recorder.csp_violations


@pytest.mark.browser
def test_without_javascript_a_video_card_is_a_plain_outgoing_link(site, browser):
    from playwright.sync_api import expect

    base, origin = site["base"], site["origin"]
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    requests: list[str] = []
    answered: list = []
    _answer_players(context, origin, answered)
    page = context.new_page()
    page.on("request", lambda request: requests.append(request.url))
    try:
        _log_in(page, base)
        page.goto(f"{base}/s/{site['slug']}/t/{site['thread_id']}?page=1")
        card = page.locator("figure.video-card").first
        expect(card.locator("button.video-play")).to_be_hidden()
        link = card.locator("a.video-link")
        expect(link).to_be_visible()
        expect(link).to_have_attribute("href", f"https://www.youtube.com/watch?v={YT}")
        expect(link).to_have_attribute("rel", re.compile(r"\bnoopener\b.*\bnoreferrer\b"))
        expect(card).to_contain_text("maakt je browser verbinding met YouTube")
        page.wait_for_load_state("networkidle")
        assert _foreign_requests(requests, origin) == [] and answered == []
    finally:
        context.close()


@pytest.mark.browser
def test_script_frames_no_host_but_the_known_players(site, page, recorder):
    from playwright.sync_api import expect

    base, origin = site["base"], site["origin"]
    answered: list = []
    _answer_players(page.context, origin, answered)
    _log_in(page, base)
    page.goto(f"{base}/s/{site['slug']}/t/{site['tampered']}?page=1")
    page.wait_for_load_state("networkidle")
    cards = page.locator("figure.video-card")
    expect(cards).to_have_count(2)
    for index in range(2):
        expect(cards.nth(index).locator("button.video-play")).to_be_hidden()
        expect(cards.nth(index).locator("a.video-link")).to_be_visible()
    # Even a forced click on the hidden button inserts nothing.
    page.evaluate("document.querySelectorAll('button.video-play').forEach(b => b.click())")
    expect(page.locator("iframe")).to_have_count(0)
    assert _foreign_requests(recorder.requests, origin) == [] and answered == []


@pytest.mark.browser
def test_library_with_videos_contacts_no_other_host_until_play(site, page, recorder):
    from playwright.sync_api import expect

    base, origin = site["base"], site["origin"]
    answered: list = []
    _answer_players(page.context, origin, answered)
    _log_in(page, base)
    for path in (f"/s/{site['slug']}/library", f"/s/{site['slug']}/library?kind=video"):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        expect(page.locator("figure.video-card")).to_have_count(2)
        expect(page.locator("iframe")).to_have_count(0)
        loaded = page.evaluate(_LOADED)
        assert loaded and all(url.startswith(f"{base}/") for url in loaded), loaded
    assert _foreign_requests(recorder.requests, origin) == [] and answered == []

    card = page.locator("figure.video-card", has_text="Uitleg over toeslagen")
    card.locator("button.video-play").click()
    expect(card.locator("iframe")).to_have_attribute(
        "src", f"https://www.youtube-nocookie.com/embed/{YT}")
    expect(card.locator("iframe")).to_have_attribute("title", "Uitleg over toeslagen")
    page.wait_for_load_state("networkidle")
    assert _foreign_requests(recorder.requests, origin) == [
        f"https://www.youtube-nocookie.com/embed/{YT}"]
    assert recorder.csp_violations == [], recorder.csp_violations
