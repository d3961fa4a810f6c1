"""Space use cases of the platform operator and the facilitators: renting out a space and
changing its settings. Invitations, agreements and members have their own modules."""
from __future__ import annotations

import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app import policy
from app.audit import events
from app.audit.service import record
from app.accounts import service as accounts
from app.database import transactional
from app.email_address import is_valid_email
from app.errors import ServiceError, require
from app.extensions import db
from app.policy import Actor
from app.spaces.agreements import add_agreement_version, default_agreement
from app.spaces.invitations import create_invitation
from app.spaces.models import FACILITATOR, Space
from app.spaces.rhythm import GroupRhythm, apply_rhythm
from app.text import clean_line, clean_text

AUTO_HIDE_MAX = 50
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$")


@transactional
def create_space(actor: Actor, *, name: str, slug: str, theme: str, description: str,
                 renter: str, rental_start: date, rental_end: date, seat_limit: int,
                 facilitator_email: str) -> tuple[Space, str]:
    """Rent out a new space and invite its first facilitator. Returns the space and the raw
    invitation token, which only the invitation mail carries (the operator never sees the
    link; the demo seed uses it to accept on the spot)."""
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
    space = Space(name=clean_line(name, "name", 120, required=True), slug=slug,
                  theme=clean_line(theme, "theme", 120),
                  description=clean_text(description, "description", 500),
                  renter=clean_line(renter, "renter", 200, required=True),
                  rental_start=rental_start, rental_end=rental_end, seat_limit=seat_limit)
    db.session.add(space)
    db.session.flush()
    record(events.SPACE_CREATED, actor_id=actor.user.id, space_id=space.id)
    add_agreement_version(space, default_agreement(), created_by=actor.user)
    _invitation, raw = create_invitation(space, email=facilitator_email, role=FACILITATOR,
                                         invited_by=actor.user)
    return space, raw


@transactional
def update_space(actor: Actor, space: Space, *, name: str, theme: str, description: str,
                 members_can_start_threads: bool, auto_hide_threshold: int | None = None,
                 rhythm: GroupRhythm | None = None) -> None:
    """`auto_hide_threshold`: how many members' flags hide a post by themselves (0: never;
    None: leave as it is). `rhythm`: the group's rhythm settings (None: leave them)."""
    require(policy.can_edit_space(actor, space))
    if rhythm is not None:
        apply_rhythm(space, rhythm)
    space.name = clean_line(name, "name", 120, required=True)
    space.theme = clean_line(theme, "theme", 120)
    space.description = clean_text(description, "description", 500)
    space.members_can_start_threads = members_can_start_threads
    if auto_hide_threshold is not None:
        if not 0 <= auto_hide_threshold <= AUTO_HIDE_MAX:
            raise ServiceError(_("Choose a number from 0 (never) to %(n)d.", n=AUTO_HIDE_MAX),
                               "auto_hide_threshold")
        space.auto_hide_threshold = auto_hide_threshold
