"""Who must use two-factor login (operators and the leads and moderators of a space), and
who may change their own second factor. Pure: reads the actor's flags and memberships."""
from __future__ import annotations

from app.policy.core import Actor
from app.spaces.models import COFACILITATOR, FACILITATOR, MODERATOR

# Roles that see more than their own posts (flags, notes, lines, the member list with
# addresses): an account holding one of them must have a second factor.
_NEEDS_SECOND_FACTOR = frozenset({FACILITATOR, COFACILITATOR, MODERATOR})


def must_use_second_factor(actor: Actor) -> bool:
    if actor.user is None:
        return False
    return actor.is_operator or any(
        m.role in _NEEDS_SECOND_FACTOR for m in actor.memberships.values())


def must_set_up_second_factor(actor: Actor) -> bool:
    """True while such an account still has no second factor: it may do nothing else yet."""
    return must_use_second_factor(actor) and not bool(actor.user.two_factor_on)


def can_set_up_second_factor(actor: Actor, user=None) -> bool:
    """Anyone logged in sets up (or replaces) their own authenticator app."""
    return actor.user is not None and (user is None or user.id == actor.user.id)


def can_renew_recovery_codes(actor: Actor, user=None) -> bool:
    return can_set_up_second_factor(actor, user) and bool(actor.user.two_factor_on)


def can_disable_second_factor(actor: Actor, user=None) -> bool:
    """Members may switch it off again; those who must use it may only replace the app."""
    return (can_renew_recovery_codes(actor, user) and not must_use_second_factor(actor))
