"""Videos on real pages: the CSP frames exactly the video players, a post with a video link
shows the click-to-play card, and no page loads anything from another host."""
from __future__ import annotations

import re

import pytest

from tests.conftest import login
from tests.test_headers import csp_directives

YT = "dQw4w9WgXcQ"
PT_UUID = "9c9de5e8-0a1e-484a-b099-e80766180a6d"

EXPECTED = {
    "default-src": ["'self'"], "script-src": ["'self'"], "style-src": ["'self'"],
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
    assert re.search(r'<script src="/static/js/video\.js" data-peertube-hosts="tube\.example\.nl"'
                     r' defer></script>', html)
