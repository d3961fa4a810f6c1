"""Changing a series from one meeting on ("this and following": new day and hours, place,
link) and filling in a closed group's programme (topic and script per session)."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app import policy
from app.database import transactional, utcnow
from app.errors import NotFound, require
from app.extensions import db
from app.meetings import recurrence, rhythm
from app.meetings.models import Meeting, MeetingSeries
from app.meetings.notices import on_changed
from app.meetings.models import TOPIC_MAX
from app.meetings.service import SCRIPT_MAX, check_times, clean_details
from app.policy import Actor
from app.text import clean_line, clean_text


@transactional
def change_following(actor: Actor, meeting: Meeting, *, starts_at: datetime,
                     ends_at: datetime, place: str, room_url: str) -> list[Meeting]:
    """This meeting gets the new start (another day moves the weekday), end, place and link;
    every later meeting of its series that is not cancelled moves by the same number of
    days to the same local hours, summer time or not. Earlier meetings keep the old rule:
    the series splits in two at this meeting. The group hears about it once."""
    require(policy.can_change_meeting(actor, meeting) and meeting.series_id is not None)
    space = actor.membership(meeting.space_id).space
    details = clean_details(topic="", place=place, room_url=room_url)
    zone = meeting.zone
    days = (recurrence.to_local(starts_at, zone).date()
            - recurrence.to_local(meeting.starts_at, zone).date()).days
    at = recurrence.to_local(starts_at, zone).time()
    duration = ends_at - starts_at
    check_times(space, starts_at, ends_at)
    moving = [m for m in db.session.scalars(
        select(Meeting).where(Meeting.series_id == meeting.series_id,
                              Meeting.starts_at >= meeting.starts_at,
                              Meeting.cancelled_at.is_(None))
        .order_by(Meeting.starts_at, Meeting.id))]
    new_starts = [recurrence.shifted(m.starts_at, days, at, zone) for m in moving]
    check_times(space, new_starts[-1], new_starts[-1] + duration, field="start_date")
    old = db.session.get(MeetingSeries, meeting.series_id)
    series = _split(old, meeting, first_starts_at=starts_at, duration=duration,
                    count=len(moving))
    now = utcnow()
    for m, start in zip(moving, new_starts):
        rhythm.move_threads(m, starts_at=start, ends_at=start + duration)
        m.starts_at, m.ends_at = start, start + duration
        m.place, m.room_url = details["place"], details["room_url"]
        m.series_id, m.changed_at = series.id, now
    on_changed(space, moving, actor=actor.membership(space.id))
    return moving


def _split(old: MeetingSeries, meeting: Meeting, *, first_starts_at: datetime,
           duration: timedelta, count: int) -> MeetingSeries:
    """The series from this meeting on: the old row when it starts here, else a new row, the
    old one ending just before."""
    minutes = int(duration.total_seconds() // 60)
    earlier = db.session.scalar(select(Meeting.id).where(
        Meeting.series_id == old.id, Meeting.starts_at < meeting.starts_at).limit(1))
    if earlier is None:
        old.first_starts_at, old.duration_minutes = first_starts_at, minutes
        return old
    kept = len(db.session.scalars(select(Meeting.id).where(
        Meeting.series_id == old.id, Meeting.starts_at < meeting.starts_at)).all())
    series = MeetingSeries(space_id=old.space_id, frequency=old.frequency,
                           first_starts_at=first_starts_at, duration_minutes=minutes,
                           session_count=count if old.session_count is not None else None,
                           last_day=old.last_day, zone=old.zone,
                           created_by_id=old.created_by_id)
    if old.session_count is not None:
        old.session_count = kept
    else:
        old.last_day = recurrence.to_local(meeting.starts_at, old.zone).date() - timedelta(days=1)
    db.session.add(series)
    db.session.flush()
    return series


@transactional
def save_programme(actor: Actor, space, *, sessions: dict[int, tuple[str, str]]) -> int:
    """A closed group's programme: topic and script per session, by meeting id. An id of
    another space's meeting, a cancelled one or one outside the programme is a 404; a
    session that has ended is refused if it would change. Returns how many changed."""
    require(policy.can_manage_meetings(actor, space))
    meetings = {m.id: m for m in db.session.scalars(select(Meeting).where(
        Meeting.id.in_(list(sessions)), Meeting.space_id == space.id,
        Meeting.session_number.is_not(None), Meeting.cancelled_at.is_(None)))} if sessions else {}
    if set(meetings) != set(sessions):
        raise NotFound()  # a tampered form: nothing is saved
    changed = 0
    for meeting_id, (topic, script) in sessions.items():
        meeting = meetings[meeting_id]
        topic = clean_line(topic, f"{meeting_id}:topic", TOPIC_MAX)
        script = clean_text(script, f"{meeting_id}:script", SCRIPT_MAX)
        if (topic, script) == (meeting.topic, meeting.script):
            continue
        require(policy.can_change_meeting(actor, meeting))
        meeting.topic, meeting.script = topic, script
        changed += 1
    return changed
