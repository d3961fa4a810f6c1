"""Notes forms: shape and CSRF only; the service checks the text."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField

from app.forms import Form


class NoteForm(Form):
    # Required and length are checked by the service, with the message at the field.
    body = TextAreaField(_l("New note"))
