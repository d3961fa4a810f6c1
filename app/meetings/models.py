"""Meeting rows: a series (the rule it repeats by), each meeting with its own time, topic and
place, each member's cancellation and recorded attendance, and periods a member is away.
Times are stored in UTC with the zone they were planned in, so a series keeps its local hour
across the changes to and from summer time."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, utcnow
from app.extensions import db

WEEKLY = "weekly"
FORTNIGHTLY = "fortnightly"
MONTHLY = "monthly"
FREQUENCIES = (WEEKLY, FORTNIGHTLY, MONTHLY)

# What a facilitator records after a meeting for each expected member.
PRESENT = "present"
CANCELLED = "cancelled"  # cancelled in advance (or away for the period)
NO_SHOW = "absent"  # absent without notice
OUTCOMES = (PRESENT, CANCELLED, NO_SHOW)

TOPIC_MAX = 200
PLACE_MAX = 200
ROOM_URL_MAX = 500
REASON_MAX = 1_000


class MeetingSeries(db.Model):
    """The rule a series of meetings was planned by. Its meetings are rows of their own
    (expanded with dateutil's rrule) so each can be moved, cancelled or given its own topic."""

    __tablename__ = "meeting_series"
    __table_args__ = ({"sqlite_autoincrement": True},)  # ids in links are never reused

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    frequency: Mapped[str] = mapped_column(String(12))
    # The first meeting's start; with `zone` it fixes the local hour of every meeting.
    first_starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int]
    # The series ends after a number of meetings or on a last day (local), whichever is set.
    session_count: Mapped[int | None]
    last_day: Mapped[date | None] = mapped_column(Date)
    zone: Mapped[str] = mapped_column(String(40), default="Europe/Amsterdam")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Meeting(db.Model):
    __tablename__ = "meetings"
    __table_args__ = (Index("ix_meetings_space_start", "space_id", "starts_at"),
                      {"sqlite_autoincrement": True})  # ids in links are never reused

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_series.id", ondelete="SET NULL"), index=True)
    # The session number in a closed group's programme (1..planned_sessions), else None.
    session_number: Mapped[int | None]
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    zone: Mapped[str] = mapped_column(String(40), default="Europe/Amsterdam")
    topic: Mapped[str] = mapped_column(String(TOPIC_MAX), default="")
    # The facilitators' script (draaiboek) for this session: never shown to members.
    script: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(PLACE_MAX), default="")
    # The organisation's own video room: shown to members only, from Space.room_link_minutes
    # before the start.
    room_url: Mapped[str] = mapped_column(String(ROOM_URL_MAX), default="")
    # Content on the rhythm: planned threads (app/forum/schedule.py) published before the
    # meeting (preparation) and when it ends (reflection, "nabespreking").
    preparation_thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", ondelete="SET NULL"))
    reflection_thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", ondelete="SET NULL"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Attendance(db.Model):
    """One member at one meeting: their cancellation in advance (with a reason only the
    facilitators see) and, after the meeting, the outcome a facilitator recorded."""

    __tablename__ = "attendances"
    __table_args__ = (UniqueConstraint("meeting_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    # Set while the member's cancellation stands; cleared when they take it back.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str | None] = mapped_column(String(12))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL"))


class AwayPeriod(db.Model):
    """A member away for a while (holiday, admission): the meetings in it count as cancelled."""

    __tablename__ = "away_periods"
    __table_args__ = ({"sqlite_autoincrement": True},)  # ids in links are never reused

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
