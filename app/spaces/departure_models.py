"""A member's planned departure: the last meeting a facilitator set with them and the
farewell thread planned for its end (the leaving day itself is Membership.leaves_on)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, utcnow
from app.extensions import db


class Departure(db.Model):
    __tablename__ = "departures"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    # One plan per membership: setting another last meeting replaces it.
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), unique=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"))
    # The farewell thread, planned (app/forum/schedule.py) for the last meeting's end.
    farewell_thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", ondelete="SET NULL"))
    planned_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL"))
    planned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
