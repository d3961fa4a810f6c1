"""What the operator may see of spaces: rental data and seat use, never names or content."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app import policy
from app.errors import NotFound, require
from app.extensions import db
from app.policy import Actor
from app.spaces.models import Membership, Space


@dataclass
class SpaceUse:
    space: Space
    seats_taken: int


def rented_spaces(actor: Actor) -> list[SpaceUse]:
    require(policy.can_administer_platform(actor))
    seats = (select(Membership.space_id, func.count().label("n"))
             .where(Membership.ended_at.is_(None)).group_by(Membership.space_id).subquery())
    rows = db.session.execute(select(Space, func.coalesce(seats.c.n, 0))
                              .outerjoin(seats, seats.c.space_id == Space.id)
                              .order_by(Space.rental_end, Space.name))
    return [SpaceUse(space, n) for space, n in rows]


def rented_space(actor: Actor, slug: str) -> SpaceUse:
    require(policy.can_administer_platform(actor))
    for use in rented_spaces(actor):
        if use.space.slug == slug:
            return use
    raise NotFound()
