"""Reads for /account/delete: the user's own memberships, the only ones they can erase."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from app.accounts.models import User
from app.errors import NotFound
from app.extensions import db
from app.spaces.models import Membership, Space


def own_memberships(user: User) -> list[Membership]:
    """Every membership of the account, ended ones too (their posts are still there)."""
    return list(db.session.scalars(
        select(Membership).join(Space, Space.id == Membership.space_id)
        .options(contains_eager(Membership.space))
        .where(Membership.user_id == user.id).order_by(Space.name, Membership.id)))


def own_membership(memberships: list[Membership], value: str) -> Membership:
    """The membership named by a form value, among the user's own; anything else is a 404."""
    chosen = (value or "").strip()
    for membership in memberships:
        if chosen == str(membership.id):
            return membership
    raise NotFound()
