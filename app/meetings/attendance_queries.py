"""Read services for absences and attendance: the panel on a meeting's page, the
facilitators' list per meeting (expected / cancelled with reason / away, and what was
recorded), a member's own record with their commitment, and their periods away. Each in a
fixed number of queries; other members' absences only ever reach the facilitators."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select

from app import policy
from app.errors import NotFound, require
from app.extensions import db
from app.meetings.attendance_forms import AWAY, EXPECTED
from app.meetings.models import CANCELLED, PRESENT, Attendance, AwayPeriod, Meeting
from app.policy import Actor
from app.spaces.models import Membership, Space

PAST_SHOWN = 200  # a member's record: the latest meetings (four years of a weekly group)
UPCOMING_SHOWN = 10


def local_day(meeting: Meeting) -> date:
    """The meeting's day on the group's clock: what a period away is measured against."""
    return meeting.starts_at.astimezone(ZoneInfo(meeting.zone)).date()


def _expected(meeting: Meeting, now: datetime):
    """SQL: the memberships expected at this meeting: in the group (not suspended) since
    before its start, and not gone by its day."""
    return and_(Membership.space_id == meeting.space_id, Membership.usable_at(now),
                Membership.joined_at <= meeting.starts_at,
                or_(Membership.leaves_on.is_(None), Membership.leaves_on >= local_day(meeting)))


def expected_ids(meeting: Meeting, now: datetime) -> list[int]:
    return list(db.session.scalars(select(Membership.id).where(_expected(meeting, now))))


@dataclass
class RosterRow:
    membership: Membership
    status: str  # EXPECTED, CANCELLED or AWAY
    reason: str  # the member's reason (for the facilitators' eyes)
    outcome: str | None  # recorded after the start, or None

    @property
    def default_outcome(self) -> str:
        """What the record form proposes: what was recorded, else what they told us."""
        return self.outcome or (PRESENT if self.status == EXPECTED else CANCELLED)


def roster(actor: Actor, meeting: Meeting) -> list[RosterRow]:
    """Every expected member with their status, in one query."""
    require(policy.can_view_attendance(actor, meeting))
    day = local_day(meeting)
    rows = db.session.execute(
        select(Membership, Attendance, AwayPeriod)
        .outerjoin(Attendance, and_(Attendance.membership_id == Membership.id,
                                    Attendance.meeting_id == meeting.id))
        .outerjoin(AwayPeriod, and_(AwayPeriod.membership_id == Membership.id,
                                    AwayPeriod.first_day <= day, AwayPeriod.last_day >= day))
        .where(_expected(meeting, actor.now))
        .order_by(Membership.display_name, Membership.id, AwayPeriod.id)).all()
    result: dict[int, RosterRow] = {}
    for membership, attendance, away in rows:
        if membership.id in result:
            continue  # a second period away on the same day adds nothing
        cancelled = attendance is not None and attendance.cancelled_at is not None
        status = CANCELLED if cancelled else AWAY if away is not None else EXPECTED
        reason = attendance.reason if cancelled else away.reason if away is not None else ""
        result[membership.id] = RosterRow(membership, status, reason,
                                          attendance.outcome if attendance else None)
    return list(result.values())


@dataclass
class Panel:
    """The attendance part of a meeting's page, for whoever looks at it."""

    meeting: Meeting
    own_status: str | None  # the viewer's own: EXPECTED, CANCELLED or AWAY (None: no member)
    own_reason: str
    may_cancel: bool
    may_record: bool
    roster: list[RosterRow] | None  # the facilitators only
    counts: dict[str, int] = field(default_factory=dict)


def panel(actor: Actor, meeting: Meeting, rows: list[RosterRow] | None = None) -> Panel:
    """One query: the facilitators' list (unless given), or else the viewer's own status."""
    own = actor.membership(meeting.space_id)
    if policy.can_view_attendance(actor, meeting):
        rows = rows if rows is not None else roster(actor, meeting)
        mine = next((r for r in rows if own is not None and r.membership.id == own.id), None)
        counts = {status: sum(1 for r in rows if r.status == status)
                  for status in (EXPECTED, CANCELLED, AWAY)}
    else:
        rows, counts = None, {}
        mine = _own_row(meeting, own) if own is not None else None
    return Panel(meeting=meeting, own_status=mine.status if mine else None,
                 own_reason=mine.reason if mine else "",
                 may_cancel=policy.can_send_absence(actor, meeting),
                 may_record=policy.can_record_attendance(actor, meeting),
                 roster=rows, counts=counts)


def _own_row(meeting: Meeting, own: Membership) -> RosterRow:
    day = local_day(meeting)
    attendance, away = db.session.execute(
        select(Attendance, AwayPeriod).select_from(Membership)
        .outerjoin(Attendance, and_(Attendance.membership_id == Membership.id,
                                    Attendance.meeting_id == meeting.id))
        .outerjoin(AwayPeriod, and_(AwayPeriod.membership_id == Membership.id,
                                    AwayPeriod.first_day <= day, AwayPeriod.last_day >= day))
        .where(Membership.id == own.id).limit(1)).one()
    cancelled = attendance is not None and attendance.cancelled_at is not None
    status = CANCELLED if cancelled else AWAY if away is not None else EXPECTED
    reason = attendance.reason if cancelled else away.reason if away is not None else ""
    return RosterRow(own, status, reason, attendance.outcome if attendance else None)


@dataclass
class Record:
    """A member's own record: past meetings with what was recorded, the next meetings with
    their status, and the commitment line's numbers."""

    membership: Membership
    past: list[tuple[Meeting, str | None, str]]  # meeting, recorded outcome, status
    upcoming: list[tuple[Meeting, str]]  # meeting, status
    present: int

    @property
    def commitment(self) -> int | None:
        return self.membership.commitment_sessions


def my_record(actor: Actor, space: Space) -> Record:
    if not policy.can_view_own_attendance(actor, space):
        raise NotFound()
    return _record(actor, space, actor.membership(space.id))


def member_record(actor: Actor, space: Space, membership_id: int) -> Record:
    """A member's record for the facilitators; another space's member is a 404."""
    membership = db.session.scalar(select(Membership).where(
        Membership.id == membership_id, Membership.space_id == space.id,
        Membership.ended_at.is_(None)))
    if membership is None or not policy.can_view_own_attendance(actor, space):
        raise NotFound()
    require(policy.can_view_attendance(actor, membership))
    return _record(actor, space, membership)


def _record(actor: Actor, space: Space, membership: Membership) -> Record:
    """Four queries: the latest meetings since the member joined, the next ones, their
    attendance rows and their periods away."""
    since = and_(Meeting.space_id == space.id, Meeting.starts_at >= membership.joined_at)
    held = list(db.session.scalars(select(Meeting).where(since, Meeting.starts_at <= actor.now)
                                   .order_by(Meeting.starts_at.desc()).limit(PAST_SHOWN)))
    ahead = list(db.session.scalars(select(Meeting).where(since, Meeting.starts_at > actor.now)
                                    .order_by(Meeting.starts_at).limit(UPCOMING_SHOWN)))
    rows = {a.meeting_id: a for a in db.session.scalars(
        select(Attendance).where(Attendance.membership_id == membership.id))}
    aways = away_periods_of(membership, since=None)

    def status(meeting: Meeting) -> str:
        attendance, day = rows.get(meeting.id), local_day(meeting)
        if attendance is not None and attendance.cancelled_at is not None:
            return CANCELLED
        return AWAY if any(a.first_day <= day <= a.last_day for a in aways) else EXPECTED

    past = [(m, rows[m.id].outcome if m.id in rows else None, status(m)) for m in held]
    return Record(membership=membership, past=past,
                  upcoming=[(m, status(m)) for m in ahead],
                  present=sum(1 for a in rows.values() if a.outcome == PRESENT))


def away_periods_of(membership: Membership, *, since: date | None) -> list[AwayPeriod]:
    conditions = [AwayPeriod.membership_id == membership.id]
    if since is not None:
        conditions.append(AwayPeriod.last_day >= since)
    return list(db.session.scalars(select(AwayPeriod).where(*conditions)
                                   .order_by(AwayPeriod.first_day, AwayPeriod.id)))


def my_away_periods(actor: Actor, space: Space) -> list[AwayPeriod]:
    """The member's own periods that have not ended yet."""
    if not policy.can_view_own_attendance(actor, space):
        raise NotFound()
    return away_periods_of(actor.membership(space.id), since=actor.today)


def own_away_period(actor: Actor, space: Space, away_id: int) -> AwayPeriod:
    """One of the member's own periods; anyone else's (or another space's) is a 404."""
    own = actor.membership(space.id)
    away = db.session.scalar(select(AwayPeriod).where(
        AwayPeriod.id == away_id, AwayPeriod.space_id == space.id,
        AwayPeriod.membership_id == own.id))
    if away is None:
        raise NotFound()
    return away
