"""The forum's words for its values: thread kinds and reactions, one mapping each, used by
the forms and (as template globals) by the pages."""
from flask_babel import lazy_gettext as _l

from app.forum.models import ANNOUNCEMENT, ASSIGNMENT, DISCUSSION, REACTIONS, STATEMENT

THREAD_KIND_LABELS = {
    DISCUSSION: _l("Conversation"),
    ANNOUNCEMENT: _l("Announcement"),
    ASSIGNMENT: _l("Assignment"),
    STATEMENT: _l("Statement"),
}

REACTION_LABELS = {
    "support": _l("Support"),
    "thanks": _l("Thanks"),
    "recognise": _l("Recognisable"),
    "strong": _l("Strong"),
    "laugh": _l("Smile"),
}
assert REACTION_LABELS.keys() == REACTIONS.keys(), "every reaction needs its label"

REMOVED_TITLE = _l("conversation deleted")


def shown_title(title: str | None):
    """A title as lists show it; None (see queries.listed_title) once the author deleted the
    opening post."""
    return REMOVED_TITLE if title is None else title


def thread_title(thread):
    """The same for a loaded thread (template global)."""
    return shown_title(None if thread.title_removed_at is not None else thread.title)
