"""Videos on real pages: the CSP frames exactly the video players, a post with a video link
shows the click-to-play card, and no page loads anything from another host."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from tests.conftest import csrf_token, login
from tests.test_headers import csp_directives

YT = "dQw4w9WgXcQ"
YOUTUBE = f"https://youtu.be/{YT}"
VIMEO = "https://vimeo.com/76979871"
PT_UUID = "9c9de5e8-0a1e-484a-b099-e80766180a6d"

EXPECTED = {
    "default-src": ["'self'"], "script-src": ["'nonce-*'"], "style-src": ["'self'", "'nonce-*'"],
    "img-src": ["'self'"], "font-src": ["'self'"], "connect-src": ["'self'"],
    "media-src": ["'self'"], "object-src": ["'none'"], "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"], "form-action": ["'self'"],
}


def test_csp_frames_exactly_the_youtube_nocookie_and_vimeo_players(client):
    directives = csp_directives(client.get("/login"))
    assert directives.pop("frame-src") == ["https://www.youtube-nocookie.com",
                                           "https://player.vimeo.com"]
    assert directives == EXPECTED
    assert "child-src" not in directives and "worker-src" not in directives


def test_csp_frames_the_configured_peertube_hosts_too(app, client):
    app.config["PEERTUBE_HOSTS"] = "tube.example.nl, video.example.org"
    directives = csp_directives(client.get("/login"))
    assert directives.pop("frame-src") == [
        "https://www.youtube-nocookie.com", "https://player.vimeo.com",
        "https://tube.example.nl", "https://video.example.org"]
    assert directives == EXPECTED


def test_csp_on_a_thread_page_and_an_error_page_is_the_same(app, client, world):
    slug, lead = world.space()
    thread = world.thread(slug, lead, body=f"https://youtu.be/{YT}")
    login(client, lead)
    for path, status in ((f"/s/{slug}/t/{thread}?page=1", 200), ("/s/nope/", 404)):
        response = client.get(path)
        assert response.status_code == status
        directives = csp_directives(response)
        assert directives.pop("frame-src") == ["https://www.youtube-nocookie.com",
                                               "https://player.vimeo.com"]
        assert directives == EXPECTED


def test_page_tells_the_script_which_peertube_hosts_may_play(app, client):
    app.config["PEERTUBE_HOSTS"] = "tube.example.nl"
    html = client.get("/login").get_data(as_text=True)
    assert re.search(r'<script src="/static/js/video\.js\?v=[0-9a-f]{12}" nonce="[^"]+" '
                     r'data-peertube-hosts="tube\.example\.nl" defer></script>', html)


# --- cards in posts ------------------------------------------------------------------------

class _Resources(HTMLParser):
    """Every URL the browser loads by itself: img/iframe/script/source/video/audio/embed src,
    srcset and poster, object data, and <link> href (stylesheet, icon, preload, ...)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str]] = []
        self.frames = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.frames += tag in ("iframe", "frame", "object", "embed")
        names = {"link": ["href"], "object": ["data"]}.get(tag, ["src", "srcset", "poster"])
        if tag in ("img", "iframe", "frame", "script", "source", "video", "audio", "embed",
                   "input", "track", "link", "object"):
            self.urls += [(tag, attrs[name]) for name in names if attrs.get(name)]

    handle_startendtag = handle_starttag


def loaded_urls(html: str) -> _Resources:
    parser = _Resources()
    parser.feed(html)
    parser.close()
    return parser


def assert_only_own_resources(html: str) -> None:
    found = loaded_urls(html)
    assert found.urls, "no resources found: the parser is not looking"
    for tag, url in found.urls:
        assert url.startswith("/") and not url.startswith("//") and "\\" not in url, (tag, url)
    assert found.frames == 0, "a frame on the page before anyone pressed play"


def _reply(client, slug: str, thread_id: int, body: str):
    token = csrf_token(client, f"/s/{slug}/t/{thread_id}")
    return client.post(f"/s/{slug}/t/{thread_id}/reply", data={"csrf_token": token, "body": body})


def test_member_reply_with_a_video_link_shows_a_dutch_click_to_play_card(app, client, world):
    slug, lead = world.space()
    thread_id = world.thread(slug, lead)
    member = world.member(slug, lead, name="Sanne")
    login(client, member)
    response = _reply(client, slug, thread_id, f"Deze hielp mij:\n\n[Ademhalen]({YOUTUBE})\n")
    assert response.status_code == 302
    html = client.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)
    assert html.count('<figure class="video-card"') == 1
    assert f'data-video-embed="https://www.youtube-nocookie.com/embed/{YT}"' in html
    assert 'data-video-title="Ademhalen"' in html
    assert "Als je op afspelen klikt, maakt je browser verbinding met YouTube." in html
    assert f'<a class="video-link" href="https://www.youtube.com/watch?v={YT}"' in html
    assert '<img class="video-placeholder" src="/static/img/video.svg"' in html
    assert "<iframe" not in html and "ytimg" not in html


def test_reply_with_a_plain_web_address_shows_it_as_a_link(app, client, world):
    slug, lead = world.space()
    thread_id = world.thread(slug, lead)
    login(client, lead)
    assert _reply(client, slug, thread_id, "Kijk op www.nibud.nl of bel.").status_code == 302
    html = client.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)
    assert ('<a href="https://www.nibud.nl" rel="nofollow noopener noreferrer ugc">'
            "www.nibud.nl</a>") in html


def test_a_post_stored_before_cards_keeps_its_stored_html(app, client, world):
    from app.extensions import db
    from app.forum.models import Post

    slug, lead = world.space()
    thread_id = world.thread(slug, lead, body=YOUTUBE)
    stored = f'<p><a href="{YOUTUBE}" rel="nofollow noopener noreferrer ugc">{YOUTUBE}</a></p>\n'
    with app.app_context():
        post = db.session.get(Post, world.first_post_id(thread_id))
        assert "video-card" in post.body_html  # new renders get the card ...
        post.body_html = stored  # ... an older row keeps what it was rendered to
        db.session.commit()
    login(client, lead)
    html = client.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)
    assert stored.strip() in html and "video-card" not in html


def test_thread_and_library_with_videos_load_every_resource_from_this_server(app, client, world):
    app.config["PEERTUBE_HOSTS"] = "tube.example.nl"
    slug, lead = world.space()
    thread_id = world.thread(slug, lead, body=f"Films:\n\n{YOUTUBE}\n\n[Vimeo]({VIMEO})")
    world.reply(slug, thread_id, lead, f"[Lezing](https://tube.example.nl/w/{PT_UUID})\n\n"
                "![extern](https://evil.example/pixel.png) en www.nibud.nl")
    from app.library import service as library

    with world.ctx():
        item = library.add_item(world.actor(lead.user_id), world.space_obj(slug), kind="video",
                                title="Toeslagen", category="videos", url=VIMEO)
        item_id = item.id
    login(client, lead)
    html = client.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)
    assert html.count('<figure class="video-card"') == 3
    assert_only_own_resources(html)
    for page in (f"/s/{slug}/library", f"/s/{slug}/library/{item_id}"):
        html = client.get(page).get_data(as_text=True)
        assert html.count('<figure class="video-card"') == 1, page
        assert_only_own_resources(html)
    for page in ("/", f"/s/{slug}/", f"/s/{slug}/members", f"/s/{slug}/agreement"):
        assert_only_own_resources(client.get(page).get_data(as_text=True))
