"""Who may export what: everyone their own data, facilitators their space. A finished export
is downloaded only by the person who asked for it (and, for a space, while still allowed)."""
from __future__ import annotations

from app.policy.core import Actor, allowed


def can_export_own_data(actor: Actor, _obj=None) -> bool:
    return actor.user is not None


def can_export_space(actor: Actor, space) -> bool:
    return allowed(actor, "export_space", space.id)


def can_download_export(actor: Actor, export) -> bool:
    """Only the requester; a space's copy only while they may still export that space."""
    if actor.user is None or export.user_id != actor.user.id:
        return False
    if export.space_id is None:
        return True
    return allowed(actor, "export_space", export.space_id)
