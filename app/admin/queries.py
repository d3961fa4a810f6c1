"""What the operator may see of spaces: rental data, seat use, whether the first
facilitator accepted their invitation and how its mail stands, never names or content."""
from __future__ import annotations

from dataclasses import dataclass
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import policy
from app.accounts.models import User
from app.errors import NotFound, require
from app.extensions import db
from app.notify.outbox import invitation_mail_state
from app.policy import Actor
from app.spaces.models import ENDED, FACILITATOR, NOT_STARTED, OPEN, Invitation, Membership, Space

RENTAL_STATE_LABELS = {NOT_STARTED: _l("Not started"), OPEN: _l("Open"), ENDED: _l("Ended")}

# Where the first facilitator's invitation stands, as the operator may know it.
ACCEPTED, PENDING, EXPIRED, WITHDRAWN = "accepted", "pending", "expired", "withdrawn"
INVITATION_STATE_LABELS = {ACCEPTED: _l("Accepted"), PENDING: _l("Not accepted yet"),
                           EXPIRED: _l("Expired without being accepted"),
                           WITHDRAWN: _l("Withdrawn")}


def invitation_state(invitation: Invitation, now) -> str:
    if invitation.accepted_at is not None:
        return ACCEPTED
    if invitation.revoked_at is not None:
        return WITHDRAWN
    return PENDING if invitation.expires_at > now else EXPIRED


@dataclass
class SpaceUse:
    space: Space
    seats_taken: int
    state: str  # NOT_STARTED, OPEN or ENDED (app/spaces/models.py)


@dataclass
class SpaceDetail(SpaceUse):
    first_invitation: Invitation | None  # the latest one the platform sent for this space
    invitation_state: str | None
    mail_state: str | None  # how that invitation's mail stands: queued, sent or failed


def _seats():
    return (select(Membership.space_id, func.count().label("n"))
            .where(Membership.ended_at.is_(None)).group_by(Membership.space_id).subquery())


def _uses(actor: Actor, query) -> list[SpaceUse]:
    seats = _seats()
    rows = db.session.execute(query.add_columns(func.coalesce(seats.c.n, 0))
                              .outerjoin(seats, seats.c.space_id == Space.id))
    return [SpaceUse(space, n, space.rental_state(actor.today)) for space, n in rows]


def rented_spaces(actor: Actor) -> list[SpaceUse]:
    """Every space with its seat use and rental state, in one query."""
    require(policy.can_administer_platform(actor))
    return _uses(actor, select(Space).order_by(Space.rental_end, Space.name))


def first_facilitator_invitation(space: Space) -> Invitation | None:
    """The latest facilitator invitation the platform (an operator) sent for this space.
    Invitations facilitators send are the group's business, not the operator's."""
    return db.session.scalar(
        select(Invitation).join(User, User.id == Invitation.invited_by_id)
        .where(Invitation.space_id == space.id, Invitation.role == FACILITATOR,
               User.is_operator.is_(True))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc()).limit(1))


def rented_space(actor: Actor, slug: str) -> SpaceDetail:
    require(policy.can_administer_platform(actor))
    uses = _uses(actor, select(Space).where(Space.slug == slug))
    if not uses:
        raise NotFound()
    use = uses[0]
    invitation = first_facilitator_invitation(use.space)
    if invitation is None:
        return SpaceDetail(use.space, use.seats_taken, use.state, None, None, None)
    return SpaceDetail(use.space, use.seats_taken, use.state, invitation,
                       invitation_state(invitation, actor.now), invitation_mail_state(invitation))
