"""Read services for spaces: the actor's memberships, a space as the actor may see it, the
member list, seats, invitations and the current agreement. Visibility is decided by
app/policy.py; invisible means NotFound (404)."""
from __future__ import annotations

from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from app import policy
from app.accounts.models import User
from app.database import utcnow
from app.errors import NotFound, require
from app.extensions import db
from app.policy import Actor
from app.spaces.models import ROLES, Agreement, Invitation, Membership, Space
from app.tokens import hash_token


@lru_cache(maxsize=1)
def _current_memberships():
    """load_actor's statement, built once per process: every request runs it (issue 12)."""
    return (select(Membership).options(joinedload(Membership.space))
            .where(Membership.user_id == bindparam("user_id"), Membership.ended_at.is_(None)))


def load_actor(user: User | None) -> Actor:
    """The actor with their current memberships and those spaces (one query), loaded once per
    request: the policy reads roles and rental dates from them without querying."""
    now = utcnow()
    today = now.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()
    if user is None:
        return Actor(user=None, now=now, today=today)
    memberships = db.session.scalars(_current_memberships(), {"user_id": user.id}).all()
    return Actor(user=user, memberships={m.space_id: m for m in memberships}, now=now,
                 today=today)


def find_space(actor: Actor, slug: str) -> Space:
    """The space named in the URL if the actor has a membership in it (suspended included, so
    they can be told); otherwise NotFound, which does not confirm that it exists. Taken from
    the memberships loaded with the actor: no query of its own (issue 12)."""
    for membership in actor.memberships.values():
        if membership.space.slug == slug:
            return membership.space
    raise NotFound()


def my_spaces(actor: Actor) -> list[tuple[Space, Membership]]:
    if not actor.memberships:
        return []
    spaces = db.session.scalars(
        select(Space).where(Space.id.in_(actor.memberships)).order_by(Space.name)).all()
    return [(space, actor.memberships[space.id]) for space in spaces]


def members_of(actor: Actor, space: Space) -> list[Membership]:
    if not policy.can_view_members(actor, space):
        raise NotFound()
    rank = {role: i for i, role in enumerate(ROLES)}
    members = db.session.scalars(
        select(Membership).where(Membership.space_id == space.id, Membership.ended_at.is_(None))
    ).all()
    return sorted(members, key=lambda m: (-rank[m.role], m.display_name.lower()))


def get_membership(actor: Actor, space: Space, membership_id: int) -> Membership:
    if not policy.can_view_members(actor, space):
        raise NotFound()
    membership = db.session.scalar(select(Membership).where(
        Membership.id == membership_id, Membership.space_id == space.id,
        Membership.ended_at.is_(None)))
    if membership is None:
        raise NotFound()
    return membership


def open_invitations(actor: Actor, space: Space) -> list[Invitation]:
    require(policy.can_invite_member(actor, space))
    return list(db.session.scalars(
        select(Invitation).where(Invitation.space_id == space.id,
                                 Invitation.accepted_at.is_(None),
                                 Invitation.revoked_at.is_(None),
                                 Invitation.expires_at > actor.now)
        .order_by(Invitation.created_at.desc())))


def editable_space(actor: Actor, space: Space) -> Space:
    """The space for its settings page, for those who may change it."""
    require(policy.can_edit_space(actor, space))
    return space


def leavable_space(actor: Actor, space: Space) -> Space:
    require(policy.can_leave_space(actor, space))
    return space


def get_invitation(actor: Actor, space: Space, invitation_id: int) -> Invitation:
    invitation = db.session.scalar(select(Invitation).where(
        Invitation.id == invitation_id, Invitation.space_id == space.id))
    if invitation is None or not policy.can_invite_member(actor, space):
        raise NotFound()
    return invitation


def seats_taken(space: Space) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Membership)
        .where(Membership.space_id == space.id, Membership.ended_at.is_(None))
    )


def current_agreement(space: Space) -> Agreement:
    return db.session.scalar(
        select(Agreement).where(Agreement.space_id == space.id,
                                Agreement.version == space.agreement_version))


def open_invitation(token: str) -> tuple[Invitation, Space, Agreement] | None:
    """The open invitation for this raw token with its space and current agreement, or None
    when it is unknown, used, revoked or expired."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))
    if invitation is None or not invitation.is_open(utcnow()):
        return None
    space = db.session.get(Space, invitation.space_id)
    return invitation, space, current_agreement(space)


def active_members(space_id: int) -> list[Membership]:
    """Members who can use the space now (not ended, not suspended): who may be told."""
    return list(db.session.scalars(select(Membership).where(
        Membership.space_id == space_id, Membership.usable_at(utcnow()))))


def membership_ids_of_user(user_id: int) -> list[tuple[int, int]]:
    """(membership id, space id) of every membership the user ever had."""
    return [tuple(row) for row in db.session.execute(
        select(Membership.id, Membership.space_id).where(Membership.user_id == user_id))]
