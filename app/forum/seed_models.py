"""Rows that belong to the kinds of thread facilitators seed a space with: a statement's
positions and the members' choices, and an assignment's due date. Each carries `space_id`."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, utcnow
from app.extensions import db

# A statement offers exactly this many positions (agree / disagree / not sure by default).
POSITION_COUNT = 3
LABEL_MAX = 40


class StatementPosition(db.Model):
    """One position a member can take on a statement, numbered 1..POSITION_COUNT."""

    __tablename__ = "statement_positions"
    __table_args__ = (UniqueConstraint("thread_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    number: Mapped[int]
    label: Mapped[str] = mapped_column(String(LABEL_MAX))


class StatementChoice(db.Model):
    """The one position a member holds on a statement (changing it overwrites the row)."""

    __tablename__ = "statement_choices"
    __table_args__ = (UniqueConstraint("thread_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    position_id: Mapped[int] = mapped_column(
        ForeignKey("statement_positions.id", ondelete="CASCADE"), index=True)
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AssignmentDue(db.Model):
    """When an assignment is to be handed in. A deadline given as a day only is stored as the
    end of that day in Kring's time zone (`all_day`), and shown as that day."""

    __tablename__ = "assignment_due_dates"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"),
                                           unique=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    all_day: Mapped[bool] = mapped_column(default=False)
