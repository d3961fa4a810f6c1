"""The facilitators' decisions on a confirmed registration: intake planned, waiting list,
admitted (the invitation goes out through the invitations service) or declined (a kind
message, which the facilitator may edit, goes out by mail). Admitted and declined are final."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import policy
from app.database import lock_row, transactional, utcnow
from app.errors import ServiceError, require
from app.extensions import db
from app.intake.models import (
    ADMITTED, DECIDED, DECLINED, MESSAGE_MAX, NEXT, PLANNED, WAITING, Registration,
)
from app.intake.setup import page_of
from app.notify.outbox import Mail, enqueue
from app.policy import Actor
from app.spaces import invitations
from app.spaces.models import MEMBER, Space
from app.text import clean_text

DEFAULT_DECLINE = _l(
    "Thank you for registering and for the conversation we had. We have thought about it "
    "carefully and we think this group is not the right place for you at this moment. That "
    "says nothing about you as a person. If you like, we will gladly think along with you "
    "about other help that fits you better.")


def decline_text(space) -> str:
    """What the decline form starts with: the facilitators' own wording, or the built-in."""
    page = page_of(space)
    return (page.decline_message if page is not None else "") or str(DEFAULT_DECLINE)


def _move(actor: Actor, registration: Registration, status: str) -> bool:
    """Lock the registration and check the step. False when it already has this status (a
    twin submit of the same decision: nothing happens twice)."""
    require(policy.can_decide_registration(actor, registration))
    lock_row(Registration.status, registration.id)
    db.session.refresh(registration)
    if registration.status == status:
        return False
    if status not in NEXT.get(registration.status, ()):
        raise ServiceError(_("A decision was already made about this registration."))
    now = utcnow()
    registration.status, registration.status_changed_at = status, now
    if status in DECIDED:
        registration.decided_at = now
    return True


@transactional
def change_status(actor: Actor, registration: Registration, *, status: str) -> Registration:
    """Intake planned or waiting list: the facilitators' own bookkeeping, nobody is mailed."""
    if status not in (PLANNED, WAITING):
        raise ServiceError(_("Choose one of the offered options."), "status")
    _move(actor, registration, status)
    return registration


@transactional
def admit_registration(actor: Actor, registration: Registration) -> Registration:
    """Admit the candidate: the invitation goes to the confirmed address, as any invitation
    (the seat limit and an existing membership are checked there)."""
    if _move(actor, registration, ADMITTED):
        space = db.session.get(Space, registration.space_id)
        invitation, _raw = invitations.invite(actor, space, email=registration.email,
                                              role=MEMBER)
        registration.invitation_id = invitation.id
    return registration


@transactional
def decline_registration(actor: Actor, registration: Registration, *,
                         message: str) -> Registration:
    """Decline with a kind message, mailed to the candidate. The message is the
    facilitator's own words; the mail does not name the group."""
    require(policy.can_decide_registration(actor, registration))
    message = clean_text(message or "", "message", MESSAGE_MAX, required=True)
    if _move(actor, registration, DECLINED):
        enqueue(Mail(to=registration.email, template="intake_declined",
                     context=dict(name=registration.name, message=message)))
    return registration
