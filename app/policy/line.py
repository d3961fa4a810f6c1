"""Rules for the facilitators' line: a private conversation between a member and the group's
leads. Members (and moderators) each have their own line; the facilitators read and answer
all of them, co-facilitators only where the space allows it. Nobody has a line to another
member: there are no private messages between members."""
from __future__ import annotations

from app.policy.core import Actor, allowed, role_in
from app.spaces.models import COFACILITATOR, FACILITATOR, MEMBER, MODERATOR

# Who has a line of their own to the facilitators.
LINE_OWNERS = frozenset({MEMBER, MODERATOR})


def _reads_all_lines(actor: Actor, space) -> bool:
    role = role_in(actor, space.id)
    return role == FACILITATOR or (role == COFACILITATOR and bool(space.line_for_cofacilitators))


def _space_of(actor: Actor, space_id: int):
    """The space as loaded with the actor's membership (None without one): the rules about a
    membership read the space's setting from there, without a query."""
    own = actor.memberships.get(space_id)
    return None if own is None else own.space


def can_read_line(actor: Actor, space) -> bool:
    """The leads' side: the list of every member's line."""
    return allowed(actor, "read_line", space.id) and _reads_all_lines(actor, space)


def can_have_line(actor: Actor, space) -> bool:
    """A member's side: reading their own line (also after the rental ended)."""
    return role_in(actor, space.id) in LINE_OWNERS and allowed(actor, "view_space", space.id)


def can_open_line(actor: Actor, space) -> bool:
    """A member writes on their own line to the facilitators."""
    return role_in(actor, space.id) in LINE_OWNERS and allowed(actor, "open_line", space.id)


def can_use_line(actor: Actor, space) -> bool:
    """The line is in the space menu: for its readers and for members."""
    return can_read_line(actor, space) or can_have_line(actor, space)


def can_read_line_of(actor: Actor, membership) -> bool:
    """A lead reads the line of this member (also of someone who left since)."""
    space = _space_of(actor, membership.space_id)
    return space is not None and can_read_line(actor, space) and not _is_own(actor, membership)


def can_write_line_to(actor: Actor, membership) -> bool:
    """A lead writes to this member on their line, starting it if need be: only to someone
    still in the group with a line of their own."""
    space = _space_of(actor, membership.space_id)
    return (space is not None and can_read_line(actor, space)
            and allowed(actor, "open_line", space.id) and not _is_own(actor, membership)
            and membership.role in LINE_OWNERS and membership.ended_at is None)


def _is_own(actor: Actor, membership) -> bool:
    own = actor.memberships.get(membership.space_id)
    return own is not None and own.id == membership.id
