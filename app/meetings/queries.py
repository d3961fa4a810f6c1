"""Reading meetings (the public API other parts build on): one meeting of a space by id
(404 for another space's), the next one, the coming ones, those in a period across spaces;
and the one way a meeting's time is shown ("di 14 jan. 19:30–21:00")."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, select

from app import policy
from app.database import utcnow
from app.dates import format_short_day, format_span
from app.errors import NotFound
from app.extensions import db
from app.meetings.models import Meeting
from app.policy import Actor
from app.spaces.models import Space

PAST_LIMIT = 20


def get_meeting(actor: Actor, space: Space, meeting_id: int) -> Meeting:
    """A meeting of this space the actor may see; another space's id is a 404."""
    if not policy.can_view_meetings(actor, space):
        raise NotFound()
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or meeting.space_id != space.id:
        raise NotFound()
    return meeting


# The space home asks on every request: built once (building it cost more than the SQL).
_NEXT = (select(Meeting).where(Meeting.space_id == bindparam("space_id"),
                               Meeting.cancelled_at.is_(None),
                               Meeting.ends_at > bindparam("now"))
         .order_by(Meeting.starts_at, Meeting.id).limit(1))


def next_meeting(space: Space, now: datetime | None = None) -> Meeting | None:
    """The meeting going on now or the first to come (cancelled ones left out)."""
    return db.session.scalar(_NEXT, {"space_id": space.id, "now": now or utcnow()})


def upcoming(space: Space, now: datetime | None = None, limit: int | None = None, *,
             include_cancelled: bool = True) -> list[Meeting]:
    """Meetings that have not ended, soonest first (cancelled ones marked, unless left out)."""
    query = select(Meeting).where(Meeting.space_id == space.id,
                                  Meeting.ends_at > (now or utcnow()))
    if not include_cancelled:
        query = query.where(Meeting.cancelled_at.is_(None))
    return list(db.session.scalars(query.order_by(Meeting.starts_at, Meeting.id).limit(limit)))


def past(space: Space, now: datetime | None = None, limit: int = PAST_LIMIT) -> list[Meeting]:
    """Meetings that have ended, latest first."""
    return list(db.session.scalars(
        select(Meeting).where(Meeting.space_id == space.id, Meeting.ends_at <= (now or utcnow()))
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(limit)))


def meetings_between(space_ids, start: datetime, end: datetime) -> list[Meeting]:
    """Every meeting (cancelled ones too) of these spaces starting in [start, end), in order:
    for calendars and overviews. The caller decides which spaces the reader may see."""
    space_ids = list(space_ids)
    if not space_ids:
        return []
    return list(db.session.scalars(
        select(Meeting).where(Meeting.space_id.in_(space_ids), Meeting.starts_at >= start,
                              Meeting.starts_at < end)
        .order_by(Meeting.starts_at, Meeting.id)))


def series_meetings(meeting: Meeting, *, from_start: datetime | None = None) -> list[Meeting]:
    """The meetings of a meeting's series (from a start on), in order; a one-off: itself."""
    if meeting.series_id is None:
        return [meeting]
    query = select(Meeting).where(Meeting.series_id == meeting.series_id,
                                  Meeting.space_id == meeting.space_id)
    if from_start is not None:
        query = query.where(Meeting.starts_at >= from_start)
    return list(db.session.scalars(query.order_by(Meeting.starts_at, Meeting.id)))


def programme(space: Space) -> list[Meeting]:
    """A closed group's sessions in the order of their numbers (cancelled ones left out)."""
    return list(db.session.scalars(
        select(Meeting).where(Meeting.space_id == space.id, Meeting.cancelled_at.is_(None),
                              Meeting.session_number.is_not(None))
        .order_by(Meeting.session_number, Meeting.starts_at)))


# --- how a meeting's time is shown (Jinja filter `meeting_time`, helper `short_day`) ----------

def short_day(moment: datetime) -> str:
    """"di 14 jan." on the group's clock (app/dates.py)."""
    return format_short_day(moment)


def meeting_time(meeting: Meeting) -> str:
    """"di 14 jan. 19:30–21:00"; a meeting past midnight names its end day too."""
    return format_span(meeting.starts_at, meeting.ends_at)


def room_link_opens(space: Space, meeting: Meeting) -> datetime:
    """From when members see the video-room link."""
    return meeting.starts_at - timedelta(minutes=space.room_link_minutes)
