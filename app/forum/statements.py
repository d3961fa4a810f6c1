"""Statements (stellingen): the positions a facilitator offers, the one position each member
holds, and the counts. Names are never shown: only how many took each position."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, case, func, select

from app import policy
from app.database import transactional, utcnow
from app.errors import Forbidden, NotFound, ServiceError, require
from app.extensions import db
from app.forum.models import STATEMENT, Thread
from app.forum.seed_models import LABEL_MAX, POSITION_COUNT, StatementChoice, StatementPosition
from app.policy import Actor
from app.upsert import upsert

# What the start form offers; the facilitator may reword each.
DEFAULT_LABELS = (_l("Agree"), _l("Disagree"), _l("Not sure"))
assert len(DEFAULT_LABELS) == POSITION_COUNT


def label_field(number: int) -> str:
    """The form field of position `number` (1-based), where a refusal is shown."""
    return f"label_{number}"


def clean_labels(labels) -> list[str]:
    """Exactly POSITION_COUNT one-line labels, none empty, none too long, no two alike."""
    labels = [" ".join(str(label or "").split()) for label in labels]
    if len(labels) != POSITION_COUNT:
        raise ServiceError(_("Give every position a name."))
    seen: set[str] = set()
    for number, label in enumerate(labels, start=1):
        if not label:
            raise ServiceError(_("Give this position a name."), label_field(number))
        if len(label) > LABEL_MAX:
            raise ServiceError(_("A position can be at most %(n)d characters (now %(m)d).",
                                 n=LABEL_MAX, m=len(label)), label_field(number))
        if label.casefold() in seen:
            raise ServiceError(_("Two positions have the same name: make them different."),
                               label_field(number))
        seen.add(label.casefold())
    return labels


def add_positions(thread: Thread, labels: list[str]) -> None:
    """The positions of a statement just started (part of starting it; see seeding.py). A
    form sent twice finds the thread it started the first time: its positions stay."""
    exists = db.session.scalar(select(StatementPosition.id).where(
        StatementPosition.thread_id == thread.id).limit(1))
    if exists is not None:
        return
    for number, label in enumerate(labels, start=1):
        db.session.add(StatementPosition(space_id=thread.space_id, thread_id=thread.id,
                                         number=number, label=label))


@dataclass
class PositionCount:
    id: int
    number: int
    label: str
    count: int
    mine: bool


@dataclass
class Poll:
    """A statement's positions with their counts, for one reader."""

    thread: Thread
    positions: list[PositionCount] = field(default_factory=list)
    error: str | None = None  # a refused choice, shown beside the positions

    @property
    def space_id(self) -> int:
        return self.thread.space_id

    @property
    def total(self) -> int:
        return sum(p.count for p in self.positions)

    @property
    def chosen(self) -> bool:
        return any(p.mine for p in self.positions)

    @property
    def my_position(self) -> PositionCount | None:
        return next((p for p in self.positions if p.mine), None)

    def percent(self, position: PositionCount) -> int:
        return round(100 * position.count / self.total) if self.total else 0


def _poll_statement():
    """Each position of a thread with how many hold it and whether the reader does, built
    once per process from the tables (the thread page runs it on every request)."""
    position, choice = StatementPosition.__table__.c, StatementChoice.__table__.c
    return (select(position.id, position.number, position.label, func.count(choice.id),
                   func.max(case((choice.membership_id == bindparam("me"), 1), else_=0)))
            .outerjoin(StatementChoice.__table__, choice.position_id == position.id)
            .where(position.thread_id == bindparam("thread_id"),
                   position.space_id == bindparam("space_id"))
            .group_by(position.id, position.number, position.label)
            .order_by(position.number))


_POLL = _poll_statement()


def statement_poll(actor: Actor, thread: Thread) -> Poll | None:
    """The poll of a statement thread in one query: each position, how many hold it, and
    whether the reader does. None for a statement without positions (started before polls)."""
    me = actor.membership(thread.space_id)
    rows = db.session.execute(_POLL, {"me": me.id if me is not None else -1,
                                      "thread_id": thread.id,
                                      "space_id": thread.space_id}).all()
    if not rows:
        return None
    return Poll(thread, [PositionCount(id_, number, label, count, bool(own))
                         for id_, number, label, count, own in rows])


@transactional
def take_position(actor: Actor, thread: Thread, *, position: int) -> None:
    """Hold position number `position`. Idempotent: sending the same choice again changes
    nothing, another choice replaces the first (one row per member per statement)."""
    require(policy.can_take_position(actor, thread))
    position_id = db.session.scalar(select(StatementPosition.id).where(
        StatementPosition.thread_id == thread.id, StatementPosition.space_id == thread.space_id,
        StatementPosition.number == position))
    if position_id is None:
        raise ServiceError(_("Choose one of the positions."), "position")
    me = actor.membership(thread.space_id)
    upsert(StatementChoice, keys={"thread_id": thread.id, "membership_id": me.id},
           values={"space_id": thread.space_id, "position_id": position_id,
                   "chosen_at": utcnow()},
           replace=("position_id", "chosen_at"))


@transactional
def edit_positions(actor: Actor, thread: Thread, *, labels) -> None:
    """Reword the positions while nobody has chosen one (checked again under the thread's
    positions, so a choice made meanwhile wins)."""
    poll = statement_poll(actor, thread)
    if poll is None:
        raise NotFound()
    require(policy.can_edit_statement(actor, poll))
    labels = clean_labels(labels)
    rows = db.session.scalars(select(StatementPosition).where(
        StatementPosition.thread_id == thread.id).order_by(StatementPosition.number)
        .with_for_update()).all()
    if db.session.scalar(select(StatementChoice.id).where(
            StatementChoice.thread_id == thread.id).limit(1)) is not None:
        raise ServiceError(_("Someone has already chosen a position, so the positions can no "
                             "longer be changed."))
    for row, label in zip(rows, labels):
        row.label = label


def get_statement(actor: Actor, space, thread_id: int) -> Thread:
    """A statement thread of this space (any other kind, or another space's id: 404)."""
    from app.forum.queries import get_thread

    thread = get_thread(actor, space, thread_id)
    if thread.kind != STATEMENT:
        raise NotFound()
    return thread


def poll_for_edit(actor: Actor, thread: Thread) -> Poll:
    """The poll whose positions the actor may reword; once someone chose, a refusal that
    says so."""
    poll = statement_poll(actor, thread)
    if poll is None:
        raise NotFound()
    if poll.total and policy.can_edit_statement(actor, replace(poll, positions=[])):
        raise Forbidden(_("Someone has already chosen a position, so the positions can no "
                          "longer be changed."))
    require(policy.can_edit_statement(actor, poll))
    return poll
