"""The platform operator's use cases: changing a rental (texts, dates, seats), extending or
ending it, and the first facilitator's invitation. Never touches content or members."""
from __future__ import annotations

from datetime import date, timedelta

from flask_babel import gettext as _

from app import policy
from app.admin.queries import first_facilitator_invitation
from app.audit import events
from app.audit.service import record
from app.dates import format_day
from app.database import lock_row, transactional, utcnow
from app.errors import ServiceError, require
from app.extensions import db
from app.policy import Actor
from app.spaces.invitations import audit_invitation, create_invitation
from app.spaces.models import ENDED, FACILITATOR, Invitation, Space
from app.spaces.queries import seats_taken
from app.text import clean_line, clean_text

SEATS_MIN = 2


@transactional
def update_rental(actor: Actor, space: Space, *, name: str, theme: str, description: str,
                  renter: str, rental_start: date, rental_end: date, seat_limit: int) -> None:
    """Change what the rental says. The seat limit never drops below the seats in use."""
    require(policy.can_administer_platform(actor, space))
    # Under the space's row lock, which joining takes too: no join can commit between the
    # count of the seats in use and the new limit.
    lock_row(Space.seat_limit, space.id)
    fields = {"name": clean_line(name, "name", 120, required=True),
              "theme": clean_line(theme, "theme", 120),
              "description": clean_text(description, "description", 500),
              "renter": clean_line(renter, "renter", 200, required=True)}
    if rental_end < rental_start:
        raise ServiceError(_("The rental period must end after it starts."), "rental_end")
    if seat_limit < SEATS_MIN:
        raise ServiceError(_("A group needs at least 2 seats."), "seat_limit")
    in_use = seats_taken(space)
    if seat_limit < in_use:
        raise ServiceError(_("%(n)d seats are in use, so the limit cannot be lower than %(n)d.",
                             n=in_use), "seat_limit")
    fields.update(rental_start=rental_start, rental_end=rental_end, seat_limit=seat_limit)
    # The names of what changed, never the texts (a description is the renter's words).
    changed = [key for key, value in fields.items() if getattr(space, key) != value]
    for key, value in fields.items():
        setattr(space, key, value)
    if changed:
        record(events.RENTAL_CHANGED, actor_id=actor.user.id, space_id=space.id,
               detail="changed=" + ",".join(changed))


@transactional
def extend_rental(actor: Actor, space: Space, *, rental_end: date) -> None:
    """Move the last rental day later; an ended space opens again."""
    require(policy.can_administer_platform(actor, space))
    if rental_end <= space.rental_end:
        raise ServiceError(_("Choose a date after the current end (%(date)s).",
                             date=format_day(space.rental_end)), "rental_end")
    if rental_end < actor.today:
        raise ServiceError(_("Choose today or a later date."), "rental_end")
    record(events.RENTAL_EXTENDED, actor_id=actor.user.id, space_id=space.id,
           detail=f"before={space.rental_end.isoformat()} after={rental_end.isoformat()}")
    space.rental_end = rental_end


@transactional
def end_rental(actor: Actor, space: Space) -> None:
    """Close the space now: yesterday becomes the last rental day, so from today it is
    read-only for everyone. A rental that had not started ends before it began."""
    require(policy.can_administer_platform(actor, space))
    if space.rental_state(actor.today) == ENDED:
        raise ServiceError(_("This rental has already ended."))
    record(events.RENTAL_ENDED, actor_id=actor.user.id, space_id=space.id,
           detail=f"before={space.rental_end.isoformat()} "
                  f"after={(actor.today - timedelta(days=1)).isoformat()}")
    space.rental_end = actor.today - timedelta(days=1)
    space.rental_start = min(space.rental_start, space.rental_end)


def _first_invitation(space: Space) -> Invitation:
    invitation = first_facilitator_invitation(space)
    if invitation is None:
        raise ServiceError(_("This space has no invitation for a first facilitator."))
    return invitation


def _refuse_when_ended(actor: Actor, space: Space) -> None:
    if space.rental_state(actor.today) == ENDED:
        raise ServiceError(_("This rental has ended. Extend it first."), "email")


def _invite(actor: Actor, space: Space, email: str) -> Invitation:
    # The raw token goes into the email only: the operator never sees the link.
    invitation, _raw = create_invitation(space, email=email, role=FACILITATOR,
                                         invited_by=actor.user)
    return invitation


@transactional
def resend_first_invitation(actor: Actor, space: Space) -> Invitation:
    """A fresh link to the same address; the old link stops working."""
    require(policy.can_administer_platform(actor, space))
    _refuse_when_ended(actor, space)
    old = _first_invitation(space)
    if old.accepted_at is not None:
        raise ServiceError(_("The first facilitator has already accepted the invitation."))
    if old.revoked_at is None:
        old.revoked_at = utcnow()
        audit_invitation(events.INVITATION_REVOKED, old, by=actor.user)
        db.session.flush()
    return _invite(actor, space, old.email)


@transactional
def withdraw_first_invitation(actor: Actor, space: Space) -> None:
    require(policy.can_administer_platform(actor, space))
    invitation = _first_invitation(space)
    if not invitation.is_open(utcnow()):
        raise ServiceError(_("This invitation is no longer open, so there is nothing to "
                             "withdraw."))
    invitation.revoked_at = utcnow()
    audit_invitation(events.INVITATION_REVOKED, invitation, by=actor.user)


@transactional
def invite_first_facilitator(actor: Actor, space: Space, *, email: str) -> Invitation:
    """Invite another address as first facilitator; an open invitation to the previous
    address is withdrawn."""
    require(policy.can_administer_platform(actor, space))
    _refuse_when_ended(actor, space)
    previous = first_facilitator_invitation(space)
    if previous is not None and previous.is_open(utcnow()):
        previous.revoked_at = utcnow()
        audit_invitation(events.INVITATION_REVOKED, previous, by=actor.user)
        db.session.flush()
    return _invite(actor, space, email)
