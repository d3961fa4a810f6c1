"""Meeting use cases: plan a one-off meeting or a series, change, move or cancel one meeting.
Changing a series from one meeting on and the closed group's programme: app/meetings/series.py.
The group hears about a change or a cancellation (app/meetings/notices.py)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from app import policy
from app.database import DOUBLE_SUBMIT_WINDOW, lock_row, transactional, utcnow
from app.dates import format_day
from app.errors import ServiceError, require
from app.extensions import db
from app.markup import is_web_address
from app.meetings import recurrence, rhythm
from app.meetings.models import (
    PLACE_MAX, ROOM_URL_MAX, TOPIC_MAX, Meeting, MeetingSeries,
)
from app.meetings.notices import on_cancelled, on_changed
from app.policy import Actor, allowed
from app.spaces.models import CLOSED_GROUP, Membership, Space
from app.text import clean_line, clean_text

MAX_AHEAD = timedelta(days=366)
MAX_MINUTES = 12 * 60
SCRIPT_MAX = 20_000


def check_times(space: Space, starts_at: datetime, ends_at: datetime, *,
                field: str = "start_date") -> None:
    """A meeting starts ahead (at most a year), ends after it starts (within 12 hours) and
    takes place while the group's space is rented."""
    now = utcnow()
    if ends_at <= starts_at:
        raise ServiceError(_("The end time must be after the start time."), "end_time")
    if ends_at - starts_at > timedelta(minutes=MAX_MINUTES):
        raise ServiceError(_("A meeting can last at most 12 hours."), "end_time")
    if starts_at <= now:
        raise ServiceError(_("Choose a moment in the future."), field)
    if starts_at > now + MAX_AHEAD:
        raise ServiceError(_("You can plan at most a year ahead."), field)
    if recurrence.to_local(starts_at).date() > space.rental_end:
        raise ServiceError(_("This group space closes after %(date)s. Choose an earlier day.",
                             date=format_day(space.rental_end)), field)


def clean_details(*, topic: str, place: str, room_url: str) -> dict:
    room_url = room_url.strip()
    if room_url and (len(room_url) > ROOM_URL_MAX or not is_web_address(room_url)):
        raise ServiceError(_("Give the full web address of the video room, starting with "
                             "https://."), "room_url")
    return dict(topic=clean_line(topic, "topic", TOPIC_MAX),
                place=clean_line(place, "place", PLACE_MAX), room_url=room_url)


def free_sessions(space: Space) -> list[int]:
    """The session numbers of a closed group's programme no meeting holds (a cancelled
    session's number is free again)."""
    used = set(db.session.scalars(select(Meeting.session_number).where(
        Meeting.space_id == space.id, Meeting.cancelled_at.is_(None),
        Meeting.session_number.is_not(None))))
    return [n for n in range(1, (space.planned_sessions or 0) + 1) if n not in used]


def session_numbers(space: Space, needed: int) -> list[int | None]:
    """A closed group's programme has planned_sessions numbered sessions: new meetings take
    the free numbers. Other groups: no numbers."""
    if space.group_kind != CLOSED_GROUP or not space.planned_sessions:
        return [None] * needed
    free = free_sessions(space)
    if needed > len(free):
        raise ServiceError(_("This group has %(total)d sessions and %(free)d of them are not "
                             "planned yet. Plan fewer meetings.",
                             total=space.planned_sessions, free=len(free)), "session_count")
    return free[:needed]


def _author(actor: Actor, space: Space) -> Membership:
    author = actor.membership(space.id)
    # Two identical submits arriving together: the second waits here, then finds the first.
    lock_row(Membership.role, author.id)
    return author


@transactional
def plan_meeting(actor: Actor, space: Space, *, starts_at: datetime, ends_at: datetime,
                 topic: str = "", place: str = "", room_url: str = "") -> Meeting:
    """One meeting on its own. A form sent twice gives the same meeting."""
    require(policy.can_manage_meetings(actor, space))
    details = clean_details(topic=topic, place=place, room_url=room_url)
    check_times(space, starts_at, ends_at)
    _author(actor, space)
    repeat = db.session.scalar(select(Meeting).where(
        Meeting.space_id == space.id, Meeting.series_id.is_(None),
        Meeting.starts_at == starts_at, Meeting.cancelled_at.is_(None),
        Meeting.created_at > utcnow() - DOUBLE_SUBMIT_WINDOW))
    if repeat is not None:
        return repeat
    [number] = session_numbers(space, 1)
    meeting = Meeting(space_id=space.id, starts_at=starts_at, ends_at=ends_at,
                      zone=recurrence.ZONE, session_number=number, **details)
    db.session.add(meeting)
    db.session.flush()
    return meeting


@transactional
def plan_series(actor: Actor, space: Space, *, frequency: str, starts_at: datetime,
                ends_at: datetime, session_count: int | None = None,
                last_day: date | None = None, topic: str = "", place: str = "",
                room_url: str = "") -> MeetingSeries:
    """Meetings repeating weekly, fortnightly or monthly from the first start, after a number
    of meetings or up to a last day. Each meeting is a row of its own (same local hour on
    every date, summer time or not). A closed group numbers them as sessions of its programme;
    without an end its series fills the programme."""
    require(policy.can_manage_meetings(actor, space))
    details = clean_details(topic=topic, place=place, room_url=room_url)
    check_times(space, starts_at, ends_at)
    closed = space.group_kind == CLOSED_GROUP and space.planned_sessions
    if session_count is None and last_day is None:
        if not closed:
            raise ServiceError(_("Say when the series ends: after a number of meetings or on "
                                 "a last day."), "session_count")
        session_count = len(free_sessions(space))
    if session_count is not None and not 2 <= session_count <= recurrence.MAX_SESSIONS:
        raise ServiceError(_("A series has between 2 and %(n)d meetings.",
                             n=recurrence.MAX_SESSIONS), "session_count")
    if last_day is not None and last_day <= recurrence.to_local(starts_at).date():
        raise ServiceError(_("The last day must come after the first meeting."), "last_day")
    if frequency == "monthly" and recurrence.to_local(starts_at).day > recurrence.MONTHLY_LAST_DAY:
        raise ServiceError(_("A monthly series repeats on the same day of the month: choose "
                             "a first day up to the 28th."), "start_date")
    starts = recurrence.expand(starts_at, frequency, count=session_count, last_day=last_day)
    if len(starts) < 2:
        raise ServiceError(_("This series would have only one meeting. Choose a later last "
                             "day, or plan a single meeting."), "last_day")
    duration = ends_at - starts_at
    check_times(space, starts[-1], starts[-1] + duration,
                field="last_day" if last_day is not None else "session_count")
    author = _author(actor, space)
    repeat = db.session.scalar(select(MeetingSeries).where(
        MeetingSeries.space_id == space.id, MeetingSeries.first_starts_at == starts_at,
        MeetingSeries.frequency == frequency,
        MeetingSeries.created_at > utcnow() - DOUBLE_SUBMIT_WINDOW))
    if repeat is not None:
        return repeat
    numbers = session_numbers(space, len(starts))
    series = MeetingSeries(space_id=space.id, frequency=frequency, first_starts_at=starts_at,
                           duration_minutes=int(duration.total_seconds() // 60),
                           session_count=session_count, last_day=last_day,
                           zone=recurrence.ZONE, created_by_id=author.id)
    db.session.add(series)
    db.session.flush()
    db.session.add_all(Meeting(space_id=space.id, series_id=series.id, session_number=number,
                               starts_at=start, ends_at=start + duration, zone=recurrence.ZONE,
                               **details)
                       for start, number in zip(starts, numbers))
    db.session.flush()
    return series


@transactional
def edit_meeting(actor: Actor, meeting: Meeting, *, starts_at: datetime, ends_at: datetime,
                 topic: str, place: str, room_url: str, script: str | None = None) -> Meeting:
    """Change one meeting: move it, or its topic, place, link or script. The group hears
    about a new time, place or link; planned threads move with the meeting."""
    require(policy.can_change_meeting(actor, meeting))
    space = actor.membership(meeting.space_id).space
    details = clean_details(topic=topic, place=place, room_url=room_url)
    if script is not None:
        details["script"] = clean_text(script, "script", SCRIPT_MAX)
    if (starts_at, ends_at) != (meeting.starts_at, meeting.ends_at):
        check_times(space, starts_at, ends_at)
    noticeable = ((starts_at, ends_at, details["place"], details["room_url"])
                  != (meeting.starts_at, meeting.ends_at, meeting.place, meeting.room_url))
    rhythm.move_threads(meeting, starts_at=starts_at, ends_at=ends_at)
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    for name, value in details.items():
        setattr(meeting, name, value)
    if noticeable:
        meeting.changed_at = utcnow()
        on_changed(space, [meeting], actor=actor.membership(space.id))
    return meeting


@transactional
def cancel_meeting(actor: Actor, meeting: Meeting) -> Meeting:
    """Cancel one meeting: it stays in the list, marked; its planned preparation and
    reflection threads are dropped; the group hears about it. Cancelling twice is once."""
    if meeting.cancelled_at is not None:
        require(allowed(actor, "manage_meetings", meeting.space_id))
        return meeting
    require(policy.can_change_meeting(actor, meeting))
    space = actor.membership(meeting.space_id).space
    rhythm.drop_threads(meeting)
    meeting.cancelled_at = meeting.changed_at = utcnow()
    on_cancelled(space, meeting, actor=actor.membership(space.id))
    return meeting


def series_size(series: MeetingSeries) -> int:
    return db.session.scalar(select(func.count()).select_from(Meeting).where(
        Meeting.series_id == series.id))
