"""Forum use cases: start a thread, reply, edit and delete posts, react, pin and lock, and
remember how far a member has read. Each takes the actor first and checks policy first."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from app import policy
from app.database import DOUBLE_SUBMIT_WINDOW, lock_row, transactional, utcnow
from app.errors import ServiceError, require
from app.extensions import db
from app.forum.models import (
    ANNOUNCEMENT, REACTIONS, THREAD_KINDS, Post, PostRevision, Reaction, ReadState, Thread,
    ThreadTitleRevision,
)
from app.forum.notices import on_reply, on_thread
from app.forum.quotes import check_quote
from app.forum.schedule import check_publish_at, plan_reply
from app.moderation.log import RENAME_THREAD, log_action
from app.notify import service as notifications
from app.policy import Actor
from app.spaces.models import Membership, Space
from app.text import clean_body, clean_title, render_or_refuse
from app.uploads.service import attach_to_post, remove_post_uploads
from app.upsert import upsert


# The statements every reply runs, built once (with their cache keys) instead of per call:
# building them cost more than running them (issue 12). Core statements of the tables: the
# ORM's synchronisation of loaded rows is done by hand where a caller relies on it.
_SEEN_POSTS = select(Post.id).where(Post.thread_id == bindparam("seen_thread"),
                                    Post.number <= bindparam("seen_upto"))
# A resent reply is looked for among the author's newest posts in the thread within the
# window, at most this many: one person posting thousands a minute (a script, the benchmark)
# made the check read all of them on every reply (issue 12). Under the posting limit
# (RATELIMIT_POSTS, 10 a minute) nobody has more than 30 in the window, so none is missed.
TWIN_CANDIDATES = 50
_TWIN_REPLY = select(Post).where(
    Post.id.in_(select(Post.id).where(
        Post.thread_id == bindparam("thread_id"), Post.author_id == bindparam("author_id"),
        Post.created_at > bindparam("since"))
        .order_by(Post.created_at.desc()).limit(TWIN_CANDIDATES)),
    Post.body == bindparam("body"), Post.deleted_at.is_(None))
_COUNT_REPLY = (update(Thread.__table__).where(Thread.id == bindparam("thread_id"))
                .values(post_count=bindparam("number"), last_post_at=bindparam("now")))


_INSERT_POST = insert(Post.__table__).returning(*Post.__table__.c)


def _insert_post(**values) -> Post:
    """The new post, inserted by the table's INSERT … RETURNING and handed to the session as a
    loaded row: the ORM's flush of one new object cost four times as much (issue 12)."""
    row = db.session.execute(_INSERT_POST, values).one()
    post = Post(**row._mapping)
    make_transient_to_detached(post)  # as if loaded: every column known, nothing pending
    db.session.add(post)
    return post


def _mark_read(membership_id: int, thread: Thread, number: int) -> None:
    """The member has seen the thread up to post `number`: move their read position (never
    backwards) and mark their notifications about those posts read."""
    upsert(ReadState, keys={"thread_id": thread.id, "membership_id": membership_id},
           values={"space_id": thread.space_id, "last_read_number": number},
           keep_greatest="last_read_number")
    notifications.mark_posts_read(membership_id, thread.id, _SEEN_POSTS,
                                  seen_thread=thread.id, seen_upto=number)


@transactional
def start_thread(actor: Actor, space: Space, *, kind: str, title: str, body: str,
                 files=(), publish_at: datetime | None = None) -> Thread:
    """`publish_at`: a planned thread, seen by the leads only until app/forum/publish.py
    publishes it at that moment (and notifies then, not now)."""
    if kind not in THREAD_KINDS:
        raise ServiceError(_("Choose one of the offered kinds."), "kind")
    require(policy.can_start_thread(actor, space, kind))
    if publish_at is not None:
        check_publish_at(actor, space, publish_at)
    title, body = clean_title(title), clean_body(body)
    author = actor.membership(space.id)
    body_html = render_or_refuse(body)
    # The check for a resent form runs under the author's row lock: of two identical submits
    # arriving together, the second waits here and then finds the first one's thread.
    lock_row(Membership.role, author.id)
    now = utcnow()
    repeat = db.session.scalar(
        select(Thread).join(Post, (Post.thread_id == Thread.id) & (Post.number == 1)).where(
            Thread.space_id == space.id, Thread.author_id == author.id, Thread.title == title,
            Post.body == body, Thread.created_at > now - DOUBLE_SUBMIT_WINDOW))
    if repeat is not None:
        return repeat
    thread = Thread(space_id=space.id, kind=kind, title=title, author_id=author.id,
                    created_at=now, last_post_at=now, post_count=1,
                    is_pinned=kind == ANNOUNCEMENT, publish_at=publish_at)
    db.session.add(thread)
    db.session.flush()
    post = Post(space_id=space.id, thread_id=thread.id, number=1, author_id=author.id,
                body=body, body_html=body_html, created_at=now, publish_at=publish_at)
    db.session.add(post)
    db.session.flush()
    attach_to_post(actor, post, files)
    _mark_read(author.id, thread, 1)
    if publish_at is None:
        on_thread(thread, post)
    return thread


@transactional
def reply(actor: Actor, thread: Thread, *, body: str, files=(),
          quote: Post | None = None, publish_at: datetime | None = None) -> Post:
    """`publish_at`: a planned reply, numbered and announced only when it is published."""
    require(policy.can_reply_thread(actor, thread))
    body = clean_body(body)
    if quote is not None:
        check_quote(actor, thread, quote)
    author = actor.membership(thread.space_id)
    body_html = render_or_refuse(body)
    if publish_at is not None:
        return plan_reply(actor, thread, author=author, body=body, body_html=body_html,
                          files=files, quote=quote, publish_at=publish_at)
    # Under the thread's row lock: the next number never clashes with a concurrent reply, and
    # the check for a resent form sees a twin submit that arrived a moment earlier.
    count = lock_row(Thread.post_count, thread.id)
    now = utcnow()
    repeat = db.session.scalar(_TWIN_REPLY, {
        "thread_id": thread.id, "author_id": author.id, "body": body,
        "since": now - DOUBLE_SUBMIT_WINDOW})
    if repeat is not None:
        return repeat
    number = count + 1
    db.session.execute(_COUNT_REPLY, {"thread_id": thread.id, "number": number, "now": now})
    # The loaded thread shows the new count, as the ORM's own UPDATE would have made it.
    set_committed_value(thread, "post_count", number)
    set_committed_value(thread, "last_post_at", now)
    post = _insert_post(space_id=thread.space_id, thread_id=thread.id, number=number,
                        author_id=author.id, body=body, body_html=body_html, created_at=now,
                        quote_of_id=quote.id if quote is not None else None)
    attach_to_post(actor, post, files)
    _mark_read(author.id, thread, number)  # replying means having seen the thread
    on_reply(thread, post)
    return post


@transactional
def edit_post(actor: Actor, post: Post, *, body: str) -> Post:
    require(policy.can_edit_post(actor, post))
    body = clean_body(body)
    if body == post.body:
        return post
    body_html = render_or_refuse(body)
    db.session.add(PostRevision(space_id=post.space_id, post_id=post.id, body=post.body,
                                created_at=post.edited_at or post.created_at,
                                replaced_by_id=post.author_id))
    post.body, post.body_html, post.edited_at = body, body_html, utcnow()
    post.edited_by_id = None  # the author's own edit (a moderator's: app/moderation)
    return post


@transactional
def edit_thread_title(actor: Actor, thread: Thread, *, title: str) -> Thread:
    """A new title; the old one is kept as a revision and the thread shows "edited"."""
    require(policy.can_edit_thread_title(actor, thread))
    title = clean_title(title)
    if title == thread.title:
        return thread
    now = utcnow()
    me = actor.membership(thread.space_id)
    revision = ThreadTitleRevision(
        space_id=thread.space_id, thread_id=thread.id, title=thread.title,
        created_at=thread.title_edited_at or thread.created_at, replaced_by_id=me.id)
    db.session.add(revision)
    thread.title, thread.title_edited_at = title, now
    if me.id != thread.author_id:
        # Someone else's title changed: a moderation action. The log points at the kept old
        # title (before) and the thread (after), never copying member-written text into the
        # one table that can never be cleaned.
        db.session.flush()
        log_action(thread.space_id, RENAME_THREAD, actor=me,
                   subject=db.session.get(Membership, thread.author_id), thread_id=thread.id,
                   detail={"before_revision": revision.id})
    return thread


@transactional
def delete_post(actor: Actor, post: Post) -> None:
    """Soft delete: the post stays in the flow as "message deleted". Deleting the opening
    post takes the thread's title out of every list too; the replies stay readable."""
    require(policy.can_delete_post(actor, post))
    post.deleted_at = utcnow()
    if post.number == 1:
        db.session.execute(update(Thread).where(Thread.id == post.thread_id)
                           .values(title_removed_at=post.deleted_at))
    db.session.execute(delete(Reaction).where(Reaction.post_id == post.id))
    remove_post_uploads(post)
    notifications.forget_post(post.id)


@transactional
def set_reaction(actor: Actor, post: Post, *, kind: str, on: bool) -> None:
    """Idempotent: the form says which state it wants, so a double submit changes nothing."""
    if kind not in REACTIONS:
        raise ServiceError(_("Unknown reaction."), "kind")
    require(policy.can_react_post(actor, post))
    me = actor.membership(post.space_id).id
    if on:
        upsert(Reaction, keys={"post_id": post.id, "membership_id": me, "kind": kind},
               values={"space_id": post.space_id, "created_at": utcnow()})
    else:
        db.session.execute(delete(Reaction).where(
            Reaction.post_id == post.id, Reaction.membership_id == me, Reaction.kind == kind))


@transactional
def set_pinned(actor: Actor, thread: Thread, *, pinned: bool) -> None:
    require(policy.can_pin_thread(actor, thread))
    thread.is_pinned = pinned


@transactional
def set_locked(actor: Actor, thread: Thread, *, locked: bool) -> None:
    require(policy.can_lock_thread(actor, thread))
    thread.is_locked = locked


@transactional
def mark_read(actor: Actor, thread: Thread, *, upto: int) -> None:
    """Bookkeeping of the reader's own position (the one kind of write a page view makes,
    like a throttled last-seen). Never moves backwards."""
    if not policy.can_read_thread(actor, thread):
        return
    _mark_read(actor.membership(thread.space_id).id, thread, min(upto, thread.post_count))
