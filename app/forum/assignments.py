"""Assignments: the due date (typed as a local day and an optional time, stored in UTC) and,
for the leads, who has responded (a message of their own in the thread besides the opening
one) and who has not. Members only ever learn their own state."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from app import policy
from app.database import transactional
from app.errors import NotFound, ServiceError, require
from app.extensions import db
from app.forum.models import ASSIGNMENT, Post, Thread
from app.forum.seed_models import AssignmentDue
from app.policy import Actor
from app.spaces.models import MEMBER, MODERATOR, Membership
from app.upsert import upsert

# Who is expected to hand in: the participants. Moderators are members with an extra task;
# co-facilitators lead the group with the facilitator and set the work, so they are left out.
EXPECTED_ROLES = (MEMBER, MODERATOR)
# How far ahead a due date may lie: further is a typing error (2062 for 2026).
FURTHEST = timedelta(days=2 * 366)

_DAY_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_DUTCH = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _parse_day(text: str) -> date:
    match = _DAY_ISO.fullmatch(text)
    parts = match.groups() if match else None
    if parts is None and (match := _DAY_DUTCH.fullmatch(text)):
        day, month, year = match.groups()
        parts = (year, month, day)
    try:
        if parts is None:
            raise ValueError(text)
        return date(*(int(p) for p in parts))
    except ValueError:
        raise ServiceError(_("Enter a date like 24-12-2026."), "due_date") from None


def _parse_time(text: str) -> time:
    match = _TIME.fullmatch(text)
    try:
        if match is None:
            raise ValueError(text)
        return time(int(match.group(1)), int(match.group(2)))
    except ValueError:
        raise ServiceError(_("Enter a time like 19:30."), "due_time") from None


def parse_due(day_text: str, time_text: str, now: datetime) -> tuple[datetime, bool] | None:
    """(due moment in UTC, all day) from what was typed, or None for no due date. A day alone
    means "by the end of that day" in Kring's zone. Refuses with the field to correct."""
    day_text, time_text = (day_text or "").strip(), (time_text or "").strip()
    if not day_text:
        if time_text:
            raise ServiceError(_("Also enter the date, or leave the time empty."), "due_date")
        return None
    day = _parse_day(day_text)
    zone = _zone()
    if time_text:
        local = datetime.combine(day, _parse_time(time_text), tzinfo=zone)
        all_day = False
    else:
        local = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=zone)
        all_day = True
    due = local.astimezone(ZoneInfo("UTC"))
    if due <= now:
        raise ServiceError(_("This moment has already passed: choose a later one."),
                           "due_time" if time_text and day >= now.astimezone(zone).date()
                           else "due_date")
    if due > now + FURTHEST:
        raise ServiceError(_("This date lies very far ahead: check the year."), "due_date")
    return due, all_day


def local_due_day(due_at: datetime | None) -> date | None:
    """The local day a day-only deadline falls on (stored as the start of the next day)."""
    if due_at is None:
        return None
    return (due_at.astimezone(_zone()) - timedelta(seconds=1)).date()


def due_fields(due: AssignmentDue | None) -> tuple[str, str]:
    """What the form shows for a stored due date: (day, time) in Kring's zone."""
    if due is None:
        return "", ""
    local = due.due_at.astimezone(_zone())
    if due.all_day:
        return (local.date() - timedelta(days=1)).isoformat(), ""
    return local.date().isoformat(), local.strftime("%H:%M")


def store_due(thread: Thread, due: tuple[datetime, bool] | None) -> None:
    """Set or clear the due date (part of a use case that checked policy)."""
    if due is None:
        db.session.execute(delete(AssignmentDue).where(AssignmentDue.thread_id == thread.id))
        return
    upsert(AssignmentDue, keys={"thread_id": thread.id},
           values={"space_id": thread.space_id, "due_at": due[0], "all_day": due[1]},
           replace=("due_at", "all_day"))


@transactional
def edit_due_date(actor: Actor, thread: Thread, *, day: str, time_of_day: str) -> None:
    """A new due date, or none (both fields empty)."""
    require(policy.can_edit_due_date(actor, thread))
    store_due(thread, parse_due(day, time_of_day, actor.now))


def require_due_editable(actor: Actor, thread: Thread) -> None:
    require(policy.can_edit_due_date(actor, thread))


def get_due(thread: Thread) -> AssignmentDue | None:
    return db.session.scalar(select(AssignmentDue).where(
        AssignmentDue.thread_id == thread.id, AssignmentDue.space_id == thread.space_id))


def get_assignment(actor: Actor, space, thread_id: int) -> Thread:
    """An assignment thread of this space (any other kind, or another space's id: 404)."""
    from app.forum.queries import get_thread

    thread = get_thread(actor, space, thread_id)
    if thread.kind != ASSIGNMENT:
        raise NotFound()
    return thread


def _responded_by(membership_id):
    """SQL: the first moment this membership answered the thread (NULL: not yet)."""
    return (select(func.min(Post.created_at)).where(
        Post.thread_id == Thread.id, Post.author_id == membership_id, Post.number > 1,
        Post.deleted_at.is_(None)).scalar_subquery())


@dataclass
class Response:
    name: str
    answered_at: datetime | None
    late: bool


@dataclass
class AssignmentPanel:
    """What the thread page says about an assignment to one reader."""

    thread: Thread
    due_at: datetime | None = None
    all_day: bool = False
    answered: bool = False  # the reader has responded
    now: datetime | None = None
    responses: list[Response] | None = None  # the leads only

    @property
    def overdue(self) -> bool:
        return self.due_at is not None and self.now is not None and self.now >= self.due_at

    @property
    def due_day(self) -> date | None:
        return local_due_day(self.due_at)

    @property
    def done(self) -> list[Response]:
        return [r for r in self.responses or () if r.answered_at is not None]

    @property
    def waiting(self) -> list[Response]:
        return [r for r in self.responses or () if r.answered_at is None]


def assignment_panel(actor: Actor, thread: Thread) -> AssignmentPanel:
    """The due date and whether the reader answered (one query); for the leads also every
    participant with the moment they first answered (one more)."""
    me = actor.membership(thread.space_id)
    row = db.session.execute(
        select(AssignmentDue.due_at, AssignmentDue.all_day, _responded_by(me.id))
        .select_from(Thread)
        .outerjoin(AssignmentDue, AssignmentDue.thread_id == Thread.id)
        .where(Thread.id == thread.id, Thread.space_id == thread.space_id)).one()
    panel = AssignmentPanel(thread, due_at=row[0], all_day=bool(row[1]),
                            answered=row[2] is not None, now=actor.now)
    if policy.can_view_assignment_responses(actor, thread):
        panel.responses = _responses(thread, panel.due_at)
    return panel


def _responses(thread: Thread, due_at: datetime | None) -> list[Response]:
    first = (select(Post.author_id, func.min(Post.created_at).label("at"))
             .where(Post.thread_id == thread.id, Post.space_id == thread.space_id,
                    Post.number > 1, Post.deleted_at.is_(None))
             .group_by(Post.author_id).subquery())
    rows = db.session.execute(
        select(Membership.display_name, first.c.at)
        .outerjoin(first, first.c.author_id == Membership.id)
        .where(Membership.space_id == thread.space_id, Membership.ended_at.is_(None),
               Membership.role.in_(EXPECTED_ROLES))
        .order_by(Membership.name_key, Membership.id))
    return [Response(name, at, due_at is not None and at is not None and at > due_at)
            for name, at in rows]
