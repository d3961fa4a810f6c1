"""Quoting a post in a reply ("citeer"): which post a reply may quote, and the quote as the
page shows it. A reply stores only a reference; the quote is drawn from the quoted post on
every view, so a post later hidden, deleted or erased never shows its text in a quote."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import and_, case, literal, select

from app import policy
from app.errors import NotFound, ServiceError
from app.extensions import db
from app.forum.models import POSTS_PER_PAGE, Post, Thread
from app.policy import Actor
from app.spaces.models import Membership, shown_name_of

EXCERPT_CHARS = 300
SHOWN, HIDDEN, DELETED, ERASED = "shown", "hidden", "deleted", "erased"
GONE_TEXTS = {
    HIDDEN: _l("This message is hidden by a facilitator."),
    DELETED: _l("This message has been deleted."),
    ERASED: _l("This message was removed by a facilitator."),
}
# Only posts in the thread's numbered flow can be quoted: a reply still waiting for its
# publication time has no number yet and does not exist for the group (app/forum schedule).
IN_FLOW = Post.number.is_not(None)
_MAX_ID = 2**31 - 1  # as app/web.py IdConverter: an absurd id is a 404, not an overflow


@dataclass(frozen=True)
class Quote:
    post_id: int
    number: int
    author_name: str
    state: str  # SHOWN, or why the text is not shown
    excerpt: str  # empty unless SHOWN

    @property
    def gone_text(self):
        return GONE_TEXTS.get(self.state)

    @property
    def page(self) -> int:
        return (self.number - 1) // POSTS_PER_PAGE + 1


def excerpt_of(body_html: str) -> str:
    """The first EXCERPT_CHARS characters of a post as plain text (the page escapes it):
    from the sanitised HTML, so what the quote shows is what the post shows."""
    text = Markup(body_html).striptags()
    if len(text) <= EXCERPT_CHARS:
        return text
    cut = text[:EXCERPT_CHARS]
    space = cut.rfind(" ")
    if space > EXCERPT_CHARS * 2 // 3:  # end on a whole word when one ends near the limit
        cut = cut[:space]
    return cut.rstrip() + "…"


def _state(hidden_at, deleted_at, erased_at) -> str:
    if erased_at is not None:
        return ERASED
    if deleted_at is not None:
        return DELETED
    return HIDDEN if hidden_at is not None else SHOWN


def _quotes(thread: Thread, ids: set[int]) -> dict[int, Quote]:
    """One query for any number of quoted posts, of this thread only. The text of a post the
    group cannot read is not even loaded."""
    if not ids:
        return {}
    readable = and_(Post.hidden_at.is_(None), Post.deleted_at.is_(None), Post.erased_at.is_(None))
    rows = db.session.execute(
        select(Post.id, Post.number, shown_name_of(), Post.hidden_at, Post.deleted_at,
               Post.erased_at, case((readable, Post.body_html), else_=literal("")))
        .join(Membership, Membership.id == Post.author_id)
        .where(Post.id.in_(ids), Post.thread_id == thread.id, Post.space_id == thread.space_id,
               IN_FLOW))
    quotes = {}
    for post_id, number, name, hidden_at, deleted_at, erased_at, html in rows:
        state = _state(hidden_at, deleted_at, erased_at)
        quotes[post_id] = Quote(post_id, number, name, state,
                                excerpt_of(html) if state == SHOWN else "")
    return quotes


def quotes_for_page(thread: Thread, posts: list[Post]) -> dict[int, Quote]:
    """Post id -> the quote it opens with, for the posts on a thread page (at most one
    query, none when nothing on the page quotes)."""
    quoted = _quotes(thread, {p.quote_of_id for p in posts if p.quote_of_id is not None})
    return {p.id: quoted[p.quote_of_id] for p in posts if p.quote_of_id in quoted}


def _post_id(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) < 11 and 0 < int(raw) <= _MAX_ID):
        raise NotFound()
    return int(raw)


def requested_quote(actor: Actor, thread: Thread, raw: str | None) -> Quote | None:
    """The quote a reply form starts with (?quote=<post id>): a post of this very thread,
    else 404 (a post of another thread or space is not named here, not even as missing).
    None when there is no reply form to start (a closed or hidden conversation)."""
    post_id = _post_id(raw)
    if post_id is None or not policy.can_reply_thread(actor, thread):
        return None
    quote = _quotes(thread, {post_id}).get(post_id)
    if quote is None:
        raise NotFound()
    return quote


def quoted_post(actor: Actor, thread: Thread, raw: str | None) -> Post | None:
    """The post a sent reply quotes (its form's quote_of), loaded for the service."""
    post_id = _post_id(raw)
    if post_id is None:
        return None
    post = db.session.scalar(select(Post).where(
        Post.id == post_id, Post.thread_id == thread.id, Post.space_id == thread.space_id,
        IN_FLOW))
    if post is None or not policy.can_read_thread(actor, thread):
        raise NotFound()
    return post


def check_quote(actor: Actor, thread: Thread, post: Post) -> None:
    """Called by forum.service.reply: a reply quotes a readable post of its own thread."""
    if post.thread_id != thread.id or post.space_id != thread.space_id or post.number is None:
        raise NotFound()
    if not policy.can_quote_post(actor, post):
        raise ServiceError(_("The message you quoted has been hidden or deleted in the "
                             "meantime, so it cannot be quoted. Your text is kept below, "
                             "without the quote: send it again."), "quote_of")
