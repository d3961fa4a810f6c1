"""A member's private calendar feed: one per account, known by the hash of a random token
(the raw token lives only in the member's calendar app, as a webcal:// link)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, utcnow
from app.extensions import db


class CalendarFeed(db.Model):
    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # "Groepsbijeenkomst" as every title unless the member turns it off: a calendar shared
    # with family or a colleague then shows nothing about the group.
    neutral_titles: Mapped[bool] = mapped_column(default=True)
    # When the current link was made (a new link, a password change or reset renews it).
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
