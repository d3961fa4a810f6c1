"""Who hears about a changed or cancelled meeting: everyone in the group but the one who
changed it. The mails say only that a meeting changed (app/notify/kinds.py), never when,
where or what about."""
from __future__ import annotations

from app.notify.rhythm_kinds import MEETING_CANCELLED, MEETING_CHANGED
from app.notify.service import notify
from app.spaces.queries import active_members


def _others(space, actor):
    return [m for m in active_members(space.id) if actor is None or m.id != actor.id]


def on_changed(space, meetings, *, actor) -> int:
    """One notification per member for one change, however many meetings it moved."""
    if not meetings:
        return 0
    return notify(space, _others(space, actor), kind=MEETING_CHANGED,
                  about_id=actor.id if actor is not None else None)


def on_cancelled(space, meeting, *, actor) -> int:
    return notify(space, _others(space, actor), kind=MEETING_CANCELLED,
                  about_id=actor.id if actor is not None else None)
