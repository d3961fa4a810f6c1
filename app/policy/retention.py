"""Rules around a space's rental end, grace period and purge: pure date arithmetic on the
space, with the configured day counts passed in (the rulebook reads no settings)."""
from __future__ import annotations

from datetime import date, timedelta

from app.policy.core import Actor
from app.spaces.models import OPEN


def rental_ending_soon(actor: Actor, space, first_warning_days: int) -> bool:
    """The rental is still open and its last day lies within the first warning's reach
    (the facilitators' notice on the space's pages)."""
    return (space.rental_state(actor.today) == OPEN
            and space.rental_end - timedelta(days=first_warning_days) <= actor.today)


def purge_day(space, grace_days: int) -> date:
    """The first (local) day on which the space may be purged: the space stays readable for
    `grace_days` days after its last rental day."""
    return space.rental_end + timedelta(days=grace_days + 1)


def purge_due(space, today: date, grace_days: int) -> bool:
    return today >= purge_day(space, grace_days)


def warning_due(space, today: date, days_before: int) -> bool:
    """A warning `days_before` the last rental day falls due from that day until the end
    (a worker that was down catches up), never after the rental has ended."""
    return space.rental_end - timedelta(days=days_before) <= today <= space.rental_end
