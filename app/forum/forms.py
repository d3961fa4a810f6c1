"""Forum forms: shape and CSRF only; the services decide what is acceptable."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired


def kind_choices():
    return [("discussion", _l("Conversation")), ("announcement", _l("Announcement")),
            ("assignment", _l("Assignment")), ("statement", _l("Statement"))]


class ThreadForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=kind_choices, default="discussion")
    title = StringField(_l("Title"), validators=[InputRequired()])
    body = TextAreaField(_l("Message"), validators=[InputRequired()])


class PostForm(FlaskForm):
    body = TextAreaField(_l("Your reply"), validators=[InputRequired()])


class EditForm(FlaskForm):
    body = TextAreaField(_l("Message"), validators=[InputRequired()])


class ReactForm(FlaskForm):
    choice = HiddenField()  # "<kind>:1" to add, "<kind>:0" to take back (idempotent)


class ToggleForm(FlaskForm):
    on = HiddenField()
