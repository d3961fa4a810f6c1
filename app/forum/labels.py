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
