"""Space use cases: renting a space, inviting and admitting people, the working agreement,
roles, suspension and leaving. Reads that decide visibility live in app/spaces/queries.py."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app import policy
from app.accounts import service as accounts
from app.accounts.models import User
from app.database import ServiceError, require, transactional, utcnow
from app.email_address import is_valid_email
from app.extensions import db
from app.markup import MarkupError, render
from app.notify import service as notifications
from app.notify.service import queue_mail
from app.policy import Actor
from app.spaces.models import (
    FACILITATOR, ROLES, Agreement, AgreementAcceptance, Invitation, Membership, Space,
)
from app.tokens import hash_token, new_token
from app.urls import external_url

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$")
AGREEMENT_MAX = 20_000
DISPLAY_NAME_MAX = 60


def default_agreement() -> str:
    return _(
        "- **What is said in the group stays in the group.** Do not share stories, names or "
        "screenshots with anyone outside it.\n"
        "- **Respect.** Everyone may have their own experience and opinion. Respond kindly.\n"
        "- **No recordings.** No screenshots, photos or recordings of the group or the meetings.\n"
        "- **Come or cancel.** Cannot come to a meeting? Cancel in advance.\n"
        "- **Private contact goes through the facilitators.** Members do not send each other "
        "private messages here; you can always write to the facilitators.\n"
        "- **Worried about someone?** Tell a facilitator straight away. Need help now? Call "
        "113 Zelfmoordpreventie (0800-0113), your GP, or 112 in an emergency."
    )


def render_or_refuse(source: str, field: str = "body") -> str:
    try:
        return render(source)
    except MarkupError:
        raise ServiceError(_("This text is nested too deeply (lists or quotes inside each "
                             "other) to show it completely. Use fewer levels."), field) from None


def seats_taken(space: Space) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Membership)
        .where(Membership.space_id == space.id, Membership.ended_at.is_(None))
    )


def _check_display_name(space: Space, name: str, *, except_membership: int | None = None) -> str:
    name = " ".join(name.split())
    if len(name) < 2:
        raise ServiceError(_("Choose a name of at least 2 characters."), "display_name")
    if len(name) > DISPLAY_NAME_MAX:
        raise ServiceError(_("A name can be at most %(n)d characters.", n=DISPLAY_NAME_MAX),
                           "display_name")
    taken = db.session.scalar(
        select(Membership.id).where(
            Membership.space_id == space.id,
            Membership.ended_at.is_(None),
            func.lower(Membership.display_name) == name.lower(),
            Membership.id != (except_membership or 0),
        )
    )
    if taken:
        raise ServiceError(_("Someone in this group already uses this name. Choose another."),
                           "display_name")
    return name


def _space_text(value: str, field: str, limit: int, *, required: bool = False,
                multiline: bool = False) -> str:
    """Names, themes and renters are one line (they end up in email subjects); descriptions
    may have lines. All have a length limit the database also has."""
    value = value.strip() if multiline else " ".join(value.split())
    if required and not value:
        raise ServiceError(_("This field is required."), field)
    if len(value) > limit:
        raise ServiceError(_("At most %(n)d characters (now %(m)d).", n=limit, m=len(value)), field)
    return value


# --- renting a space (platform operator) ----------------------------------------------------

@transactional
def create_space(actor: Actor, *, name: str, slug: str, theme: str, description: str,
                 renter: str, rental_start: date, rental_end: date, seat_limit: int,
                 facilitator_email: str) -> tuple[Space, str]:
    """Rent out a new space and invite its first facilitator. Returns the space and the raw
    invitation token (shown once to the operator)."""
    require(policy.can_administer_platform(actor))
    slug = slug.strip().lower()
    if not SLUG.match(slug):
        raise ServiceError(_("Use lowercase letters, digits and dashes only."), "slug")
    if db.session.scalar(select(Space.id).where(Space.slug == slug)):
        raise ServiceError(_("This address is already in use."), "slug")
    if rental_end < rental_start:
        raise ServiceError(_("The rental period must end after it starts."), "rental_end")
    if seat_limit < 2:
        raise ServiceError(_("A group needs at least 2 seats."), "seat_limit")
    if not is_valid_email(accounts.normalise_email(facilitator_email)):
        raise ServiceError(_("Enter a valid email address."), "facilitator_email")
    space = Space(name=_space_text(name, "name", 120, required=True), slug=slug,
                  theme=_space_text(theme, "theme", 120),
                  description=_space_text(description, "description", 500, multiline=True),
                  renter=_space_text(renter, "renter", 200, required=True),
                  rental_start=rental_start, rental_end=rental_end, seat_limit=seat_limit)
    db.session.add(space)
    db.session.flush()
    _add_agreement_version(space, default_agreement(), created_by=actor.user)
    _invitation, raw = _create_invitation(space, email=facilitator_email, role=FACILITATOR,
                                          invited_by=actor.user)
    return space, raw


# --- invitations ----------------------------------------------------------------------------

def _create_invitation(space: Space, *, email: str, role: str, invited_by: User | None):
    email = accounts.normalise_email(email)
    if not is_valid_email(email):
        raise ServiceError(_("Enter a valid email address."), "email")
    if role not in ROLES:
        raise ServiceError(_("Choose one of the offered roles."), "role")
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
    # The email names no space and no person: a glance at a lock screen reveals nothing.
    queue_mail(to=email, template="invitation", link=external_url("spaces.invitation", token=raw),
               days=days)
    return invitation, raw


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
    return _create_invitation(space, email=email, role=role, invited_by=actor.user)


@transactional
def revoke_invitation(actor: Actor, invitation: Invitation) -> None:
    require(policy.can_revoke_invitation(actor, invitation))
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = utcnow()


def open_invitation(token: str) -> tuple[Invitation, Space, Agreement] | None:
    """The open invitation for this raw token with its space and current agreement, or None
    when it is unknown, used, revoked or expired."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))
    if invitation is None or not invitation.is_open(utcnow()):
        return None
    space = db.session.get(Space, invitation.space_id)
    return invitation, space, current_agreement(space)


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
    if not policy.can_accept_invitation(Actor(user=user), invitation):
        raise ServiceError(_("This invitation was sent to another email address. Log out, "
                             "then open the invitation link again."))
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
    name = _check_display_name(space, display_name,
                               except_membership=membership.id if membership else None)
    if seats_taken(space) >= space.seat_limit:
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
    db.session.flush()
    _record_acceptance(membership, agreement)
    notifications.on_member_joined(membership)
    return user, membership


# --- working agreement ----------------------------------------------------------------------

def current_agreement(space: Space) -> Agreement:
    return db.session.scalar(
        select(Agreement).where(Agreement.space_id == space.id,
                                Agreement.version == space.agreement_version))


def _add_agreement_version(space: Space, body: str, *, created_by: User | None) -> Agreement:
    space.agreement_version += 1
    agreement = Agreement(space_id=space.id, version=space.agreement_version, body=body,
                          body_html=render_or_refuse(body),
                          created_by_id=created_by.id if created_by else None)
    db.session.add(agreement)
    db.session.flush()
    return agreement


def _record_acceptance(membership: Membership, agreement: Agreement) -> None:
    db.session.add(AgreementAcceptance(space_id=membership.space_id, membership_id=membership.id,
                                       agreement_id=agreement.id))
    membership.agreement_version = agreement.version


@transactional
def accept_agreement(actor: Actor, space: Space) -> None:
    membership = actor.membership(space.id)
    require(policy.can_view_space(actor, space))
    if membership.agreement_version < space.agreement_version:
        _record_acceptance(membership, current_agreement(space))


@transactional
def update_agreement(actor: Actor, space: Space, *, body: str) -> Agreement:
    """Publish a new version; every member is asked to accept it on their next visit."""
    require(policy.can_edit_agreement(actor, space))
    body = body.strip()
    if not body:
        raise ServiceError(_("The working agreements cannot be empty."), "body")
    if len(body) > AGREEMENT_MAX:
        raise ServiceError(_("Keep the working agreements under %(n)d characters.", n=AGREEMENT_MAX), "body")
    if body == current_agreement(space).body:
        raise ServiceError(_("Nothing changed."), "body")
    agreement = _add_agreement_version(space, body, created_by=actor.user)
    _record_acceptance(actor.membership(space.id), agreement)
    return agreement


# --- settings -------------------------------------------------------------------------------

@transactional
def update_space(actor: Actor, space: Space, *, name: str, theme: str, description: str,
                 members_can_start_threads: bool) -> None:
    require(policy.can_edit_space(actor, space))
    space.name = _space_text(name, "name", 120, required=True)
    space.theme = _space_text(theme, "theme", 120)
    space.description = _space_text(description, "description", 500, multiline=True)
    space.members_can_start_threads = members_can_start_threads


@transactional
def change_display_name(actor: Actor, space: Space, *, display_name: str) -> None:
    require(policy.can_view_space(actor, space))
    membership = actor.membership(space.id)
    membership.display_name = _check_display_name(space, display_name,
                                                  except_membership=membership.id)


# --- members --------------------------------------------------------------------------------

def _facilitators_left(space_id: int, without: Membership) -> int:
    """Facilitators who could still run the group: in it and not suspended."""
    return db.session.scalar(
        select(func.count()).select_from(Membership).where(
            Membership.space_id == space_id, Membership.role == FACILITATOR,
            Membership.usable_at(utcnow()), Membership.id != without.id))


def _end_sessions(membership: Membership) -> None:
    db.session.execute(update(User).where(User.id == membership.user_id)
                       .values(session_epoch=User.session_epoch + 1))


@transactional
def change_role(actor: Actor, membership: Membership, *, role: str) -> None:
    require(policy.can_manage_member(actor, membership))
    if role not in ROLES:
        raise ServiceError(_("Choose one of the offered roles."), "role")
    membership.role = role


@transactional
def suspend_member(actor: Actor, membership: Membership, *, until: datetime | None) -> None:
    """Deny access until `until` (UTC) or, with None, until further notice."""
    require(policy.can_manage_member(actor, membership))
    now = utcnow()
    if until is not None and until <= now:
        raise ServiceError(_("Choose a date in the future."), "until")
    membership.suspended_at = now
    membership.suspended_until = until
    _end_sessions(membership)


@transactional
def lift_suspension(actor: Actor, membership: Membership) -> None:
    require(policy.can_manage_member(actor, membership))
    membership.suspended_at = membership.suspended_until = None


@transactional
def remove_member(actor: Actor, membership: Membership, *, confirmed: bool) -> None:
    """Removal cannot be undone by the member, so the form asks to tick a box (this works
    without JavaScript, unlike a confirm dialog)."""
    require(policy.can_manage_member(actor, membership))
    if not confirmed:
        raise ServiceError(_("Tick the box to confirm the removal."), "confirm")
    membership.ended_at = utcnow()
    _end_sessions(membership)


@transactional
def leave_space(actor: Actor, space: Space) -> None:
    require(policy.can_leave_space(actor, space))
    membership = actor.membership(space.id)
    if membership.role == FACILITATOR and _facilitators_left(space.id, membership) == 0:
        raise ServiceError(_("You are the only facilitator. Make someone else facilitator "
                             "before you leave."))
    membership.ended_at = utcnow()
