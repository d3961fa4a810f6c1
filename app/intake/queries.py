"""Read services for intake: the public page behind a key (only when open and the space's
rental runs), and, for the facilitators, the page's set-up and the confirmed registrations.
Another space's registration is a 404; someone without the right a 403."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import case, select

from app import policy
from app.database import utcnow
from app.errors import NotFound, require
from app.extensions import db
from app.intake.models import STATUSES, IntakePage, Registration
from app.intake.setup import blank_page, page_of
from app.policy import Actor
from app.spaces.models import OPEN, Space


def open_page(key: str) -> tuple[IntakePage, Space] | None:
    """The interest page behind `key`, with its space, when it is open and the space is in
    its rental period; None otherwise (the caller answers 404, the same for closed, unknown
    and ended). One query."""
    if not key or len(key) > 64:
        return None
    found = db.session.execute(select(IntakePage, Space).join(
        Space, Space.id == IntakePage.space_id).where(
        IntakePage.public_key == key, IntakePage.is_open.is_(True))).first()
    if found is None:
        return None
    page, space = found
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    if space.rental_state(utcnow().astimezone(zone).date()) != OPEN:
        return None
    return page, space


def intake_page(actor: Actor, space) -> IntakePage:
    """The page's set-up as stored, or a blank closed one (not saved)."""
    require(policy.can_manage_intake(actor, space))
    return page_of(space) or blank_page(space)


_ORDER = case({status: n for n, status in enumerate(STATUSES)}, value=Registration.status)


def registrations_of(actor: Actor, space) -> list[Registration]:
    """The confirmed registrations of the space, by status (new first), newest first within
    a status. Unconfirmed ones do not count yet and are not shown. One query."""
    require(policy.can_manage_intake(actor, space))
    return list(db.session.scalars(select(Registration).where(
        Registration.space_id == space.id, Registration.confirmed_at.is_not(None))
        .order_by(_ORDER, Registration.confirmed_at.desc(), Registration.id.desc())))


def get_registration(actor: Actor, space, registration_id: int) -> Registration:
    require(policy.can_manage_intake(actor, space))
    registration = db.session.scalar(select(Registration).where(
        Registration.id == registration_id, Registration.space_id == space.id,
        Registration.confirmed_at.is_not(None)))
    if registration is None:
        raise NotFound()
    require(policy.can_decide_registration(actor, registration))
    return registration
