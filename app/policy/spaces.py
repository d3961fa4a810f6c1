"""Rules for the platform and for spaces: entering, members, invitations, agreements,
settings and leaving."""
from __future__ import annotations

from app.policy.core import Actor, allowed
from app.spaces.models import ENDED, NOT_STARTED


# --- platform -------------------------------------------------------------------------------

def can_administer_platform(actor: Actor, _obj=None) -> bool:
    return actor.is_operator


# --- spaces ---------------------------------------------------------------------------------

def can_accept_invitation(actor: Actor, invitation) -> bool:
    """An invitation is for the address it was sent to (someone not logged in creates the
    account for that address); platform operators never join a group: they rent spaces out
    and read no content."""
    if actor.user is None:
        return True
    return not actor.is_operator and actor.user.email == invitation.email


def can_view_space(actor: Actor, space) -> bool:
    return allowed(actor, "view_space", space.id)


def can_view_members(actor: Actor, space) -> bool:
    return allowed(actor, "view_space", space.id)


def can_invite_member(actor: Actor, space) -> bool:
    return allowed(actor, "invite_member", space.id)


def can_revoke_invitation(actor: Actor, invitation) -> bool:
    return allowed(actor, "invite_member", invitation.space_id)


def can_manage_member(actor: Actor, membership) -> bool:
    """Change role, suspend or remove someone else; nobody manages themselves this way."""
    if is_own_membership(actor, membership):
        return False
    return allowed(actor, "manage_members", membership.space_id)


def is_own_membership(actor: Actor, membership) -> bool:
    """The actor's own row in that space (services explain this refusal at the form)."""
    own = actor.memberships.get(membership.space_id)
    return own is not None and own.id == membership.id


def can_edit_agreement(actor: Actor, space) -> bool:
    return allowed(actor, "edit_agreement", space.id)


def can_edit_space(actor: Actor, space) -> bool:
    return allowed(actor, "edit_space", space.id)


def can_change_display_name(actor: Actor, space) -> bool:
    return allowed(actor, "change_own_name", space.id)


def space_is_closed(actor: Actor, space) -> bool:
    """After the rental: read-only for everyone (the banner on every space page)."""
    return space.rental_state(actor.today) == ENDED


def space_not_started(actor: Actor, space) -> bool:
    return space.rental_state(actor.today) == NOT_STARTED


def can_leave_space(actor: Actor, space) -> bool:
    return allowed(actor, "leave_space", space.id)


def must_accept_agreement(actor: Actor, space) -> bool:
    """A member sees nothing in the space until they accepted its current agreement."""
    membership = actor.memberships.get(space.id)
    return membership is not None and membership.agreement_version < space.agreement_version
