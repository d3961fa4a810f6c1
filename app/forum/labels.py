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
HIDDEN_TITLE = _l("conversation hidden by a facilitator")
# What queries.listed_title gives for a hidden thread. A title can never be this: titles are
# one line with runs of whitespace (which includes this separator) folded into one space.
HIDDEN_MARK = "\x1f"


def shown_title(title: str | None):
    """A title as lists show it: None (see queries.listed_title) once the author deleted the
    opening post, HIDDEN_MARK while a moderator hides the conversation."""
    if title is None:
        return REMOVED_TITLE
    return HIDDEN_TITLE if title == HIDDEN_MARK else title


def thread_title(thread, reveal_hidden: bool = False):
    """The same for a loaded thread (template global); those who moderate pass
    reveal_hidden to see a hidden conversation's own title."""
    if thread.title_removed_at is not None:
        return REMOVED_TITLE
    if thread.hidden_at is not None and not reveal_hidden:
        return HIDDEN_TITLE
    return thread.title
