"""Who may export what: everyone their own data, facilitators their space."""
from __future__ import annotations

from app.policy.core import Actor, allowed


def can_export_own_data(actor: Actor, _obj=None) -> bool:
    return actor.user is not None


def can_export_space(actor: Actor, space) -> bool:
    return allowed(actor, "export_space", space.id)
