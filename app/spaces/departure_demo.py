"""The demo's leaving member: a last meeting set with the facilitator (the farewell thread
planned for its end, on the facilitators' planned page) and the choice to be shown as
"oud-deelnemer" afterwards. Through the real services, as the rest of the demo."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.extensions import db
from app.meetings.models import Meeting
from app.spaces import departures
from app.spaces.departures import FORMER, KEEP_NAME
from app.spaces.models import Space

ZONE = "Europe/Amsterdam"


def _last_meeting(space: Space, now: datetime, in_days: int) -> Meeting:
    """The first meeting from `in_days` on (the demo's meetings, when there are some), or a
    new one at 19:30 on that day."""
    start = now + timedelta(days=in_days)
    meeting = db.session.scalar(
        select(Meeting).where(Meeting.space_id == space.id, Meeting.cancelled_at.is_(None),
                              Meeting.starts_at >= start).order_by(Meeting.starts_at).limit(1))
    if meeting is None:
        day = start.astimezone(ZoneInfo(ZONE)).date()
        starts = datetime.combine(day, time(19, 30), tzinfo=ZoneInfo(ZONE))
        meeting = Meeting(space_id=space.id, starts_at=starts, zone=ZONE,
                          ends_at=starts + timedelta(minutes=90), topic="Terugblik en afscheid")
        db.session.add(meeting)
        db.session.flush()
    return meeting


def seed_departure(content: dict, space: Space, actors: dict, now: datetime) -> None:
    """`actors`: the demo people's actors by their key in the content."""
    spec = content.get("departure")
    if not spec:
        return
    meeting = _last_meeting(space, now, spec.get("in_days", 14))
    leaving = actors[spec["member"]]
    departures.plan_departure(actors["facilitator"], leaving.membership(space.id),
                              meeting_id=meeting.id)
    departures.choose_name_after_leaving(leaving, space,
                                         choice=FORMER if spec.get("anonymous") else KEEP_NAME)
