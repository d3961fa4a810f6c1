"""Rules for the participation overview: the facilitators', and the co-facilitators' only
where the space allows it. Nobody else learns anyone's visits or activity figures."""
from __future__ import annotations

from app.policy.core import Actor, allowed, role_in
from app.spaces.models import COFACILITATOR


def can_view_overview(actor: Actor, space) -> bool:
    if not allowed(actor, "view_overview", space.id):
        return False
    return role_in(actor, space.id) != COFACILITATOR or bool(space.overview_for_cofacilitators)


def can_read_absence_reasons(actor: Actor, space) -> bool:
    """Why a member cancelled: the facilitators only (the attendance permission), also
    when a co-facilitator may read the overview."""
    return can_view_overview(actor, space) and allowed(actor, "view_attendance", space.id)
