"""Rules for planned content: who writes threads, replies and library items now to be
published later, and who changes a plan. Who sees plans before their time is
can_view_planned (app/policy/library.py, shared with planned library material)."""
from __future__ import annotations

from app.policy.core import Actor, _is_author, allowed


def can_schedule(actor: Actor, space) -> bool:
    """Set a publication time when writing: the group's facilitators and co-facilitators."""
    return allowed(actor, "schedule", space.id)


def can_change_planned(actor: Actor, item) -> bool:
    """Edit, publish now or cancel a planned thread, reply or library item: its author, while
    they may still schedule. Once published it is ordinary content again."""
    return (item.publish_at is not None
            and _is_author(actor, item)
            and allowed(actor, "schedule", item.space_id))
