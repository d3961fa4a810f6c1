"""What each kind of entry in the notes' access record is called on the page."""
from flask_babel import lazy_gettext as _l

from app.notes.models import ERASE, EXPORT, READ, REMOVE, WRITE

ACCESS_LABELS = {
    READ: _l("Read"),
    WRITE: _l("Added a note"),
    REMOVE: _l("Removed a note"),
    EXPORT: _l("Downloaded"),
    ERASE: _l("Deleted: the membership ended"),
}
