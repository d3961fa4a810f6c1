"""Rules around a space's rental end, grace period and purge: pure date arithmetic on the
space, with the configured day counts passed in (the rulebook reads no settings)."""
from __future__ import annotations

from datetime import date, timedelta

from app.policy.core import Actor
from app.spaces.models import ENDED


def purge_day(space, grace_days: int) -> date:
    """The first (local) day on which the space may be purged: the space stays readable for
    `grace_days` days after its last rental day."""
    return space.rental_end + timedelta(days=grace_days + 1)


def purge_due(space, today: date, grace_days: int) -> bool:
    return today >= purge_day(space, grace_days)


def in_grace_period(actor: Actor, space) -> bool:
    """The rental has ended: the space is read-only and waits for its purge (the banner)."""
    return space.rental_state(actor.today) == ENDED


def warning_due(space, today: date, days_before: int) -> bool:
    """A warning `days_before` the last rental day falls due from that day until the end
    (a worker that was down catches up), never after the rental has ended."""
    return space.rental_end - timedelta(days=days_before) <= today <= space.rental_end
