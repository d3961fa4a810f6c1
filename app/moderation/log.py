"""The moderation log's one writer: every moderation action appends a row, inside the
transaction of the action itself. Rows are never changed (the database refuses it)."""
from __future__ import annotations

from app.extensions import db
from app.moderation.models import ModerationLog

FLAG = "flag"
FLAG_WITHDRAWN = "flag_withdrawn"
AUTO_HIDE = "auto_hide"
CLAIM = "claim"
TAKE_OVER = "take_over"
RELEASE = "release"
CLAIM_EXPIRED = "claim_expired"
RESOLVE = "resolve"
HIDE_POST = "hide_post"
UNHIDE_POST = "unhide_post"
EDIT_POST = "edit_post"
LOCK_THREAD = "lock_thread"
WARN = "warn"
SUSPEND = "suspend"
UNSUSPEND = "unsuspend"
REVIEW_REQUESTED = "review_requested"
# For takedowns without a flag, the moderator role and the crisis reminder.
HIDE_THREAD = "hide_thread"
UNHIDE_THREAD = "unhide_thread"
RENAME_THREAD = "rename_thread"
ERASE_POST = "erase_post"
ROLE_CHANGE = "role_change"
REMINDER = "reminder"
ACTIONS = (FLAG, FLAG_WITHDRAWN, AUTO_HIDE, CLAIM, TAKE_OVER, RELEASE, CLAIM_EXPIRED, RESOLVE,
           HIDE_POST, UNHIDE_POST, EDIT_POST, LOCK_THREAD, WARN, SUSPEND, UNSUSPEND,
           REVIEW_REQUESTED, HIDE_THREAD, UNHIDE_THREAD, RENAME_THREAD, ERASE_POST,
           ROLE_CHANGE, REMINDER)


def log_action(space_id: int, action: str, *, actor=None, subject=None, case=None, post=None,
               thread_id: int | None = None, reason: str = "", detail: dict | None = None,
               at=None) -> ModerationLog:
    """Append one row. `actor` and `subject` are memberships (None: Kring itself, or nobody);
    their names are copied. `detail` holds short facts, never post text."""
    if action not in ACTIONS:
        raise ValueError(f"unknown moderation action {action!r}")
    if post is not None and thread_id is None:
        thread_id = post.thread_id
    if case is not None and post is None and thread_id is None:
        thread_id = case.thread_id
    entry = ModerationLog(
        space_id=space_id, action=action,
        actor_id=None if actor is None else actor.id,
        actor_name="" if actor is None else actor.display_name,
        subject_id=None if subject is None else subject.id,
        subject_name="" if subject is None else subject.display_name,
        case_id=None if case is None else case.id,
        post_id=post.id if post is not None else (case.post_id if case is not None else None),
        thread_id=thread_id, reason=reason or "",
        detail=" ".join(f"{key}={value}" for key, value in (detail or {}).items()))
    if at is not None:
        entry.created_at = at
    db.session.add(entry)
    return entry
