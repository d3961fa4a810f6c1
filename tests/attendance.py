"""Helpers for the attendance and calendar tests: meetings made directly as rows (the
meetings part plans them through its own pages), clients per person, local moments."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.database import utcnow
from app.extensions import db
from app.meetings.models import Attendance, AwayPeriod, Meeting
from tests.conftest import login

ZONE = ZoneInfo("Europe/Amsterdam")


def client_of(app, person):
    client = app.test_client()
    login(client, person)
    return client


def add_meeting(world, slug: str, *, starts_at: datetime | None = None,
                starts_in: timedelta = timedelta(days=2), minutes: int = 90, topic: str = "",
                place: str = "", room_url: str = "", cancelled: bool = False) -> int:
    """A meeting row of the space `slug`, starting at `starts_at` (aware) or `starts_in`."""
    start = starts_at or (utcnow() + starts_in).replace(second=0, microsecond=0)
    with world.ctx():
        space = world.space_obj(slug)
        meeting = Meeting(space_id=space.id, starts_at=start,
                          ends_at=start + timedelta(minutes=minutes), zone="Europe/Amsterdam",
                          topic=topic, place=place, room_url=room_url,
                          cancelled_at=utcnow() if cancelled else None)
        db.session.add(meeting)
        db.session.commit()
        return meeting.id


def attendance_of(app, meeting_id: int, membership_id: int) -> Attendance | None:
    with app.app_context():
        row = db.session.scalar(select(Attendance).where(
            Attendance.meeting_id == meeting_id, Attendance.membership_id == membership_id))
        if row is not None:
            db.session.expunge(row)
        return row


def away_rows(app, membership_id: int) -> list[AwayPeriod]:
    with app.app_context():
        rows = list(db.session.scalars(select(AwayPeriod).where(
            AwayPeriod.membership_id == membership_id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def local_at(day, hour: int, minute: int = 0) -> datetime:
    """A moment on the group's clock (a date and a time in Amsterdam), aware."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)
