"""The line's one form: shape and CSRF only; the service decides what is acceptable."""
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField

from app.forms import Form


class LineForm(Form):
    # No InputRequired: an empty message is refused by the service, at this field, in words
    # about a message (app/text.py clean_body).
    body = TextAreaField(_l("Your message"))
