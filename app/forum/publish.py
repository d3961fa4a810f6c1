"""Publishing planned forum content when its time has come: the worker round calls
publish_due, so nobody has to be online. Each publication is claimed with a conditional
UPDATE, so two workers (or a worker and "post now") never publish or notify twice."""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import case, select, update

from app.database import lock_row, transactional, utcnow
from app.extensions import db
from app.forum.models import Post, ReadState, Thread
from app.forum.notices import on_reply, on_thread

log = logging.getLogger("kring.publish")

BATCH = 100  # per round; the rest follows in the next round, seconds later

# Why the worker publishes rather than every page filtering on "publish_at <= now": a
# planned reply has no post number until it is published (app/forum/schedule.py), and the
# number, the thread's count and order, the read positions and the notifications must all
# change together, in one transaction holding the thread's lock. Members therefore see an
# item one worker round (a few seconds) after its time, never half-published; the item takes
# its planned moment as its time, so it lands in the right place in the activity order even
# when a round comes late.


def _due(column, due_by: datetime | None):
    return column.is_not(None) if due_by is None else column <= due_by


def publish_thread(thread_id: int, *, due_by: datetime | None = None,
                   at: datetime | None = None) -> bool:
    """Publish a planned thread (joins the caller's transaction): it takes its planned moment
    (or `at`) as its start and latest activity, then everyone hears about it as they would
    have at that moment. False if it was published, cancelled or moved meanwhile."""
    when = Thread.publish_at if at is None else at
    moment = db.session.scalar(
        update(Thread).where(Thread.id == thread_id, Thread.publish_at.is_not(None),
                             _due(Thread.publish_at, due_by))
        .values(publish_at=None, created_at=when, last_post_at=when)
        .returning(Thread.created_at), execution_options={"synchronize_session": False})
    if moment is None:
        return False
    db.session.execute(update(Post).where(Post.thread_id == thread_id, Post.number == 1)
                       .values(publish_at=None, created_at=moment),
                       execution_options={"synchronize_session": False})
    thread = db.session.get(Thread, thread_id, populate_existing=True)
    post = db.session.scalars(select(Post).where(Post.thread_id == thread_id, Post.number == 1)
                              .execution_options(populate_existing=True)).one()
    on_thread(thread, post)
    return True


def publish_reply(post_id: int, *, due_by: datetime | None = None,
                  at: datetime | None = None) -> bool:
    """Publish a planned reply (joins the caller's transaction): under the thread's lock it
    takes the next number, the thread's count and activity move, and the participants
    hear about it. False if it was published or cancelled meanwhile."""
    thread_id = db.session.scalar(select(Post.thread_id).where(Post.id == post_id))
    if thread_id is None:
        return False
    count = lock_row(Thread.post_count, thread_id)
    if count is None:  # the thread went meanwhile
        return False
    number = count + 1
    moment = db.session.scalar(
        update(Post).where(Post.id == post_id, Post.number.is_(None),
                           Post.publish_at.is_not(None), _due(Post.publish_at, due_by))
        .values(number=number, publish_at=None,
                created_at=Post.publish_at if at is None else at)
        .returning(Post.created_at), execution_options={"synchronize_session": False})
    if moment is None:
        return False
    db.session.execute(
        update(Thread).where(Thread.id == thread_id).values(
            post_count=number,
            last_post_at=case((Thread.last_post_at > moment, Thread.last_post_at), else_=moment)),
        execution_options={"synchronize_session": False})
    post = db.session.get(Post, post_id, populate_existing=True)
    # The author has read their own reply if they had read up to it; a position behind it
    # stays where it was (the posts in between are still new to them).
    db.session.execute(update(ReadState).where(
        ReadState.thread_id == thread_id, ReadState.membership_id == post.author_id,
        ReadState.last_read_number == count).values(last_read_number=number),
        execution_options={"synchronize_session": False})
    on_reply(db.session.get(Thread, thread_id, populate_existing=True), post)
    return True


def publish_item(item_id: int, *, due_by: datetime | None = None,
                 at: datetime | None = None) -> bool:
    """Publish a planned library item (joins the caller's transaction). The library shows it
    to the group from its moment on by itself (app/library/queries.py); this makes that
    moment its date in the newest-first list and tells the group, once."""
    from app.library.models import LibraryItem
    from app.library.notices import on_item_published

    found = db.session.scalar(
        update(LibraryItem).where(LibraryItem.id == item_id, LibraryItem.deleted_at.is_(None),
                                  LibraryItem.publish_at.is_not(None),
                                  _due(LibraryItem.publish_at, due_by))
        .values(publish_at=None, created_at=LibraryItem.publish_at if at is None else at)
        .returning(LibraryItem.id), execution_options={"synchronize_session": False})
    if found is None:
        return False
    on_item_published(db.session.get(LibraryItem, item_id, populate_existing=True))
    return True


_PUBLISH = {"thread": publish_thread, "reply": publish_reply, "item": publish_item}


@transactional
def _publish_one(kind: str, item_id: int, now: datetime) -> bool:
    return _PUBLISH[kind](item_id, due_by=now)


def publish_due(now: datetime | None = None) -> int:
    """Publish every planned thread, reply and library item whose time has come, oldest plan first, each
    in its own transaction. Returns how many this round published."""
    now = now or utcnow()
    threads = db.session.execute(
        select(Thread.publish_at, Thread.id).where(Thread.publish_at <= now)
        .order_by(Thread.publish_at, Thread.id).limit(BATCH)).all()
    replies = db.session.execute(
        select(Post.publish_at, Post.id).where(Post.publish_at <= now, Post.number.is_(None))
        .order_by(Post.publish_at, Post.id).limit(BATCH)).all()
    from app.library.models import LibraryItem

    items = db.session.execute(
        select(LibraryItem.publish_at, LibraryItem.id).where(
            LibraryItem.publish_at <= now, LibraryItem.deleted_at.is_(None))
        .order_by(LibraryItem.publish_at, LibraryItem.id).limit(BATCH)).all()
    due = sorted([(at, 0, "thread", i) for at, i in threads]
                 + [(at, 1, "reply", i) for at, i in replies]
                 + [(at, 2, "item", i) for at, i in items])
    published = 0
    for _at, _order, kind, item_id in due:
        try:
            published += _publish_one(kind, item_id, now)
        except Exception:  # one broken item must not hold back the others
            log.exception("publishing planned %s %s failed", kind, item_id)
    return published
