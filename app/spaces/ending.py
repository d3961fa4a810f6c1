"""The one way a membership ends, whatever the path: leaving, removal by a facilitator, or
the departures' worker round after the leaving day. What belongs to the membership alone
goes with it, in the same transaction: the facilitators' notes about the member."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm.attributes import set_committed_value

from app.database import utcnow
from app.extensions import db
from app.notes.service import erase_notes
from app.spaces.models import Membership


def end_memberships(*conditions, at: datetime | None = None) -> list[int]:
    """End every still-active membership matching `conditions` (SQL expressions on
    Membership) with one conditional UPDATE, so two callers never end one membership twice;
    erase their notes. Joins the caller's transaction. Returns the ids it ended."""
    at = at or utcnow()
    ended = db.session.execute(
        update(Membership).where(Membership.ended_at.is_(None), *conditions)
        .values(ended_at=at)
        .returning(Membership.id, Membership.space_id, Membership.display_name),
        execution_options={"synchronize_session": False}).all()
    erase_notes(ended)
    return [row.id for row in ended]


def end_membership(membership: Membership, *, at: datetime | None = None) -> None:
    """End this one membership (leaving, removal) and keep the loaded row in step."""
    at = at or utcnow()
    if end_memberships(Membership.id == membership.id, at=at):
        set_committed_value(membership, "ended_at", at)
