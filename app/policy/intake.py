"""Rules for the interest page, registrations and the waiting list: the group's facilitators
set up the page and decide on registrations; nobody else sees either."""
from __future__ import annotations

from app.policy.core import Actor, allowed


def can_manage_intake(actor: Actor, space) -> bool:
    """Set up the interest page and read the registrations list."""
    return allowed(actor, "manage_intake", space.id)


def can_decide_registration(actor: Actor, registration) -> bool:
    """Read one registration's answers and change its status (admit, decline, waiting list)."""
    return allowed(actor, "manage_intake", registration.space_id)
