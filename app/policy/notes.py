"""Rules for the facilitators' private notes per member: the space's facilitators only
(co-facilitators and moderators never), about someone else still in the group."""
from __future__ import annotations

from app.policy.core import Actor, _own_id, allowed
from app.spaces.models import OPEN


def can_keep_notes(actor: Actor, membership) -> bool:
    """Read a member's notes (and their access log, and export them)."""
    return (membership.ended_at is None and _own_id(actor, membership.space_id) != membership.id
            and allowed(actor, "keep_notes", membership.space_id))


def can_write_note(actor: Actor, membership) -> bool:
    """Add or remove a note: also while the rental runs (afterwards notes are read-only)."""
    own = actor.memberships.get(membership.space_id)
    return (can_keep_notes(actor, membership)
            and own.space.rental_state(actor.today) == OPEN)
