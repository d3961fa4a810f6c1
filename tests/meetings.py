"""Helpers for the meeting tests: a day ahead on the group's clock, the plan form's fields,
planning through the services, reading meetings back."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.database import utcnow
from app.extensions import db
from app.meetings.models import Meeting

ZONE = ZoneInfo("Europe/Amsterdam")


def day_ahead(days: int = 7) -> date:
    return (utcnow().astimezone(ZONE) + timedelta(days=days)).date()


def fields(day: date, start="19:30", end="21:00", **extra) -> dict:
    return {"start_date": day.isoformat(), "start_time": start, "end_time": end,
            "repeat": "once", **extra}


def at(day: date, hhmm: str) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=ZONE).astimezone(ZONE)


def plan(world, slug, lead, day: date, start="19:30", end="21:00", **details) -> int:
    from app.meetings import service

    with world.ctx():
        meeting = service.plan_meeting(world.actor(lead.user_id), world.space_obj(slug),
                                       starts_at=at(day, start), ends_at=at(day, end),
                                       **details)
        return meeting.id


def plan_series(world, slug, lead, day: date, frequency="weekly", count=4, start="19:30",
                end="21:00", **details) -> list[int]:
    from app.meetings import service

    with world.ctx():
        series = service.plan_series(world.actor(lead.user_id), world.space_obj(slug),
                                     frequency=frequency, starts_at=at(day, start),
                                     ends_at=at(day, end), session_count=count, **details)
        return list(db.session.scalars(select(Meeting.id).where(
            Meeting.series_id == series.id).order_by(Meeting.starts_at)))


def meetings_of(world, slug) -> list[Meeting]:
    with world.ctx():
        space = world.space_obj(slug)
        rows = list(db.session.scalars(select(Meeting).where(Meeting.space_id == space.id)
                                       .order_by(Meeting.starts_at, Meeting.id)))
        db.session.expunge_all()
        return rows


def local_times(meetings) -> list[str]:
    return [m.starts_at.astimezone(ZONE).strftime("%Y-%m-%d %H:%M") for m in meetings]
