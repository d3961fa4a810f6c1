"""The rental warnings already sent: one row per space, last rental day and warning, so each
warning goes once however many worker rounds and workers see it due."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, utcnow
from app.extensions import db


class RentalWarning(db.Model):
    __tablename__ = "rental_warnings"
    # The last rental day is part of the key: after an extension the warnings come again
    # before the new end.
    __table_args__ = (UniqueConstraint("space_id", "rental_end", "days_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    rental_end: Mapped[date] = mapped_column(Date)
    days_before: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
