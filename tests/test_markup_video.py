"""app/markup.render with videos and plain web addresses: a paragraph that is only a video link
becomes the click-to-play card (built from validated parts, exactly app/video.card_html), and
linkify turns typed web addresses into links through the same strict link check."""
from __future__ import annotations

import re
import time

import pytest

from app.markup import render
from app.video import card_html, parse_video
from tests.test_markup import assert_inert, elements, links, text_of

YT = "dQw4w9WgXcQ"
YOUTUBE = f"https://youtu.be/{YT}"
VIMEO = "https://vimeo.com/76979871"
PT_UUID = "9c9de5e8-0a1e-484a-b099-e80766180a6d"
CARD = re.compile(r'<figure class="video-card".*?</figure>\n?', re.S)


def cards(html: str) -> list[str]:
    return CARD.findall(html)


def outside_cards(html: str) -> str:
    return CARD.sub("", html)


def expected_card(url: str, title: str | None = None) -> str:
    return str(card_html(parse_video(url), title)) + "\n"


def assert_safe(html: str) -> None:
    """Every card is exactly one built from validated parts; everything else is inert."""
    for card in cards(html):
        embed = re.search(r'data-video-embed="([^"]*)"', card).group(1).replace("&amp;", "&")
        assert re.fullmatch(r"https://www\.youtube-nocookie\.com/embed/[A-Za-z0-9_-]{11}"
                            r"|https://player\.vimeo\.com/video/\d+\?(h=[0-9a-f]+&)?dnt=1", embed)
        title = re.search(r'data-video-title="([^"]*)"', card).group(1)
        assert "<" not in title and ">" not in title
    assert_inert(outside_cards(html))


# --- which paragraphs become cards ---------------------------------------------------------

@pytest.mark.parametrize("source", [YOUTUBE, f"<{YOUTUBE}>", f"  {YOUTUBE}  ",
                                    f"\n\n{YOUTUBE}\n\n"])
def test_bare_video_address_alone_on_its_line_becomes_a_card_titled_video(source):
    html = render(source)
    assert html == expected_card(YOUTUBE, None)
    assert "data-video-title=\"Video\"" in html


def test_titled_video_link_becomes_a_card_with_that_title():
    html = render(f"[Omgaan met **stress**]({VIMEO})")
    assert html == expected_card(VIMEO, "Omgaan met stress")


def test_reference_style_video_link_becomes_a_card():
    html = render(f"[Ademhaling][film]\n\n[film]: {YOUTUBE}")
    assert html == expected_card(YOUTUBE, "Ademhaling")


def test_cards_keep_their_place_between_paragraphs():
    html = render(f"Kijk eens:\n\n{YOUTUBE}\n\nEn deze:\n\n[Tweede]({VIMEO})\n\nGroet, Sanne")
    assert html == ("<p>Kijk eens:</p>\n" + expected_card(YOUTUBE) + "<p>En deze:</p>\n"
                    + expected_card(VIMEO, "Tweede") + "<p>Groet, Sanne</p>\n")


@pytest.mark.parametrize("source", [
    f"Kijk {YOUTUBE} eens",
    f"{YOUTUBE} en {VIMEO}",
    f"{YOUTUBE}\n{VIMEO}",
    f"*{YOUTUBE}*",
    f"> {YOUTUBE}",
    f"- {YOUTUBE}",
    f"1. [film]({VIMEO})",
    f"# {YOUTUBE}",
    f"| film |\n|---|\n| {YOUTUBE} |",
])
def test_video_link_with_other_content_or_inside_another_block_stays_a_plain_link(source):
    html = render(source)
    assert cards(html) == []
    assert links(html) and all(href.startswith("https://") for href in links(html))
    assert_inert(html)


@pytest.mark.parametrize("source", [f"```\n{YOUTUBE}\n```", f"`{YOUTUBE}`", f"    {YOUTUBE}"])
def test_video_address_in_code_stays_code(source):
    html = render(source)
    assert cards(html) == [] and links(html) == []
    assert YOUTUBE in text_of(html)


@pytest.mark.parametrize("url", [
    f"https://youtube.com.evil.example/watch?v={YT}",
    f"https://youtube.com@evil.example/watch?v={YT}",
    "https://youtu.be/dQw4w9WgXc",
    "https://www.nibud.nl/",
    f"https://tube.example.nl/w/{PT_UUID}",
])
def test_other_links_alone_on_a_line_stay_plain_links(url):
    html = render(f"[film]({url})")
    assert cards(html) == []
    assert "video-card" not in html and "data-video" not in html
    assert_inert(html)


def test_image_inside_a_video_link_keeps_it_a_plain_link():
    html = render(f"[![still](/s/grip/files/3/still.png)]({YOUTUBE})")
    assert cards(html) == []
    assert links(html) == [YOUTUBE]


def test_peertube_link_becomes_a_card_only_on_a_configured_host(app):
    source = f"[Lezing](https://tube.example.nl/w/{PT_UUID})"
    with app.app_context():
        assert cards(render(source)) == []
        app.config["PEERTUBE_HOSTS"] = "tube.example.nl"
        html = render(source)
    assert len(cards(html)) == 1
    assert f'data-video-embed="https://tube.example.nl/videos/embed/{PT_UUID}?p2p=0"' in html


# --- hostile Markdown around and inside cards ----------------------------------------------

@pytest.mark.parametrize("source", [
    f'[<script>alert(1)</script>]({YOUTUBE})',
    f'["><img src=x onerror=alert(1)>]({YOUTUBE})',
    f"[x' onmouseover='alert(1)]({VIMEO})",
    f'[film]({YOUTUBE} "titel\\" onmouseover=\\"alert(1)")',
    f"[film](<{YOUTUBE}\"onload=\"alert(1)>)",
    f"[film]({YOUTUBE}&quot;onload=&quot;alert(1))",
    f"[film](https://www.youtube.com/watch?v={YT}&x=\"><script>alert(1)</script>)",
    f"<div>\n\n{YOUTUBE}\n\n</div>",
    f"<iframe>\n\n{YOUTUBE}\n\n</iframe>",
    f"<figure class=\"video-card\" data-video-embed=\"https://evil.example/\">\n\n{YOUTUBE}",
    f"**onbegonnen vet\n\n{YOUTUBE}\n\n_en [een half](link",
    f"[film](javascript:alert(1)//{YOUTUBE})",
    f"[film](JAVASCRIPT://www.youtube.com/watch?v={YT}%0aalert(1))",
    f"[film](data:text/html,{YOUTUBE})",
    f"[film](//youtu.be/{YT})",
    f"javascript:{YOUTUBE}",
    f"[x][v]\n\n[v]: javascript:alert(1)//{YOUTUBE}",
    f"> [film]({YOUTUBE})\n{YOUTUBE}",
])
def test_hostile_markdown_around_video_links_yields_only_validated_cards_and_inert_html(source):
    html = render(source)
    assert_safe(html)
    for card in cards(html):
        found = elements(card)
        assert {tag for tag, _ in found} == {"figure", "img", "figcaption", "span", "button", "a"}
        assert [attrs["src"] for tag, attrs in found if tag == "img"] == ["/static/img/video.svg"]
    # Nothing the member typed becomes a card attribute other than the (escaped) title.
    for _tag, attrs in elements(html):
        for name in attrs:
            assert not name.startswith("on"), html
        if "data-video-embed" in attrs:
            assert parse_video(attrs["data-video-embed"]) is not None


def test_title_with_markup_characters_is_text_in_the_card():
    html = render(f'[Tom & "Jerry" <b>]({VIMEO})')
    assert html == expected_card(VIMEO, 'Tom & "Jerry" <b>')
    assert "<b>" not in html and "&lt;b&gt;" in html


def test_two_hundred_video_paragraphs_render_fast():
    source = "\n\n".join(f"[Film {n}]({YOUTUBE})" for n in range(200))
    start = time.process_time()
    html = render(source)
    assert time.process_time() - start < 1.0
    assert len(cards(html)) == 200


# --- linkify -------------------------------------------------------------------------------

@pytest.mark.parametrize("source, href", [
    ("Zie https://www.nibud.nl/budget.", "https://www.nibud.nl/budget"),
    ("Zie http://example.org/a?b=1&c=2, toch?", "http://example.org/a?b=1&c=2"),
    ("Kijk op www.nibud.nl voor tips", "https://www.nibud.nl"),
    ("(www.113.nl)", "https://www.113.nl"),
    ("Mail naar hulp@example.org als je vragen hebt", "mailto:hulp@example.org"),
    ("Kijk eens: https://youtu.be/dQw4w9WgXcQ", "https://youtu.be/dQw4w9WgXcQ"),
])
def test_plain_web_address_becomes_a_link_with_rel(source, href):
    html = render(source)
    anchors = [attrs for tag, attrs in elements(html) if tag == "a"]
    assert [a["href"] for a in anchors] == [href]
    assert set(anchors[0]["rel"].split()) == {"nofollow", "noopener", "noreferrer", "ugc"}
    assert text_of(html).strip() == source  # the text reads as typed


@pytest.mark.parametrize("source", [
    "javascript:alert(1)",
    "JavaScript://%0aalert(1)",
    "javascript://example.org/%0Aalert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "//evil.example/pad",
    "ftp://files.example.org/geheim",
    "file:///etc/passwd",
    "nibud.nl", "bijv.nl", "notulen.md", "markup.py", "t.nl", "o.a. en i.p.v. z.s.m.",
    "192.168.1.1", "http\\://example.org",
])
def test_things_that_are_not_plain_web_addresses_do_not_become_links(source):
    html = render(f"Tekst {source} tekst")
    assert links(html) == [], html
    assert_inert(html)


@pytest.mark.parametrize("source", [
    'https://x.example/"onmouseover="alert(1)',
    "https://x.example/'onmouseover='alert(1)",
    "https://x.example/<script>alert(1)</script>",
    "https://x.example/<img src=x onerror=alert(1)>",
    "www.x.example/\"><svg onload=alert(1)>",
    "https://x.example/%22%3E%3Cscript%3E",
    "https://x.example/`${alert(1)}`",
    "https://x.example/\u202egpj.exe",
    "jan@example.org\"onclick=\"alert(1)",
])
def test_hostile_web_addresses_become_inert_links_at_most(source):
    html = render(source)
    assert_inert(html)
    for href in links(html):
        assert href.startswith(("https://x.example/", "mailto:")), href
        assert not set(href) & set("\"<> `"), href


def test_lookalike_international_host_is_linked_in_its_punycode_form():
    html = render("Zie https://www.nіbud.nl/ (met een Oekraïense i)")
    assert len(links(html)) == 1 and links(html)[0].startswith("https://www.xn--")


@pytest.mark.parametrize("source", ["`https://example.org`", "```\nhttps://example.org\n```",
                                    "[https://example.org/a](https://example.org/a)",
                                    "[zie https://example.org/b](https://example.org/a)"])
def test_addresses_in_code_or_in_links_are_not_linked_twice(source):
    html = render(source)
    assert links(html) == (["https://example.org/a"] if "](" in source else [])


@pytest.mark.parametrize("source", ["www." * 5_000, "http://" * 3_000, "a@" * 10_000,
                                    "https://example.org/" + "a" * 19_000, "@." * 10_000,
                                    "x.nl " * 4_000])
def test_pathological_addresses_render_fast(source):
    start = time.process_time()
    render(source)
    assert time.process_time() - start < 1.0
