"""Who hears about intake: the space's facilitators, that a confirmed registration waits
(content-free: no name, no answers, not even in the app's line)."""
from __future__ import annotations

from sqlalchemy import select

from app import policy
from app.database import utcnow
from app.extensions import db
from app.notify import rhythm_kinds
from app.notify.service import notify
from app.spaces.models import Membership


def intake_leads(space_id: int) -> list[Membership]:
    """Everyone who may decide on registrations now (in the group, not suspended)."""
    return list(db.session.scalars(select(Membership).where(
        Membership.space_id == space_id, Membership.usable_at(utcnow()),
        Membership.role.in_(policy.PERMISSIONS["manage_intake"]))
        .order_by(Membership.id)))


def on_confirmed(space, registration) -> None:
    notify(space, intake_leads(space.id), kind=rhythm_kinds.INTAKE_NEW)
