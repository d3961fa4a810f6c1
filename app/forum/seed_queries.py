"""What the thread page and the space home show of a statement or an assignment: the poll or
the due-date panel for one thread, and a note per row of a list."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, select

from app.extensions import db
from app.forum import assignments, statements
from app.forum.models import ASSIGNMENT, STATEMENT, Thread
from app.forum.seed_models import AssignmentDue, StatementChoice
from app.policy import Actor
from app.spaces.models import Space


def kind_panel(actor: Actor, thread: Thread):
    """The statement's poll or the assignment's panel for the thread page (None for other
    kinds): one query, two for the leads on an assignment."""
    if thread.kind == STATEMENT:
        return statements.statement_poll(actor, thread)
    if thread.kind == ASSIGNMENT:
        return assignments.assignment_panel(actor, thread)
    return None


@dataclass
class RowMark:
    """What the space home adds to a statement or assignment row for this reader."""

    due_at: datetime | None = None
    all_day: bool = False
    chosen: bool = False

    @property
    def due_day(self):
        return assignments.local_due_day(self.due_at)


def _marks_statement():
    """Due dates and the reader's positions of a list's rows, built once per process."""
    thread, due = Thread.__table__.c, AssignmentDue.__table__.c
    choice = StatementChoice.__table__.c
    return (select(thread.id, due.due_at, due.all_day, choice.id)
            .outerjoin(AssignmentDue.__table__, due.thread_id == thread.id)
            .outerjoin(StatementChoice.__table__, and_(choice.thread_id == thread.id,
                                                       choice.membership_id == bindparam("me")))
            .where(thread.space_id == bindparam("space_id"),
                   thread.id.in_(bindparam("ids", expanding=True))))


_MARKS = _marks_statement()


def mark_rows(actor: Actor, space: Space, rows) -> None:
    """Set `row.mark` on the statement and assignment rows of a list, in one query for the
    whole list (none when the list has neither kind)."""
    ids = [row.thread.id for row in rows if row.thread.kind in (STATEMENT, ASSIGNMENT)]
    if not ids:
        return
    found = db.session.execute(_MARKS, {"space_id": space.id, "ids": ids,
                                        "me": actor.membership(space.id).id})
    marks = {thread_id: RowMark(due_at, bool(all_day), choice is not None)
             for thread_id, due_at, all_day, choice in found}
    for row in rows:
        row.mark = marks.get(row.thread.id)
