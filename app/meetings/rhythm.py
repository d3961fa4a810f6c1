"""Content on the rhythm: a meeting's preparation prompt (published a set time before it) and
its reflection thread ("nabespreking", published when it ends), written ahead as planned
threads (app/forum/schedule.py). They move with their meeting and go when it is cancelled."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from app import policy
from app.database import transactional, utcnow
from app.errors import ServiceError, require
from app.extensions import db
from app.forum import service as forum
from app.forum.models import DISCUSSION, Post, Thread
from app.meetings.models import Meeting
from app.policy import Actor

DEFAULT_HOURS_BEFORE = 48
MAX_HOURS_BEFORE = 14 * 24


def _planned_ids(meeting: Meeting) -> list[int]:
    return [i for i in (meeting.preparation_thread_id, meeting.reflection_thread_id)
            if i is not None]


def _set_publish_at(thread_id: int, moment: datetime) -> None:
    """A still-planned thread (and its opening post) gets a new moment; one already
    published stays as it is. A moment already past is published by the next worker round."""
    moved = db.session.execute(update(Thread).where(
        Thread.id == thread_id, Thread.publish_at.is_not(None)).values(publish_at=moment))
    if moved.rowcount:
        db.session.execute(update(Post).where(
            Post.thread_id == thread_id, Post.number == 1, Post.publish_at.is_not(None))
            .values(publish_at=moment))


def move_threads(meeting: Meeting, *, starts_at: datetime, ends_at: datetime) -> None:
    """The meeting moves: the preparation keeps its distance to the start, the reflection
    opens at the new end (and a member's leaving day and farewell, when it is their last)."""
    from app.spaces.departures import follow_meeting

    if (starts_at, ends_at) != (meeting.starts_at, meeting.ends_at):
        follow_meeting(meeting, ends_at=ends_at)
    if meeting.preparation_thread_id is not None and starts_at != meeting.starts_at:
        thread = db.session.get(Thread, meeting.preparation_thread_id)
        if thread is not None and thread.publish_at is not None:
            _set_publish_at(thread.id, thread.publish_at + (starts_at - meeting.starts_at))
    if meeting.reflection_thread_id is not None and ends_at != meeting.ends_at:
        _set_publish_at(meeting.reflection_thread_id, ends_at)


def drop_threads(meeting: Meeting) -> None:
    """The meeting is cancelled: what was planned for it is never published (a preparation
    already out stays readable)."""
    ids = _planned_ids(meeting)
    if ids:
        db.session.execute(delete(Thread).where(Thread.id.in_(ids),
                                                Thread.publish_at.is_not(None)))


def _dated(title: str, meeting: Meeting) -> str:
    from app.meetings.queries import short_day

    return f"{title} ({short_day(meeting.starts_at)})"


@transactional
def plan_content(actor: Actor, meetings: list[Meeting], *, preparation_title: str = "",
                 preparation_body: str = "", hours_before: int = DEFAULT_HOURS_BEFORE,
                 reflection_title: str = "", reflection_body: str = "") -> int:
    """Write the preparation prompt and/or the reflection thread for these meetings (one, or
    every coming one of a series) as planned threads titled with the meeting's day. A
    meeting that has one already keeps it (change it on the planned page); a preparation
    whose moment has passed is left out. Returns how many threads were planned."""
    if not meetings:
        return 0
    space = actor.membership(meetings[0].space_id).space
    require(all(policy.can_change_meeting(actor, m) and m.space_id == space.id
                for m in meetings) and policy.can_schedule(actor, space))
    preparing = bool(preparation_title.strip() or preparation_body.strip())
    reflecting = bool(reflection_title.strip() or reflection_body.strip())
    if not (preparing or reflecting):
        raise ServiceError(_("Write a preparation prompt, a reflection thread or both."),
                           "preparation_title")
    for field, title, body, wanted in (
            ("preparation", preparation_title, preparation_body, preparing),
            ("reflection", reflection_title, reflection_body, reflecting)):
        if wanted and not title.strip():
            raise ServiceError(_("Give the conversation a title."), f"{field}_title")
        if wanted and not body.strip():
            raise ServiceError(_("Write a message first."), f"{field}_body")
    if not 1 <= hours_before <= MAX_HOURS_BEFORE:
        raise ServiceError(_("Choose between 1 and %(n)d hours.", n=MAX_HOURS_BEFORE),
                           "hours_before")
    planned = 0
    now = utcnow()
    for meeting in meetings:
        prep_at = meeting.starts_at - timedelta(hours=hours_before)
        if preparing and meeting.preparation_thread_id is None and prep_at > now:
            meeting.preparation_thread_id = _plan(actor, space, meeting, "preparation",
                                                  preparation_title, preparation_body, prep_at)
            planned += 1
        if reflecting and meeting.reflection_thread_id is None:
            meeting.reflection_thread_id = _plan(actor, space, meeting, "reflection",
                                                 reflection_title, reflection_body,
                                                 meeting.ends_at)
            planned += 1
    return planned


def _plan(actor, space, meeting, field: str, title: str, body: str, at: datetime) -> int:
    try:
        return forum.start_thread(actor, space, kind=DISCUSSION, title=_dated(title, meeting),
                                  body=body, publish_at=at).id
    except ServiceError as exc:  # the forum's own checks, shown at this form's fields
        exc.field = {"title": f"{field}_title", "body": f"{field}_body",
                     "publish_date": f"{field}_title"}.get(exc.field, exc.field)
        raise


def content_threads(meeting: Meeting) -> dict[str, Thread | None]:
    ids = _planned_ids(meeting)
    found = {t.id: t for t in db.session.scalars(select(Thread).where(Thread.id.in_(ids)))} \
        if ids else {}
    return {"preparation": found.get(meeting.preparation_thread_id),
            "reflection": found.get(meeting.reflection_thread_id)}
