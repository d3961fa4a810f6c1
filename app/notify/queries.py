"""Reads for notifications: the list and the unread count, in a fixed number of queries,
showing only what the reader may still see (not from spaces they left or are suspended
from)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import aliased

from app import policy
from app.errors import NotFound
from app.extensions import db
from app.forum.models import Post, Thread
from app.forum.queries import listed_title
from app.notify.models import Notification, NotificationSettings
from app.paging import Reach, reach
from app.policy import Actor
from app.spaces.models import Membership, Space, shown_name_of

PER_PAGE = 30
# The header says "99+" past this: a reader with 400,000 unread notifications costs the
# same count as one with a hundred.
UNREAD_CAP = 100


def _readable(actor: Actor) -> list[int]:
    """The reader's memberships in spaces they may read now."""
    return [m.id for m in policy.readable_memberships(actor).values()]


def _visible(actor: Actor):
    """Only from spaces the reader may read now. Notifications about a deleted post are
    gone already (forum.service.delete_post → notify.service.forget_post)."""
    return (Notification.user_id == actor.user.id,
            Notification.membership_id.in_(_readable(actor)))


@lru_cache(maxsize=1)
def _unread_statement():
    """The count in every page's menu, built once per process (issue 12); the same
    conditions as _visible, with the reader and their readable memberships as parameters."""
    # Of table columns, not mapped attributes: then it runs as a plain Core statement,
    # without the ORM's compile and result layers.
    notification = Notification.__table__.c
    capped = (select(notification.id)
              .where(notification.user_id == bindparam("user_id"),
                     notification.membership_id.in_(bindparam("readable", expanding=True)),
                     notification.read_at.is_(None))
              .limit(UNREAD_CAP).subquery())
    return select(func.count()).select_from(capped)


def unread_count(actor: Actor) -> int:
    """Unread notifications, counted up to UNREAD_CAP (the header shows "99+" from there)."""
    if actor.user is None or not actor.memberships:
        return 0
    return db.session.scalar(_unread_statement(), {"user_id": actor.user.id,
                                                   "readable": _readable(actor)})


@dataclass
class Row:
    notification: Notification
    space_name: str
    space_slug: str
    thread_title: str | None  # None: no thread, or its title was removed
    post_number: int | None
    about_name: str | None


def _rows(actor: Actor):
    """Notifications with what the list shows of them, in one query."""
    about = aliased(Membership)
    return (select(Notification, Space.name, Space.slug, listed_title(), Post.number,
                   shown_name_of(about))
            .join(Space, Space.id == Notification.space_id)
            .outerjoin(Thread, Thread.id == Notification.thread_id)
            .outerjoin(Post, Post.id == Notification.post_id)
            .outerjoin(about, about.id == Notification.about_id)
            .where(*_visible(actor)))


def notification_page(actor: Actor, page: int = 1) -> tuple[list[Row], Reach]:
    """One page, newest first, and how far the list reaches from it: the notifications are
    counted only as far as the pager looks (app/paging.py), never all of them."""
    if actor.user is None or not actor.memberships:
        return [], Reach(page=1, pages=1, more=False)
    counted = reach(select(Notification.id).where(*_visible(actor)), page, PER_PAGE)
    rows = db.session.execute(
        _rows(actor).order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(PER_PAGE).offset((counted.page - 1) * PER_PAGE))
    return [Row(*row) for row in rows], counted


def get_notification(actor: Actor, notification_id: int) -> Row:
    if actor.user is None:
        raise NotFound()
    row = db.session.execute(_rows(actor).where(Notification.id == notification_id)).first()
    if row is None:
        raise NotFound()
    return Row(*row)


def my_settings(actor: Actor) -> list[tuple[Space, NotificationSettings]]:
    from app.notify.service import settings_for

    readable = policy.readable_memberships(actor)
    if not readable:
        return []
    spaces = db.session.scalars(select(Space).where(Space.id.in_(readable)).order_by(Space.name)).all()
    settings = settings_for([m.id for m in readable.values()])
    return [(space, settings[readable[space.id].id]) for space in spaces]
