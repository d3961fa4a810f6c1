"""Rules for joining and leaving an open group: welcome, last meeting, farewell, and the
group-size warnings for facilitators."""
from __future__ import annotations

from app.policy.core import Actor, allowed
from app.spaces.models import MEMBER, MODERATOR

# Who leaves through a planned last meeting: the group's participants. The leads leave by
# handing over (the members page), so a group is never left without its facilitator.
_DEPARTING_ROLES = frozenset({MEMBER, MODERATOR})


def can_plan_departure(actor: Actor, membership) -> bool:
    """Set or withdraw someone's last meeting: the space's facilitators, for a participant
    who is still in the group, never for themselves."""
    own = actor.memberships.get(membership.space_id)
    return (own is not None and own.id != membership.id
            and membership.ended_at is None and membership.role in _DEPARTING_ROLES
            and allowed(actor, "plan_departure", membership.space_id))


def can_choose_name_after_leaving(actor: Actor, space) -> bool:
    """The member whose last meeting is set chooses how their posts show after leaving."""
    own = actor.memberships.get(space.id)
    return (own is not None and own.leaves_on is not None
            and allowed(actor, "change_own_name", space.id))


def can_view_group_size(actor: Actor, space) -> bool:
    """The warnings below the minimum and at the maximum: for the facilitators."""
    return allowed(actor, "plan_departure", space.id)
