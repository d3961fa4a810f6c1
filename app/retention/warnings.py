"""Content-free warnings to a space's facilitators before its last rental day (days from
RENTAL_WARNING_DAYS): a notification, and a mail as their preferences say. Each warning
goes once: a row in rental_warnings, inserted with ON CONFLICT DO NOTHING, decides which
worker round (of however many workers) sends it."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from app import policy
from app.database import transactional, utcnow
from app.extensions import db
from app.notify import kinds
from app.notify.service import notify
from app.retention.common import local_today, warning_days
from app.retention.models import RentalWarning
from app.spaces.models import FACILITATOR, Membership, Space


def _claim(space: Space, days_before: int, now: datetime) -> bool:
    """Record the warning; True when this call recorded it (nobody had before)."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(RentalWarning).values(
        space_id=space.id, rental_end=space.rental_end, days_before=days_before,
        sent_at=now).on_conflict_do_nothing(
        index_elements=["space_id", "rental_end", "days_before"]).returning(RentalWarning.id)
    # A row comes back only when this statement inserted it (rowcount is not reliable for an
    # ORM-enabled INSERT on every driver).
    return db.session.execute(statement).first() is not None


def _facilitators(space: Space, now: datetime) -> list[Membership]:
    return list(db.session.scalars(select(Membership).where(
        Membership.space_id == space.id, Membership.role == FACILITATOR,
        Membership.usable_at(now)).order_by(Membership.id)))


@transactional
def warn_space(space: Space, now: datetime) -> bool:
    """Send the warning due for this space, if not sent yet. Every warning due at once (a
    space rented for less than 30 days, a worker that was down) is recorded, but the
    facilitators hear it once."""
    today = local_today(now)
    due = [d for d in warning_days() if policy.warning_due(space, today, d)]
    claimed = [d for d in due if _claim(space, d, now)]
    if not claimed:
        return False
    notify(space, _facilitators(space, now), kind=kinds.RENTAL_ENDING)
    return True


def send_rental_warnings(now: datetime | None = None) -> int:
    """The worker's job: warn every space whose last rental day is near. Returns how many
    spaces were warned. One transaction per space, so one failure stops no other warning."""
    now = now or utcnow()
    days = warning_days()
    if not days:
        return 0
    today = local_today(now)
    candidates = list(db.session.scalars(select(Space).where(
        Space.rental_end >= today, Space.rental_end <= today + timedelta(days=days[0]))
        .order_by(Space.id)))
    db.session.rollback()  # each space in a transaction of its own
    return sum(warn_space(space, now) for space in candidates)
