"""app/markup.render: Markdown in, sanitised HTML out. No app needed: the renderer is pure.
Hostile input must come out inert, allowed formatting must survive, and pathological input
must either render completely and fast or be refused (never silently lose text)."""
from __future__ import annotations

import time
from html.parser import HTMLParser

import pytest

from app.markup import LINK_REL, MarkupError, render


class _Elements(HTMLParser):
    """Collects every start tag with its attributes, to reason about real elements rather
    than about text that merely looks like markup."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


def text_of(html: str) -> str:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return "".join(parser.text)


def tags(html: str) -> set[str]:
    return {tag for tag, _attrs in elements(html)}


def links(html: str) -> list[str]:
    return [attrs.get("href") or "" for tag, attrs in elements(html) if tag == "a"]


def image_sources(html: str) -> list[str | None]:
    return [attrs.get("src") for tag, attrs in elements(html) if tag == "img"]


def assert_inert(html: str) -> None:
    """No active element, no event handler, no dangerous URL in any attribute."""
    for tag, attrs in elements(html):
        assert tag not in {"script", "style", "iframe", "svg", "math", "form", "object",
                           "embed", "input", "button", "base", "meta", "link"}, html
        for name, value in attrs.items():
            assert not name.lower().startswith("on"), html
            assert name.lower() not in {"style", "srcdoc", "formaction", "action"}, html
            compact = "".join((value or "").split()).lower()
            for scheme in ("javascript:", "vbscript:", "data:"):
                assert not compact.startswith(scheme), html
            if name in {"href", "src"}:
                assert not compact.startswith("//"), html
    assert "<script" not in html.lower()


# --- scripts and dangerous links -----------------------------------------------------------

def test_script_tag_is_shown_as_text_never_as_an_element():
    html = render("Hallo <script>alert('x')</script> daar")
    assert_inert(html)
    assert "script" not in tags(html)
    assert "alert('x')" in text_of(html)  # the words stay visible: nothing the user typed is lost


@pytest.mark.parametrize("url", [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "&#X6a;avascript:alert(1)",
    "java&#09;script:alert(1)",
    "java&#10;script:alert(1)",
    "javascript&colon;alert(1)",
    "<javascript:alert(1)>",
    "file:///etc/passwd",
])
def test_dangerous_link_scheme_never_becomes_a_link(url):
    html = render(f"[klik hier]({url})")
    assert_inert(html)
    assert links(html) == []
    assert "klik hier" in text_of(html)


@pytest.mark.parametrize("source", [
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "[x][ref]\n\n[ref]: JAVASCRIPT:alert(1)",
    "[x][ref]\n\n[ref]: //evil.example/",
])
def test_dangerous_reference_link_never_becomes_a_link(source):
    html = render(source)
    assert_inert(html)
    assert links(html) == []


@pytest.mark.parametrize("url", ["//evil.example/pad", "///evil.example/pad", "\t//evil.example"])
def test_protocol_relative_link_to_other_host_is_refused(url):
    html = render(f"[weg]({url})")
    assert links(html) == []
    assert_inert(html)


def test_backslash_path_cannot_turn_into_another_host():
    # Browsers read "/\host" as "//host"; the backslash must arrive percent-encoded.
    for source in ("[a](/\\evil.example/x)", "![a](/\\evil.example/x.png)"):
        html = render(source)
        for url in links(html) + [s for s in image_sources(html) if s]:
            assert "\\" not in url and not url.startswith("//"), html


def test_angle_bracket_autolink_with_javascript_is_not_a_link():
    html = render("<javascript:alert(1)>")
    assert links(html) == []
    assert_inert(html)


# --- raw HTML ------------------------------------------------------------------------------

@pytest.mark.parametrize("source", [
    '<img src="x" onerror="alert(1)">',
    "<iframe src=\"https://evil.example\"></iframe>",
    "<svg onload=alert(1)><circle r=\"4\"/></svg>",
    "<math><mtext><img src=x onerror=alert(1)></mtext></math>",
    "<style>body { display: none }</style>",
    "<form action=\"https://evil.example\"><input name=\"pw\"><button>Go</button></form>",
    "<a href=\"javascript:alert(1)\" onclick=\"alert(2)\">klik</a>",
    "<b onmouseover=\"alert(1)\">vet</b>",
    "<p style=\"background:url(https://evil.example/t.png)\">x</p>",
    "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
    "<base href=\"https://evil.example/\"><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
    "<!-- <script>alert(1)</script> -->",
    "<details open ontoggle=alert(1)>x</details>",
])
def test_raw_html_is_never_rendered_as_elements(source):
    html = render(source)
    assert_inert(html)
    # With raw HTML off, nothing but the paragraph wrapper becomes an element, and the web
    # addresses in the text, which linkify turns into plain links to exactly that address.
    assert tags(html) <= {"p", "a"}, html
    for href in links(html):
        assert href.startswith("https://evil.example") and href in text_of(html), html


def test_event_handler_attribute_inside_markdown_title_stays_an_attribute_value():
    html = render('[tekst](https://example.org "x\\" onmouseover=\\"alert(1)")')
    assert_inert(html)
    assert links(html) == ["https://example.org"]


# --- images --------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "https://evil.example/pixel.png",
    "http://127.0.0.1:9/pixel.png",
    "pixel.png",
])
def test_image_from_another_host_loses_its_source(url):
    html = render(f"![plaatje]({url})")
    assert image_sources(html) in ([], [None]), html
    assert "evil.example" not in html and "127.0.0.1" not in html


@pytest.mark.parametrize("url", ["//evil.example/pixel.png", "data:image/png;base64,AAAA",
                                 "javascript:alert(1)"])
def test_image_with_dangerous_source_is_not_an_image_with_that_source(url):
    html = render(f"![plaatje]({url})")
    assert all(src is None for src in image_sources(html)), html
    assert_inert(html)


def test_image_from_own_space_path_keeps_its_source():
    html = render('![ons schema](/s/grip/files/12/schema.png "Schema")')
    assert elements(html) == [("p", {}), ("img", {"src": "/s/grip/files/12/schema.png",
                                                   "alt": "ons schema", "title": "Schema"})]


# --- links and headings --------------------------------------------------------------------

@pytest.mark.parametrize("url", ["https://www.nibud.nl/", "http://example.org/a?b=1",
                                 "mailto:hulp@example.org", "/s/grip/t/3", "#p4"])
def test_allowed_link_keeps_its_target_and_gets_rel_nofollow_noopener_noreferrer_ugc(url):
    html = render(f"[lees meer]({url})")
    anchors = [attrs for tag, attrs in elements(html) if tag == "a"]
    assert len(anchors) == 1
    assert anchors[0]["href"] == url
    assert set(anchors[0]["rel"].split()) == {"nofollow", "noopener", "noreferrer", "ugc"}
    assert LINK_REL == "nofollow noopener noreferrer ugc"


def test_autolink_gets_rel_too():
    html = render("<https://www.113.nl>")
    anchors = [attrs for tag, attrs in elements(html) if tag == "a"]
    assert anchors == [{"href": "https://www.113.nl", "rel": "nofollow noopener noreferrer ugc"}]


def test_headings_start_at_h3():
    html = render("# Een\n\n## Twee\n\n### Drie\n\n#### Vier\n\n###### Zes\n\nAlinea\n===\n")
    found = [tag for tag, _ in elements(html)]
    assert "h1" not in found and "h2" not in found
    assert found == ["h3", "h4", "h5", "h6", "h6", "h3"]
    assert "Een" in text_of(html) and "Zes" in text_of(html)


# --- allowed formatting --------------------------------------------------------------------

def test_bold_italic_and_strikethrough_survive():
    html = render("**vet** en *schuin* en ~~weg~~")
    assert "<strong>vet</strong>" in html
    assert "<em>schuin</em>" in html
    assert "<s>weg</s>" in html or "<del>weg</del>" in html


def test_lists_survive_including_start_number():
    html = render("- appel\n- peer\n\n3. drie\n4. vier\n")
    assert "<ul>" in html and "<li>appel</li>" in html
    assert '<ol start="3">' in html and "<li>vier</li>" in html


def test_code_survives_and_its_content_is_escaped():
    html = render("Gebruik `<b>` zo:\n\n```\nif a < b && c:\n    print('[x]')\n```\n")
    assert "<code>&lt;b&gt;</code>" in html
    assert "<pre><code>if a &lt; b &amp;&amp; c:\n    print('[x]')\n</code></pre>" in html


def test_blockquote_survives():
    html = render("> Wat je zegt blijft hier.\n>\n> Ook dit.")
    assert "<blockquote>" in html
    assert "Ook dit." in text_of(html)


def test_table_survives():
    html = render("| Maand | Bedrag |\n|---|---:|\n| januari | 40 |\n| februari | 35 |\n")
    found = tags(html)
    assert {"table", "thead", "tbody", "tr", "th", "td"} <= found
    assert "februari" in text_of(html)
    # Alignment comes as a style attribute from the renderer; styles are not allowed.
    assert all("style" not in attrs for _tag, attrs in elements(html))


def test_horizontal_rule_and_line_break_survive():
    html = render("boven  \nonder\n\n---\n\nslot")
    assert "<br>" in html
    assert "<hr>" in html


def test_plain_text_special_characters_are_escaped_not_lost():
    source = 'Tom & Jerry zeggen "5 < 6 > 4" en \'ok\''
    html = render(source)
    assert text_of(html).strip() == source


# --- pathological input --------------------------------------------------------------------
# Timed in this process's CPU seconds, not wall time: the suite shares a small machine with
# other work, and a quadratic renderer costs CPU however busy the machine is.

def test_twenty_thousand_open_brackets_render_literally_in_well_under_a_second():
    source = "[" * 20_000
    start = time.process_time()
    html = render(source)
    elapsed = time.process_time() - start
    assert elapsed < 1.0, f"{elapsed:.2f}s"
    assert text_of(html).strip() == source


@pytest.mark.parametrize("source", [
    "[a](" * 5_000,
    "![" * 10_000,
    "[]" * 10_000,
    "]" * 20_000,
    "[\n" * 10_000,
    "*a" * 10_000,
    "_a" * 10_000,
    "`a" * 10_000,
    "<a" * 10_000,
    "&#" * 10_000,
])
def test_pathological_inline_input_renders_fast(source):
    start = time.process_time()
    render(source)
    assert time.process_time() - start < 1.0


def test_many_brackets_do_not_alter_text_inside_code():
    # A long post with a code block and more than a few hundred brackets (a pasted list of
    # checkboxes, say) must still show the code exactly as written.
    source = ("```\nregels[0] = [1, 2]\n```\n\n" + "- [ ] taak\n" * 600)
    html = render(source)
    assert "<pre><code>regels[0] = [1, 2]\n</code></pre>" in html, html[:200]
    assert "\\[" not in html


def test_five_thousand_nested_list_markers_raise_markup_error():
    source = "- " * 5_000 + "het diepste punt\n\nEen alinea die anders zou verdwijnen."
    with pytest.raises(MarkupError):
        render(source)


def test_five_thousand_nested_quotes_raise_markup_error():
    with pytest.raises(MarkupError):
        render("> " * 5_000 + "citaat\n\nnog een alinea")


def test_markup_error_is_a_value_error():
    assert issubclass(MarkupError, ValueError)


def test_moderate_nesting_still_renders_everything():
    source = "\n".join("  " * depth + f"- niveau {depth}" for depth in range(6)) + "\n\nslot"
    html = render(source)
    assert html.count("<ul>") == 6
    assert "niveau 5" in html and "slot" in html


def _largest_realistic_post() -> str:
    block = (
        "## Week {n}: overzicht houden\n\n"
        "Deze week heb ik **alle rekeningen** op een rij gezet. Wat hielp:\n\n"
        "1. Een *schriftje* met vaste lasten\n"
        "2. Een [budgetplanner](https://www.nibud.nl/) van het Nibud\n"
        "3. Elke vrijdag een kwartier kijken\n\n"
        "- huur: 650\n- energie: 120\n  - voorschot\n  - eindafrekening\n\n"
        "> Wat in de groep gezegd wordt, blijft in de groep.\n\n"
        "| Post | Bedrag |\n|---|---|\n| boodschappen | 70 |\n| vervoer | 25 |\n\n"
        "Code voor de spreadsheet: `=SOM(B2:B9)` en ~~niet~~ wel bewaren.\n\n"
        "![schema](/s/grip/files/{n}/schema.png)\n\n---\n\n"
    )
    text, n = "", 0
    while len(text) < 20_000:
        text += block.format(n=n)
        n += 1
    return text[:20_000]


def test_largest_allowed_post_renders_in_under_a_second():
    source = _largest_realistic_post()
    assert len(source) == 20_000
    start = time.process_time()
    html = render(source)
    elapsed = time.process_time() - start
    assert elapsed < 1.0, f"{elapsed:.2f}s"
    assert html.count("<table>") >= 20
    assert "SOM(B2:B9)" in html
    assert_inert(html)


@pytest.mark.parametrize("src", ["/s/grip/t/42?page=999", "/notifications/3", "/logout",
                                 "/s/grip/files/12/../../t/1", "/static/img/kring.svg"])
def test_images_only_come_from_uploads_never_from_other_pages(src):
    """A page URL as an image would make every reader's browser request it unseen."""
    html = render(f"![x]({src})")
    assert "src=" not in html
