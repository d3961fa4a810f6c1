"""Rules for the forum: starting threads, replying, editing, reacting, pinning and locking."""
from __future__ import annotations

from app.policy.core import _START_WHEN_CLOSED, Actor, _is_author, allowed, role_in


# --- forum ----------------------------------------------------------------------------------

def can_start_thread(actor: Actor, space, kind: str = "discussion") -> bool:
    if kind != "discussion":
        return allowed(actor, "start_seed_thread", space.id)
    if not allowed(actor, "start_discussion", space.id):
        return False
    return space.members_can_start_threads or role_in(actor, space.id) in _START_WHEN_CLOSED


def can_read_thread(actor: Actor, thread) -> bool:
    return allowed(actor, "view_space", thread.space_id)


def can_reply_thread(actor: Actor, thread) -> bool:
    """Nobody replies in a hidden conversation (the members cannot read it) or in one still
    planned (it is published with its opening post only)."""
    return (thread.hidden_at is None and thread.publish_at is None
            and allowed(actor, "reply_locked" if thread.is_locked else "reply", thread.space_id))


def can_edit_post(actor: Actor, post) -> bool:
    """A planned post is changed through its plan (policy.can_change_planned) instead."""
    return (
        post.deleted_at is None
        and post.publish_at is None
        and _is_author(actor, post)
        and allowed(actor, "edit_own_post", post.space_id)
    )


def can_delete_post(actor: Actor, post) -> bool:
    return can_edit_post(actor, post)


def can_react_post(actor: Actor, post) -> bool:
    return (post.deleted_at is None and post.publish_at is None
            and allowed(actor, "react", post.space_id))


def can_quote_post(actor: Actor, post) -> bool:
    """Quote a post in a reply ("citeer"): a message the group can read, by someone who may
    reply (the thread's own rule, can_reply_thread, is checked beside this one)."""
    return (post.deleted_at is None
            and post.hidden_at is None
            and post.erased_at is None
            and allowed(actor, "reply", post.space_id))


def can_edit_thread_title(actor: Actor, thread) -> bool:
    """The thread's author, or a lead of the group; never once the author deleted the opening
    post (the title is gone then, and editing would bring it back)."""
    if thread.title_removed_at is not None or thread.publish_at is not None:
        return False
    if _is_author(actor, thread) and allowed(actor, "edit_own_post", thread.space_id):
        return True
    return allowed(actor, "edit_thread_title", thread.space_id)


def can_pin_thread(actor: Actor, thread) -> bool:
    return allowed(actor, "pin_thread", thread.space_id)


def can_lock_thread(actor: Actor, thread) -> bool:
    return allowed(actor, "lock_thread", thread.space_id)


def can_search_space(actor: Actor, space) -> bool:
    """Who may read the space searches it (what a search finds is what they can read there:
    app/search/queries.py)."""
    return allowed(actor, "view_space", space.id)
