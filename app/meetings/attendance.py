"""Absence and attendance use cases: a member cancels for a meeting (and takes it back) or
marks a period away; the facilitators record who came after the start and agree a member's
commitment. Reasons are for the facilitators only; nothing here notifies the group."""
from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from app import policy
from app.database import transactional, utcnow
from app.errors import ServiceError, require
from app.extensions import db
from app.meetings.attendance_queries import expected_ids
from app.meetings.models import OUTCOMES, REASON_MAX, Attendance, AwayPeriod, Meeting
from app.policy import Actor
from app.spaces.models import Membership, Space
from app.text import clean_text
from app.upsert import upsert

AWAY_MAX = timedelta(days=366)  # a period away, and how far ahead it may start
COMMITMENT_MAX = 200


@transactional
def send_absence(actor: Actor, meeting: Meeting, *, reason: str) -> None:
    """"Ik meld me af", with an optional reason. Sent twice (a double click, a changed
    reason), it stays one cancellation with the latest reason."""
    require(policy.can_send_absence(actor, meeting))
    reason = clean_text(reason or "", "reason", REASON_MAX)
    own = actor.membership(meeting.space_id)
    upsert(Attendance, keys={"meeting_id": meeting.id, "membership_id": own.id},
           values={"space_id": meeting.space_id, "cancelled_at": utcnow(), "reason": reason},
           replace=("cancelled_at", "reason"))


@transactional
def take_back_absence(actor: Actor, meeting: Meeting) -> None:
    """Coming after all (before the start): the cancellation and its reason are gone."""
    require(policy.can_send_absence(actor, meeting))
    own = actor.membership(meeting.space_id)
    db.session.execute(update(Attendance).where(
        Attendance.meeting_id == meeting.id, Attendance.membership_id == own.id,
    ).values(cancelled_at=None, reason="").execution_options(synchronize_session=False))


@transactional
def mark_away(actor: Actor, space: Space, *, first_day: date, last_day: date,
              reason: str) -> AwayPeriod:
    """A period away: every meeting on its days counts as cancelled. The same period sent
    twice is kept once."""
    require(policy.can_mark_away(actor, space))
    reason = clean_text(reason or "", "reason", REASON_MAX)
    if last_day < first_day:
        raise ServiceError(_("The last day comes before the first day."), "last_day")
    if last_day < actor.today:
        raise ServiceError(_("This period is already over. Choose days from today on."),
                           "last_day")
    if first_day > actor.today + AWAY_MAX:
        raise ServiceError(_("A period away can start at most a year from now."), "first_day")
    if last_day - first_day > AWAY_MAX:
        raise ServiceError(_("A period away can last at most a year."), "last_day")
    own = actor.membership(space.id)
    same = db.session.scalar(select(AwayPeriod).where(
        AwayPeriod.membership_id == own.id, AwayPeriod.first_day == first_day,
        AwayPeriod.last_day == last_day))
    if same is not None:
        same.reason = reason or same.reason
        return same
    away = AwayPeriod(space_id=space.id, membership_id=own.id, first_day=first_day,
                      last_day=last_day, reason=reason)
    db.session.add(away)
    db.session.flush()
    return away


@transactional
def remove_away(actor: Actor, away: AwayPeriod) -> None:
    require(policy.can_remove_away(actor, away))
    db.session.execute(delete(AwayPeriod).where(AwayPeriod.id == away.id))


@transactional
def record_attendance(actor: Actor, meeting: Meeting, *, outcomes: dict[int, str]) -> int:
    """After the start, per expected member: present, cancelled or absent without notice.
    Members no longer expected (left in the meantime) are passed over; sent again, the
    latest choice stands. Returns the number of members recorded."""
    require(policy.can_record_attendance(actor, meeting))
    for membership_id, outcome in outcomes.items():
        if outcome not in OUTCOMES:
            raise ServiceError(_("Choose one of the offered answers."),
                               f"outcome-{membership_id}")
    now, own = utcnow(), actor.membership(meeting.space_id)
    recorded = 0
    for membership_id in expected_ids(meeting, actor.now):
        if membership_id not in outcomes:
            continue
        upsert(Attendance, keys={"meeting_id": meeting.id, "membership_id": membership_id},
               values={"space_id": meeting.space_id, "reason": "",
                       "outcome": outcomes[membership_id], "recorded_at": now,
                       "recorded_by_id": own.id},
               replace=("outcome", "recorded_at", "recorded_by_id"))
        recorded += 1
    return recorded


@transactional
def set_commitment(actor: Actor, membership: Membership, *, sessions: int | None) -> None:
    """The number of meetings the member agreed to attend at least (None: no agreement)."""
    require(policy.can_set_commitment(actor, membership))
    space = actor.membership(membership.space_id).space
    if sessions is not None:
        most = space.planned_sessions or COMMITMENT_MAX
        if not 1 <= sessions <= most:
            raise ServiceError(_("Choose a number from 1 to %(n)d, or leave it empty.", n=most),
                               "sessions")
    membership.commitment_sessions = sessions
