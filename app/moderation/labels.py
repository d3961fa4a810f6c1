"""Moderation's words for its values, one mapping each, used by forms, pages, the log and its
CSV export: flag reasons, outcomes, log actions and what a flagger is told."""
from flask_babel import lazy_gettext as _l

from app.moderation.models import (
    CONCERN, EDIT, HIDE, HURTFUL, LOCK, NO_ACTION, OTHER, OUTCOMES, PRIVACY, REASONS, SPAM,
    SUSPEND, WARN,
)
from app.moderation import log

REASON_LABELS = {
    CONCERN: _l("Worried about someone"),
    HURTFUL: _l("Hurtful or unsafe"),
    PRIVACY: _l("Privacy"),
    SPAM: _l("Advertising or spam"),
    OTHER: _l("Something else"),
}
REASON_HINTS = {
    CONCERN: _l("You are worried about someone's safety, for example their own safety."),
    HURTFUL: _l("The message hurts, threatens or makes the group unsafe."),
    PRIVACY: _l("Someone shared details that identify another person."),
    SPAM: _l("Advertising, or the same message over and over."),
    OTHER: _l("Something else: say what in the note."),
}
assert REASON_LABELS.keys() == set(REASONS) == REASON_HINTS.keys()

OUTCOME_LABELS = {
    NO_ACTION: _l("No action"),
    HIDE: _l("Hide the message"),
    EDIT: _l("Edit the message"),
    LOCK: _l("Close the conversation"),
    WARN: _l("Warn the author (a private message)"),
    SUSPEND: _l("Suspend the author"),
}
assert OUTCOME_LABELS.keys() == set(OUTCOMES)

ACTION_LABELS = {
    log.FLAG: _l("Flag received"),
    log.FLAG_WITHDRAWN: _l("Flag withdrawn"),
    log.AUTO_HIDE: _l("Hidden automatically"),
    log.CLAIM: _l("Picked up"),
    log.TAKE_OVER: _l("Taken over"),
    log.RELEASE: _l("Released"),
    log.CLAIM_EXPIRED: _l("Released after 48 hours"),
    log.RESOLVE: _l("Handled"),
    log.HIDE_POST: _l("Message hidden"),
    log.UNHIDE_POST: _l("Message shown again"),
    log.EDIT_POST: _l("Message edited by a moderator"),
    log.LOCK_THREAD: _l("Conversation closed"),
    log.WARN: _l("Warning sent"),
    log.SUSPEND: _l("Member suspended"),
    log.UNSUSPEND: _l("Suspension lifted"),
    log.REVIEW_REQUESTED: _l("Author asked for another look"),
    log.HIDE_THREAD: _l("Conversation hidden"),
    log.UNHIDE_THREAD: _l("Conversation shown again"),
    log.RENAME_THREAD: _l("Conversation renamed"),
    log.ERASE_POST: _l("Message removed for good"),
    log.ROLE_CHANGE: _l("Role changed"),
    log.REMINDER: _l("Reminder sent"),
}
assert ACTION_LABELS.keys() == set(log.ACTIONS)

# What the flagger sees of their flag: never how it was handled.
FLAG_STATUS_LABELS = {
    "received": _l("Received"),
    "picked_up": _l("Picked up by a moderator"),
    "handled": _l("Handled"),
    "withdrawn": _l("Withdrawn"),
}
