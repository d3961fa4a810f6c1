"""Rules for statements (taking a position, seeing the counts, editing the positions) and
assignments (the due date, who has responded). Pure: the poll carries what was loaded."""
from __future__ import annotations

from app.forum.models import ASSIGNMENT, STATEMENT
from app.policy.core import Actor, allowed


def _open_thread(thread) -> bool:
    """A statement whose opening post is gone, or that a moderator hid, takes no positions."""
    return thread.hidden_at is None and thread.title_removed_at is None


def can_take_position(actor: Actor, thread) -> bool:
    """Everyone in the group may take (and change) a position while the conversation is open;
    a closed conversation or a read-only space keeps the positions as they are."""
    return (thread.kind == STATEMENT and _open_thread(thread) and not thread.is_locked
            and allowed(actor, "take_position", thread.space_id))


def can_view_statement_results(actor: Actor, poll) -> bool:
    """The counts (never who chose what): for a member once they chose, so their own choice is
    not steered by the group's; for the leads always; for everyone once no position can be
    taken any more (closed conversation, read-only space). `poll` carries its thread and
    whether the actor has chosen."""
    thread = poll.thread
    if thread.kind != STATEMENT or not allowed(actor, "view_space", thread.space_id):
        return False
    return (poll.chosen or allowed(actor, "view_statement_results", thread.space_id)
            or not can_take_position(actor, thread))


def can_edit_statement(actor: Actor, poll) -> bool:
    """The leads may reword the positions until the first member chose one: relabelling
    afterwards would put words in the mouths of those who chose."""
    thread = poll.thread
    return (thread.kind == STATEMENT and _open_thread(thread) and poll.total == 0
            and allowed(actor, "start_seed_thread", thread.space_id))


def can_edit_due_date(actor: Actor, thread) -> bool:
    return (thread.kind == ASSIGNMENT and _open_thread(thread)
            and allowed(actor, "start_seed_thread", thread.space_id))


def can_view_assignment_responses(actor: Actor, thread) -> bool:
    """Who has responded and who has not: the leads only, never the members."""
    return (thread.kind == ASSIGNMENT
            and allowed(actor, "view_assignment_responses", thread.space_id))
