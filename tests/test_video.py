"""app/video.py: which links are videos, which ids are valid, and which player URL is built
(always the privacy-enhanced host); the card HTML and its Jinja macro; the PeerTube setting."""
from __future__ import annotations

import pytest

from app import create_app
from app.video import card_html, parse_video, peertube_hosts, player_hosts
from tests.test_markup import elements

YT = "dQw4w9WgXcQ"
PT_UUID = "9c9de5e8-0a1e-484a-b099-e80766180a6d"
PT_SHORT = "kkGMgK9ZtnKfYAgnEtQxbv"
PEERTUBE = "tube.example.nl"


@pytest.mark.parametrize("url", [
    f"https://www.youtube.com/watch?v={YT}",
    f"https://youtube.com/watch?v={YT}",
    f"http://www.youtube.com/watch?v={YT}",
    f"https://www.youtube.com/watch?v={YT}&t=42s&list=PL123",
    f"https://www.youtube.com/watch?feature=share&v={YT}",
    f"https://m.youtube.com/watch?v={YT}",
    f"https://youtu.be/{YT}",
    f"https://youtu.be/{YT}?si=abc123",
    f"https://www.youtube.com/shorts/{YT}",
    f"https://www.youtube.com/embed/{YT}",
    f"https://www.youtube-nocookie.com/embed/{YT}",
    f"https://WWW.YouTube.com/watch?v={YT}",
    f"  https://youtu.be/{YT}  ",
])
def test_youtube_links_become_the_nocookie_player(url):
    video = parse_video(url)
    assert video is not None, url
    assert video.provider == "youtube" and video.provider_name == "YouTube"
    assert video.video_id == YT
    assert video.embed_url == f"https://www.youtube-nocookie.com/embed/{YT}"
    assert video.watch_url == f"https://www.youtube.com/watch?v={YT}"
    assert video.player_host == "www.youtube-nocookie.com"
    assert video.contacted == "YouTube"


@pytest.mark.parametrize("url", ["https://vimeo.com/76979871", "https://www.vimeo.com/76979871",
                                 "https://player.vimeo.com/video/76979871",
                                 "https://player.vimeo.com/video/76979871?autoplay=1"])
def test_vimeo_links_become_the_player_with_do_not_track(url):
    video = parse_video(url)
    assert video is not None, url
    assert (video.provider, video.video_id) == ("vimeo", "76979871")
    assert video.embed_url == "https://player.vimeo.com/video/76979871?dnt=1"
    assert video.watch_url == "https://vimeo.com/76979871"
    assert video.contacted == "Vimeo"


def test_unlisted_vimeo_link_keeps_its_hash_and_do_not_track():
    for url in ("https://vimeo.com/76979871/abc123def0",
                "https://player.vimeo.com/video/76979871?h=abc123def0"):
        video = parse_video(url)
        assert video.embed_url == "https://player.vimeo.com/video/76979871?h=abc123def0&dnt=1"
        assert video.watch_url == "https://vimeo.com/76979871/abc123def0"


@pytest.mark.parametrize("url", [
    f"https://{PEERTUBE}/w/{PT_UUID}",
    f"https://{PEERTUBE}/videos/watch/{PT_UUID}",
    f"https://{PEERTUBE}/videos/embed/{PT_UUID}",
    f"https://{PEERTUBE.upper()}/w/{PT_UUID}",
])
def test_peertube_link_on_a_configured_host_becomes_its_embed_without_p2p(url):
    video = parse_video(url, peertube=PEERTUBE)
    assert video is not None, url
    assert video.provider == "peertube" and video.video_id == PT_UUID
    # p2p=0: the peer-to-peer player would show each viewer's address to the others.
    assert video.embed_url == f"https://{PEERTUBE}/videos/embed/{PT_UUID}?p2p=0"
    assert video.watch_url == f"https://{PEERTUBE}/w/{PT_UUID}"
    assert video.player_host == video.contacted == PEERTUBE


def test_peertube_short_id_is_recognised():
    video = parse_video(f"https://{PEERTUBE}/w/{PT_SHORT}", peertube=[PEERTUBE])
    assert video.embed_url == f"https://{PEERTUBE}/videos/embed/{PT_SHORT}?p2p=0"


def test_peertube_link_on_a_host_not_configured_is_not_a_video():
    assert parse_video(f"https://{PEERTUBE}/w/{PT_UUID}") is None
    assert parse_video(f"https://other.example/w/{PT_UUID}", peertube=PEERTUBE) is None


@pytest.mark.parametrize("url", [
    # lookalike hosts
    f"https://youtube.com.evil.example/watch?v={YT}",
    f"https://evil-youtube.com/watch?v={YT}",
    f"https://www.youtube.co/watch?v={YT}",
    f"https://youtu.be.evil.example/{YT}",
    f"https://vimeo.com.evil.example/76979871",
    f"https://www.yоutube.com/watch?v={YT}",  # Cyrillic o
    f"https://{PEERTUBE}.evil.example/w/{PT_UUID}",
    # user info, ports, odd schemes and separators
    f"https://youtube.com@evil.example/watch?v={YT}",
    f"https://evil.example@youtube.com/watch?v={YT}",
    f"https://evil.example\\@youtube.com/watch?v={YT}",
    f"https://www.youtube.com:8443/watch?v={YT}",
    f"javascript:alert(1)//youtu.be/{YT}",
    f"javascript://youtu.be/{YT}",
    f"JAVASCRIPT://www.youtube.com/watch?v={YT}%0aalert(1)",
    f"data:text/html,https://youtu.be/{YT}",
    f"//youtu.be/{YT}",
    f"ftp://youtu.be/{YT}",
    f"youtu.be/{YT}",
    # malformed ids
    "https://youtu.be/dQw4w9WgXc",
    "https://youtu.be/dQw4w9WgXcQQ",
    "https://youtu.be/dQw4w9\"gXcQ",
    "https://youtu.be/dQw4w9<gXcQ",
    "https://youtu.be/dQw4w9%3CgXcQ",
    "https://www.youtube.com/watch?v=dQw4w9WgX'Q",
    "https://www.youtube.com/watch?v=dQw4w9WgX>Q",
    "https://www.youtube.com/watch?v=dQw4w9WgX%22Q",
    f"https://www.youtube.com/watch?v={YT}&v=aaaaaaaaaaa",
    "https://www.youtube.com/watch",
    f"https://www.youtube.com/channel/{YT}",
    f"https://youtu.be/{YT}/extra",
    "https://vimeo.com/0123",
    "https://vimeo.com/abc",
    "https://vimeo.com/76979871/\"><script>",
    "https://vimeo.com/channels/staffpicks",
    "https://player.vimeo.com/video/76979871?h=x\"y",
    f"https://{PEERTUBE}/w/{PT_UUID}\"onload=\"x",
    f"https://{PEERTUBE}/w/<script>",
    f"https://{PEERTUBE}/videos/watch/../../admin",
    # not strings or too long
    f"https://www.youtube.com/watch?v={YT}&x=" + "a" * 3000,
    "",
])
def test_lookalikes_odd_urls_and_bad_ids_are_not_videos(url):
    assert parse_video(url, peertube=PEERTUBE) is None


def test_non_string_is_not_a_video():
    assert parse_video(None) is None  # type: ignore[arg-type]


def test_peertube_hosts_setting_is_a_comma_separated_list_of_host_names():
    assert peertube_hosts("") == ()
    assert peertube_hosts(" Tube.Example.nl , video.example.org,,tube.example.nl") == (
        "tube.example.nl", "video.example.org")
    assert player_hosts("tube.example.nl") == ("www.youtube-nocookie.com", "player.vimeo.com",
                                               "tube.example.nl")


@pytest.mark.parametrize("bad", ["https://tube.example.nl", "tube.example.nl/path", "*.example.nl",
                                 "tube example.nl", "localhost", "tube.example.nl:8443",
                                 "'self'", "tube.example.nl;script-src *"])
def test_peertube_setting_refuses_anything_but_host_names(bad):
    with pytest.raises(ValueError):
        peertube_hosts(bad)


def test_app_with_an_invalid_peertube_host_refuses_to_start():
    with pytest.raises(ValueError):
        create_app("test", PEERTUBE_HOSTS="https://tube.example.nl/")


# --- the card ------------------------------------------------------------------------------

def test_card_holds_title_provider_notice_local_placeholder_and_plain_link():
    html = str(card_html(parse_video(f"https://youtu.be/{YT}"), "Omgaan met stress"))
    found = elements(html)
    figure = found[0]
    assert figure == ("figure", {"class": "video-card",
                                 "data-video-embed": f"https://www.youtube-nocookie.com/embed/{YT}",
                                 "data-video-title": "Omgaan met stress"})
    images = [attrs for tag, attrs in found if tag == "img"]
    assert [image["src"] for image in images] == ["/static/img/video.svg"]
    anchors = [attrs for tag, attrs in found if tag == "a"]
    assert [a["href"] for a in anchors] == [f"https://www.youtube.com/watch?v={YT}"]
    assert set(anchors[0]["rel"].split()) >= {"noopener", "noreferrer"}
    buttons = [attrs for tag, attrs in found if tag == "button"]
    assert buttons == [{"type": "button", "class": "video-play", "hidden": None}]
    assert "Omgaan met stress" in html and ">YouTube<" in html
    assert "your browser connects to YouTube." in html
    assert "ytimg" not in html and "i.vimeocdn" not in html


def test_card_escapes_a_hostile_title_and_has_a_default_one():
    video = parse_video("https://vimeo.com/76979871")
    html = str(card_html(video, '"><script>alert(1)</script><img src=x onerror=alert(2)>'))
    assert "<script" not in html and "<img src=x" not in html
    assert [tag for tag, _ in elements(html)].count("img") == 1
    assert all(not name.startswith("on") for _, attrs in elements(html) for name in attrs)
    assert "Video" in str(card_html(video, "  "))
    assert "Video" in str(card_html(video))


def test_peertube_card_names_the_server_it_contacts():
    html = str(card_html(parse_video(f"https://{PEERTUBE}/w/{PT_UUID}", peertube=PEERTUBE), "x"))
    assert f"connects to {PEERTUBE}." in html
    assert f"PeerTube ({PEERTUBE})" in html


def test_card_speaks_dutch_in_a_dutch_request(app):
    with app.test_request_context("/"):
        html = str(card_html(parse_video(f"https://youtu.be/{YT}")))
    assert "Als je op afspelen klikt, maakt je browser verbinding met YouTube." in html
    assert "Bekijk op YouTube" in html


def test_macro_renders_the_same_card_as_the_python_function(app):
    video = parse_video("https://vimeo.com/76979871")
    with app.test_request_context("/"):
        template = app.jinja_env.from_string(
            '{% from "_video.html" import video_card %}{{ video_card(video, title) }}')
        rendered = template.render(video=video, title="Tips <voor> thuis")
        assert rendered == str(card_html(video, "Tips <voor> thuis"))
        also = app.jinja_env.from_string(
            '{% from "_video.html" import video_card %}'
            '{{ video_card(parse_video("https://youtu.be/' + YT + '")) }}').render()
        assert f"/embed/{YT}" in also


def test_placeholder_image_is_a_local_static_file(client):
    response = client.get("/static/img/video.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert b"http" not in response.data.replace(b"http://www.w3.org/2000/svg", b"")
    response.close()
