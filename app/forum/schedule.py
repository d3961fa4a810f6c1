"""Planned forum content: a thread or reply written now by a facilitator and published at a
set time. Checking the time, planning a reply, and changing, publishing or cancelling a
plan; the publication itself is app/forum/publish.py."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select

from app import policy
from app.database import DOUBLE_SUBMIT_WINDOW, transactional, utcnow
from app.dates import format_day
from app.errors import ServiceError, require
from app.extensions import db
from app.forum.models import Post, Thread
from app.forum.planned import opening_post
from app.forum.publish import publish_item, publish_reply, publish_thread
from app.policy import Actor
from app.spaces.models import Membership, Space
from app.text import clean_body, clean_title, render_or_refuse
from app.uploads.service import attach_to_post, remove_post_uploads

# How far ahead a plan may reach: a group's programme, not a time capsule.
MAX_AHEAD = timedelta(days=366)


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def publication_time(day: date | None, at: time | None, *, field: str = "publish_date"
                     ) -> datetime | None:
    """The moment a facilitator typed (a day and a time on the group's clock) in UTC; None
    when both are empty (publish now). Half a moment, or a time the clock skips when summer
    time starts, is refused at the field."""
    if day is None and at is None:
        return None
    if day is None:
        raise ServiceError(_("Choose a day as well, or leave the time empty to post now."),
                           field)
    if at is None:
        raise ServiceError(_("Choose a time as well, or leave the day empty to post now."),
                           field.replace("date", "time"))
    zone = _zone()
    local = datetime.combine(day, at.replace(second=0, microsecond=0), tzinfo=zone)
    moment = local.astimezone(timezone.utc)
    if moment.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ServiceError(_("That time does not exist on that day (the clocks go forward). "
                             "Choose another time."), field.replace("date", "time"))
    return moment


def check_publish_at(actor: Actor, space: Space, publish_at: datetime,
                     field: str = "publish_date") -> datetime:
    """Only the leads plan; the moment lies ahead, at most a year, and before the group's
    space closes (after that nothing can be added)."""
    require(policy.can_schedule(actor, space))
    now = utcnow()
    if publish_at <= now:
        raise ServiceError(_("Choose a moment in the future, or leave the day and time empty "
                             "to post now."), field)
    if publish_at > now + MAX_AHEAD:
        raise ServiceError(_("You can plan at most a year ahead."), field)
    if publish_at.astimezone(_zone()).date() > space.rental_end:
        raise ServiceError(_("This group space closes after %(date)s. Choose an earlier day.",
                             date=format_day(space.rental_end)), field)
    return publish_at


def _space(actor: Actor, space_id: int) -> Space:
    return actor.membership(space_id).space


def plan_reply(actor: Actor, thread: Thread, *, author: Membership, body: str, body_html: str,
               files=(), quote: Post | None = None, publish_at: datetime) -> Post:
    """A reply that waits for its time (called by forum.service.reply, in its transaction).
    It has no number yet: numbers are the group's reading order (pages, read positions,
    "first unread"), so a planned reply takes the next free number only when it is
    published, and the flow the members see stays gap-free and in order."""
    check_publish_at(actor, _space(actor, thread.space_id), publish_at)
    now = utcnow()
    repeat = db.session.scalar(
        select(Post).where(Post.thread_id == thread.id, Post.author_id == author.id,
                           Post.number.is_(None), Post.body == body,
                           Post.created_at > now - DOUBLE_SUBMIT_WINDOW))
    if repeat is not None:
        return repeat
    post = Post(space_id=thread.space_id, thread_id=thread.id, number=None,
                author_id=author.id, body=body, body_html=body_html, created_at=now,
                quote_of_id=quote.id if quote is not None else None, publish_at=publish_at)
    db.session.add(post)
    db.session.flush()
    attach_to_post(actor, post, files)
    return post


@transactional
def edit_planned_thread(actor: Actor, thread: Thread, *, title: str, body: str,
                        publish_at: datetime | None) -> Thread:
    """New title, text or time of a planned thread. Nobody has seen it yet, so no earlier
    version is kept and it will not show as edited."""
    require(policy.can_change_planned(actor, thread))
    if publish_at is None:
        raise ServiceError(_("Choose a day and a time, or use \"Post now\"."), "publish_date")
    check_publish_at(actor, _space(actor, thread.space_id), publish_at)
    title, body = clean_title(title), clean_body(body)
    body_html = render_or_refuse(body)
    post = opening_post(thread)
    thread.title, thread.publish_at = title, publish_at
    post.body, post.body_html, post.publish_at = body, body_html, publish_at
    return thread


@transactional
def edit_planned_reply(actor: Actor, post: Post, *, body: str,
                       publish_at: datetime | None) -> Post:
    require(policy.can_change_planned(actor, post) and post.number is None)
    if publish_at is None:
        raise ServiceError(_("Choose a day and a time, or use \"Post now\"."), "publish_date")
    check_publish_at(actor, _space(actor, post.space_id), publish_at)
    body = clean_body(body)
    post.body, post.body_html, post.publish_at = body, render_or_refuse(body), publish_at
    return post


@transactional
def publish_now(actor: Actor, item) -> bool:
    """Publish a planned thread, reply or library item at once, as the worker would."""
    require(policy.can_change_planned(actor, item))
    if isinstance(item, Thread):
        return publish_thread(item.id, at=utcnow())
    if not isinstance(item, Post):  # a library item
        return publish_item(item.id, at=utcnow())
    require(item.number is None)
    return publish_reply(item.id, at=utcnow())


@transactional
def cancel_planned(actor: Actor, item: Thread | Post) -> None:
    """Drop a plan: the thread or reply was never published, so it goes entirely (its
    opening post and the author's read position go with the thread by cascade, attached
    files once the removal has committed)."""
    require(policy.can_change_planned(actor, item))
    remove_post_uploads(opening_post(item) if isinstance(item, Thread) else item)
    if isinstance(item, Thread):
        db.session.execute(delete(Thread).where(Thread.id == item.id,
                                                Thread.publish_at.is_not(None)))
    else:
        require(item.number is None)
        db.session.execute(delete(Post).where(Post.id == item.id, Post.publish_at.is_not(None)))
