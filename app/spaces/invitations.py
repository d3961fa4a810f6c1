"""Invitations: inviting someone into a space by email, revoking, and joining through the
link (account, display name and agreement in one step)."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from app import policy
from app.audit import events
from app.audit.service import record
from app.accounts import service as accounts
from app.accounts.models import User
from app.database import lock_row, transactional, utcnow
from app.email_address import is_valid_email
from app.errors import ServiceError, require
from app.extensions import db
from app.notify.kinds import NEW_MEMBER
from app.notify.outbox import Mail, enqueue
from app.notify.service import notify
from app.policy import Actor
from app.spaces.agreements import record_acceptance
from app.spaces.departures import welcome_newcomer
from app.spaces.members import check_display_name, store_display_name
from app.spaces.models import ROLES, Invitation, Membership, Space
from app.spaces.queries import active_members, open_invitation, seats_taken
from app.tokens import new_token
from app.urls import external_url


def create_invitation(space: Space, *, email: str, role: str, invited_by: User | None,
                      inviter_name: str | None = None):
    """A new invitation and its raw token, with the mail queued. Policy is the caller's.
    `inviter_name` is the inviter's display name in the group; the operator, who is in no
    group, invites in the organisation's name only."""
    email = accounts.normalise_email(email)
    if not is_valid_email(email):
        raise ServiceError(_("Enter a valid email address."), "email")
    if role not in ROLES:
        raise ServiceError(_("Choose one of the offered roles."), "role")
    # Under the space's row lock: of two invitations of one address sent together, the second
    # waits here and then finds the first.
    lock_row(Space.seat_limit, space.id)
    now = utcnow()
    pending = db.session.scalar(
        select(Invitation.id).where(
            Invitation.space_id == space.id, Invitation.email == email,
            Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
    )
    if pending:
        raise ServiceError(_("There is already an open invitation for this address. Revoke it "
                             "first to send a new one."), "email")
    raw, token_hash = new_token()
    days = current_app.config["INVITE_DAYS"]
    invitation = Invitation(space_id=space.id, email=email, role=role, token_hash=token_hash,
                            invited_by_id=invited_by.id if invited_by else None,
                            created_at=now, expires_at=now + timedelta(days=days))
    db.session.add(invitation)
    db.session.flush()  # the mail carries the invitation's id, so its state can be shown
    audit_invitation(events.INVITATION_SENT, invitation, by=invited_by)
    # The email names who invites (the renting organisation and the inviter's name in the
    # group) so it does not look like phishing, but never the group, a post or a member list.
    enqueue(Mail(to=email, template="invitation", invitation_id=invitation.id,
                 context=dict(link=external_url("spaces.invitation", token=raw), days=days,
                              organisation=space.renter, inviter=inviter_name)))
    return invitation, raw


def audit_invitation(event: str, invitation: Invitation, *, by: User | None) -> None:
    """An invitation sent or revoked, in the audit trail: the invitee as the account the
    address belongs to (if any), never the address itself."""
    invitee = db.session.scalar(select(User.id).where(User.email == invitation.email))
    record(event, actor_id=by.id if by else None, subject_id=invitee,
           space_id=invitation.space_id,
           detail=f"invitation={invitation.id} role={invitation.role}")


@transactional
def invite(actor: Actor, space: Space, *, email: str, role: str) -> tuple[Invitation, str]:
    require(policy.can_invite_member(actor, space))
    existing = db.session.scalar(
        select(Membership.id).join(User, User.id == Membership.user_id).where(
            Membership.space_id == space.id, Membership.ended_at.is_(None),
            User.email == accounts.normalise_email(email)))
    if existing:
        raise ServiceError(_("This person is already a member of the group."), "email")
    if seats_taken(space) >= space.seat_limit:
        raise ServiceError(_("The group is full (%(n)d seats). Ask the platform operator for "
                             "more seats.", n=space.seat_limit), "email")
    return create_invitation(space, email=email, role=role, invited_by=actor.user,
                             inviter_name=getattr(actor.membership(space.id), "display_name", None))


@transactional
def revoke_invitation(actor: Actor, invitation: Invitation) -> None:
    require(policy.can_revoke_invitation(actor, invitation))
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        audit_invitation(events.INVITATION_REVOKED, invitation, by=actor.user)


@transactional
def accept_invitation(user: User | None, *, token: str, display_name: str,
                      accepts_agreement: bool, password: str | None = None,
                      locale: str = "nl") -> tuple[User, Membership]:
    """Join the space through an invitation: create the account when nobody is logged in,
    choose the name the group sees, accept the agreement. The token is spent here."""
    opened = open_invitation(token)
    if opened is None:
        raise ServiceError(_("This invitation has expired, was revoked or was already used."))
    invitation, space, agreement = opened
    # Everything below runs under the space's row lock, so two people taking the last seat at
    # once are counted one after the other, and a twin submit of this form finds the
    # invitation used (not a half-made account).
    seat_limit = lock_row(Space.seat_limit, space.id)
    db.session.refresh(invitation)
    if not invitation.is_open(utcnow()):
        raise ServiceError(_("This invitation has expired, was revoked or was already used."))
    if not policy.can_accept_invitation(Actor(user=user), invitation):
        raise ServiceError(_("This invitation was sent to another email address. Log out, "
                             "then open the invitation link again."))
    if policy.space_is_closed(Actor(user=user), space):
        raise ServiceError(_("This group has closed: it no longer takes new members."))
    if not accepts_agreement:
        raise ServiceError(_("You can join once you accept the working agreements."), "accept")
    if user is None:
        if accounts.find_user_by_email(invitation.email) is not None:
            raise ServiceError(_("You already have an account. Log in first, then open the "
                                 "invitation link again."))
        user = accounts.create_user(email=invitation.email, password=password or "",
                                    locale=locale)
    membership = db.session.scalar(
        select(Membership).where(Membership.space_id == space.id, Membership.user_id == user.id))
    if membership is not None and membership.ended_at is None:
        raise ServiceError(_("You are already a member of this group."))
    name = check_display_name(space, display_name,
                              except_membership=membership.id if membership else None)
    if seats_taken(space) >= seat_limit:
        raise ServiceError(_("This group is full. Ask the facilitator to make room."))
    # Claim the token atomically: of two simultaneous submits only one wins.
    claimed = db.session.execute(
        update(Invitation).where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
        .values(accepted_at=utcnow())
    ).rowcount
    if claimed != 1:
        raise ServiceError(_("This invitation has expired, was revoked or was already used."))
    if membership is None:
        membership = Membership(space_id=space.id, user_id=user.id)
        db.session.add(membership)
    membership.role = invitation.role
    membership.display_name = name
    membership.joined_at = utcnow()
    membership.ended_at = None
    membership.suspended_at = membership.suspended_until = None
    membership.leaves_on = None  # someone coming back has no leaving day from before
    store_display_name(membership)
    record_acceptance(membership, agreement)
    _tell_members_about(space, membership, welcome_newcomer(space, membership, invitation))
    return user, membership


def _tell_members_about(space: Space, newcomer: Membership, welcome) -> None:
    """Everyone who can use the space hears that someone joined, with a link to the
    welcome thread when one opened."""
    notify(space, [m for m in active_members(space.id) if m.id != newcomer.id],
           kind=NEW_MEMBER, about_id=newcomer.id,
           thread_id=welcome.id if welcome is not None else None)
