"""Markdown source → safe HTML. The only module that knows the renderer and the sanitiser:
markdown-it-py with raw HTML off, a strict link check and linkify, then nh3 with a small
allow-list; a paragraph that is only a video link becomes the click-to-play card."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3
from linkify_it import LinkifyIt
from markdown_it import MarkdownIt

from app.video import card_html, parse_video

MAX_NESTING = 20

_SAFE_LINK = re.compile(r"^(https?:|mailto:|/(?!/)|#|\?|\.{0,2}/|[^:/?#]+(?:[/?#]|$))", re.I)

TAGS = {
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "hr", "img", "table", "thead", "tbody", "tr", "th", "td",
}
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
# Removed with their content, never unwrapped into text.
DROP_WITH_CONTENT = {"script", "style", "svg", "math", "iframe", "object", "embed", "template"}
LINK_REL = "nofollow noopener noreferrer ugc"


class MarkupError(ValueError):
    """The text cannot be rendered without losing part of it."""


def _is_safe_link(url: str) -> bool:
    url = url.strip()
    # markdown-it has already decoded entities; reject anything with a control character or a
    # scheme other than the three allowed, and protocol-relative URLs to other hosts.
    if any(ord(ch) < 32 for ch in url) or url.startswith("//"):
        return False
    return bool(_SAFE_LINK.match(url))


class _WebAddresses(LinkifyIt):
    """Plain addresses that become links: http(s)://..., www.... and e-mail addresses, each
    still through _is_safe_link. Not bare names ending in a country code ("bijv.nl",
    "notulen.md", "markup.py"), protocol-relative "//host" or ftp: too often not meant as a
    link, or not one a browser should open."""

    def __init__(self):
        super().__init__(schemas={"ftp:": None, "//": None},
                         options={"fuzzy_link": True, "fuzzy_email": True, "fuzzy_ip": False})

    def match(self, text):
        found = []
        for link in super().match(text) or []:
            if not link.schema and link.text[:4].lower() == "www.":
                link.url = "https://" + link.text  # not http: nobody reads along on the way
            elif link.schema not in ("http:", "https:", "mailto:"):
                continue
            found.append(link)
        return found or None


def _make_renderer() -> MarkdownIt:
    md = MarkdownIt("js-default", {"html": False, "linkify": True, "typographer": False})
    md.linkify = _WebAddresses()
    md.options["maxNesting"] = MAX_NESTING
    md.validateLink = _is_safe_link
    # Headings start at h3: the page owns h1 and h2.
    md.add_render_rule("heading_open", _heading_open)
    md.add_render_rule("heading_close", _heading_close)
    return md


def _shift(tag: str) -> str:
    return f"h{min(6, int(tag[1]) + 2)}"


def _heading_open(self, tokens, idx, options, env):
    return f"<{_shift(tokens[idx].tag)}>"


def _heading_close(self, tokens, idx, options, env):
    return f"</{_shift(tokens[idx].tag)}>\n"


_md = _make_renderer()


# Images come from this server's uploads only: a same-origin page URL as an image would make
# every reader's browser request it (and, say, mark a thread read) without them knowing.
_OWN_UPLOAD = re.compile(r"^/s/[a-z0-9-]+/files/\d+/[^/?#]+$")


def _only_own_images(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if _OWN_UPLOAD.match(value) else None
    return value


def _video_paragraph(tokens, index: int):
    """(video, title) when tokens[index] opens a top-level paragraph holding one video link
    and nothing else (bare, <url> or [title](url)); otherwise None."""
    if tokens[index].type != "paragraph_open" or tokens[index].level != 0:
        return None
    children = [t for t in tokens[index + 1].children or []
                if not (t.type == "text" and not t.content.strip())]
    if len(children) < 2 or children[0].type != "link_open" or children[-1].type != "link_close":
        return None
    inner = children[1:-1]
    if any(t.type in ("link_open", "link_close", "image") for t in inner):
        return None
    video = parse_video(children[0].attrGet("href") or "")
    if video is None:
        return None
    if children[0].markup in ("linkify", "autolink"):
        return video, None
    return video, "".join(t.content if t.type in ("text", "code_inline") else " "
                          for t in inner if t.type in ("text", "code_inline", "softbreak",
                                                       "hardbreak"))


def render(source: str) -> str:
    """Render Markdown to sanitised HTML, or raise MarkupError when the renderer would drop
    text (nesting deeper than MAX_NESTING)."""
    tokens = _md.parse(source)
    if any(token.level >= MAX_NESTING - 1 for token in tokens):
        raise MarkupError("nesting too deep")
    # Top-level blocks are complete elements, so the parts between video paragraphs are
    # rendered and sanitised on their own; a card never passes through nh3 (which would strip
    # it) and is built from validated parts only (app/video.py), never from the source HTML.
    parts, start = [], 0
    for index in range(len(tokens)):
        found = _video_paragraph(tokens, index)
        if found:
            parts += [_sanitised(tokens[start:index]), card_html(*found) + "\n"]
            start = index + 3  # paragraph_open, inline, paragraph_close
    parts.append(_sanitised(tokens[start:]))
    return "".join(parts)


# Built once: nh3.clean() builds the same sanitiser from these options on every call, which
# cost six times the cleaning of a reply's HTML (issue 12).
_cleaner = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags=DROP_WITH_CONTENT,
    attributes=ATTRIBUTES,
    attribute_filter=_only_own_images,
    url_schemes={"http", "https", "mailto"},
    link_rel=LINK_REL,
    strip_comments=True,
)


def _sanitised(tokens) -> str:
    if not tokens:
        return ""
    return _cleaner.clean(_md.renderer.render(tokens, _md.options, {}))


def is_web_address(url: str) -> bool:
    """An absolute http(s) address with a host that passes the same strict check as links in
    posts (for addresses stored on their own, such as library links)."""
    url = url.strip()
    if not _is_safe_link(url) or any(ch.isspace() for ch in url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises for a port that is not a number)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
