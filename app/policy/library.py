"""Rules for the library: seeing (planned material only for the leads), adding, marking
"from the facilitators", editing and removing items, categories, and "bespreek dit"."""
from __future__ import annotations

from app.policy.core import Actor, _is_author, allowed
from app.policy.forum import can_start_thread


def can_view_planned(actor: Actor, space) -> bool:
    """Material (and other content) planned for later: the group's leads see it early."""
    return allowed(actor, "view_planned", space.id)


def is_published(actor: Actor, item) -> bool:
    return item.publish_at is None or item.publish_at <= actor.now


def can_view_library(actor: Actor, space) -> bool:
    return allowed(actor, "view_space", space.id)


def can_view_library_item(actor: Actor, item) -> bool:
    """A removed item is gone for everyone; a planned one only for the leads."""
    if item.deleted_at is not None or not allowed(actor, "view_space", item.space_id):
        return False
    return is_published(actor, item) or allowed(actor, "view_planned", item.space_id)


def can_add_library_item(actor: Actor, space) -> bool:
    return allowed(actor, "add_material", space.id)


def can_mark_from_leads(actor: Actor, space) -> bool:
    """Mark material "from the facilitators" (and plan it for later)."""
    return allowed(actor, "lead_material", space.id)


def can_edit_library_item(actor: Actor, item) -> bool:
    """Whoever added it, and the group's leads."""
    if not can_view_library_item(actor, item):
        return False
    if _is_author(actor, item) and allowed(actor, "add_material", item.space_id):
        return True
    return allowed(actor, "lead_material", item.space_id)


def can_remove_library_item(actor: Actor, item) -> bool:
    return can_edit_library_item(actor, item)


def can_manage_library_categories(actor: Actor, space) -> bool:
    return allowed(actor, "lead_material", space.id)


def can_start_library_discussion(actor: Actor, item) -> bool:
    """Open the item's conversation: published material only (a conversation cannot be
    planned), by whoever may start a conversation in the group (its setting applies)."""
    membership = actor.memberships.get(item.space_id)
    if membership is None or item.thread_id is not None or item.deleted_at is not None:
        return False
    return is_published(actor, item) and can_start_thread(actor, membership.space, "discussion")
