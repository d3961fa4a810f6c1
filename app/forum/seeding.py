"""Starting a thread together with what its kind brings: a statement's positions, an
assignment's due date (one use case, one transaction)."""
from __future__ import annotations

from app import policy
from app.database import transactional
from app.errors import require
from app.forum import assignments, service, statements
from app.forum.models import ASSIGNMENT, STATEMENT, THREAD_KINDS, Thread
from app.policy import Actor
from app.spaces.models import Space


@transactional
def start_thread(actor: Actor, space: Space, *, kind: str, title: str, body: str,
                 files=(), labels=None, due_day: str = "", due_time: str = "",
                 publish_at=None) -> Thread:
    """forum.service.start_thread, plus the positions of a statement or the due date of an
    assignment, in the same transaction. What the kind adds is checked before anything is
    written; fields of other kinds are ignored."""
    require(kind not in THREAD_KINDS or policy.can_start_thread(actor, space, kind))
    clean_labels = due = None
    if kind == STATEMENT:
        clean_labels = statements.clean_labels(
            labels if labels is not None else [str(label) for label in statements.DEFAULT_LABELS])
    elif kind == ASSIGNMENT:
        due = assignments.parse_due(due_day, due_time, actor.now)
    thread = service.start_thread(actor, space, kind=kind, title=title, body=body, files=files,
                                  publish_at=publish_at)  # planned: app/forum/schedule.py
    if clean_labels is not None:
        statements.add_positions(thread, clean_labels)
    elif kind == ASSIGNMENT and thread.created_at >= actor.now:
        # A resent form returns the first thread; its due date stays as first given.
        assignments.store_due(thread, due)
    return thread
