"""Who may erase what: members their own data, per space or the whole account. Nobody else:
facilitators and operators never erase (nor restore) a member's data for them."""
from __future__ import annotations

from app.policy.core import Actor


def can_erase_membership(actor: Actor, membership) -> bool:
    """Any of one's own memberships, active or ended, whatever the rental state or a
    suspension: the right to be forgotten does not wait for the group."""
    user = actor.user
    return (user is not None and membership is not None and user.erased_at is None
            and membership.user_id == user.id)


def can_erase_account(actor: Actor, user) -> bool:
    return (actor.user is not None and user is not None and actor.user.id == user.id
            and user.erased_at is None)
