"""The demo's attendance (`make run`): commitments agreed with members, two meetings already
held with attendance recorded, a cancellation with a reason for the next meeting and a
period away, all through the real services; then the history is dated into the past like
the demo's conversations. Meetings are planned here only when the demo has none yet."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.extensions import db
from app.meetings import attendance, queries, service
from app.meetings.models import Meeting

ZONE = ZoneInfo("Europe/Amsterdam")


def _evening(day, hour: int = 19, minute: int = 30) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


def seed_attendance(content: dict, space, actors: dict, memberships: dict,
                    now: datetime) -> None:
    """`actors` and `memberships`: person key → Actor / Membership."""
    spec = content.get("attendance")
    if not spec:
        return
    lead = actors["facilitator"]
    today = now.astimezone(ZONE).date()
    # Everyone joined when the conversations began, three weeks ago.
    for membership in memberships.values():
        membership.joined_at = now - timedelta(days=21, hours=2)
    if not queries.upcoming(space, now, 1):
        first = today + timedelta(days=(1 - today.weekday()) % 7 or 7)  # next Tuesday
        service.plan_series(lead, space, frequency="weekly", starts_at=_evening(first),
                            ends_at=_evening(first, 21, 0), session_count=spec["weeks_ahead"],
                            topic=spec["topic"], place=spec["place"])
    for weeks_ago, held in zip((2, 1), spec["held"]):
        # Planned ahead (the service takes no past moment), then dated into the past.
        day = today + timedelta(days=1)
        meeting = service.plan_meeting(lead, space, starts_at=_evening(day),
                                       ends_at=_evening(day, 21, 0), topic=held["topic"],
                                       place=spec["place"], room_url="")
        past_day = today - timedelta(days=7 * weeks_ago)
        meeting.starts_at, meeting.ends_at = _evening(past_day), _evening(past_day, 21, 0)
        db.session.flush()
        attendance.record_attendance(lead, meeting, outcomes={
            memberships[key].id: outcome for key, outcome in held["outcomes"].items()})
    for key, sessions in spec["commitments"].items():
        attendance.set_commitment(lead, memberships[key], sessions=sessions)
    upcoming = db.session.scalars(select(Meeting).where(
        Meeting.space_id == space.id, Meeting.starts_at > now, Meeting.cancelled_at.is_(None))
        .order_by(Meeting.starts_at).limit(3)).all()
    if upcoming:
        cancel = spec["cancellation"]
        attendance.send_absence(actors[cancel["who"]], upcoming[0], reason=cancel["reason"])
    away = spec["away"]
    start = upcoming[-1].starts_at.astimezone(ZONE).date() if upcoming else today
    attendance.mark_away(actors[away["who"]], space, first_day=start - timedelta(days=1),
                         last_day=start + timedelta(days=away["days"]), reason=away["reason"])
