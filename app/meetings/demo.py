"""A little of the rhythm for the demo (`flask kring seed-demo`): a weekly series of sessions
from next week on, a topic per session, and planned content for the first meeting."""
from __future__ import annotations

from datetime import date, time, timedelta

from app.meetings import recurrence, rhythm, service


def seed_meetings(content: dict, space, facilitator, today: date) -> None:
    spec = content.get("meetings")
    if not spec:
        return
    # At least three days ahead, so the preparation (two days before) is still to come.
    ahead = (spec["weekday"] - today.weekday()) % 7
    first = today + timedelta(days=ahead if ahead >= 3 else ahead + 7)
    start, end = (time.fromisoformat(spec[key]) for key in ("start", "end"))
    series = service.plan_series(
        facilitator, space, frequency="weekly",
        starts_at=recurrence.local_moment(first, start),
        ends_at=recurrence.local_moment(first, end), session_count=spec["sessions"],
        place=spec["place"], room_url=spec["room_url"])
    meetings = series_meetings_of(series)
    for meeting, topic in zip(meetings, spec["topics"]):
        meeting.topic = topic
    rhythm.plan_content(facilitator, meetings[:1],
                        preparation_title=spec["preparation_title"],
                        preparation_body=spec["preparation_body"].strip(),
                        reflection_title=spec["reflection_title"],
                        reflection_body=spec["reflection_body"].strip())


def series_meetings_of(series) -> list:
    from sqlalchemy import select

    from app.extensions import db
    from app.meetings.models import Meeting

    return list(db.session.scalars(select(Meeting).where(Meeting.series_id == series.id)
                                   .order_by(Meeting.starts_at)))
