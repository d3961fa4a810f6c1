"""Who reads the audit trail: operators the platform's events, facilitators their space's."""
from __future__ import annotations

from app.policy.core import Actor, allowed


def can_view_audit(actor: Actor, space) -> bool:
    return allowed(actor, "view_audit", space.id)


def can_view_platform_audit(actor: Actor, _obj=None) -> bool:
    return actor.is_operator
