"""Reads for joining and leaving: the group's size against its limits (for the
facilitators), the meetings a last meeting can be, and a member's planned departure."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app import policy
from app.errors import NotFound, require
from app.extensions import db
from app.meetings.models import Meeting
from app.meetings.queries import upcoming
from app.policy import Actor
from app.spaces.departure_models import Departure
from app.spaces.departures import PARTICIPANTS
from app.spaces.models import Membership, Space
from app.spaces.queries import get_membership

BELOW = "below"
FULL = "full"
# How far ahead the last-meeting menu reaches: enough for a group's coming season.
MEETING_CHOICES = 60


@dataclass(frozen=True)
class GroupSize:
    participants: int
    minimum: int
    maximum: int

    @property
    def warning(self) -> str | None:
        """BELOW under the minimum, FULL at or above the maximum, else None."""
        if self.participants < self.minimum:
            return BELOW
        return FULL if self.participants >= self.maximum else None


def group_size(actor: Actor, space: Space) -> GroupSize | None:
    """For the facilitators: the participants now (one count); None for everyone else,
    without a query."""
    if not policy.can_view_group_size(actor, space):
        return None
    count = db.session.scalar(
        select(func.count()).select_from(Membership).where(
            Membership.space_id == space.id, Membership.ended_at.is_(None),
            Membership.role.in_(PARTICIPANTS)))
    return GroupSize(count, space.min_members, space.max_members)


def group_size_of(actor: Actor, space: Space, members: list[Membership]) -> GroupSize | None:
    """The same, from a member list already loaded (the members page): no query."""
    if not policy.can_view_group_size(actor, space):
        return None
    return GroupSize(sum(m.role in PARTICIPANTS for m in members), space.min_members,
                     space.max_members)


@dataclass
class DeparturePlan:
    membership: Membership
    meetings: list[Meeting]  # the coming meetings a last meeting can be, soonest first
    departure: Departure | None
    last_meeting: Meeting | None


def coming_meetings(space: Space, now: datetime) -> list[Meeting]:
    return upcoming(space, now, MEETING_CHOICES, include_cancelled=False)


def _departure_of(membership: Membership) -> tuple[Departure | None, Meeting | None]:
    row = db.session.execute(
        select(Departure, Meeting).outerjoin(Meeting, Meeting.id == Departure.meeting_id)
        .where(Departure.membership_id == membership.id,
               Departure.space_id == membership.space_id)).first()
    return (row[0], row[1]) if row else (None, None)


def departure_plan(actor: Actor, space: Space, membership_id: int) -> DeparturePlan:
    """A member's departure as a facilitator plans it: another space's member is 404,
    someone the actor may not plan for 403."""
    membership = get_membership(actor, space, membership_id)
    require(policy.can_plan_departure(actor, membership))
    departure, meeting = _departure_of(membership)
    return DeparturePlan(membership, coming_meetings(space, actor.now), departure, meeting)


def my_departure(actor: Actor, space: Space) -> tuple[Membership, Meeting | None]:
    """The member's own planned departure: 404 when none is planned (nothing to show),
    403 when the member may not choose now (suspended, the space read-only)."""
    membership = actor.membership(space.id)
    if membership is None or membership.leaves_on is None:
        raise NotFound()
    require(policy.can_choose_name_after_leaving(actor, space))
    return membership, _departure_of(membership)[1]
