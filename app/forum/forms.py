"""Forum forms: shape and CSRF only; the services decide what is acceptable."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired

from app.forum.labels import THREAD_KIND_LABELS


def kind_choices():
    return list(THREAD_KIND_LABELS.items())


class ThreadForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=kind_choices, default="discussion")
    title = StringField(_l("Title"), validators=[InputRequired()])
    body = TextAreaField(_l("Message"), validators=[InputRequired()])


class TitleForm(FlaskForm):
    title = StringField(_l("Title"), validators=[InputRequired()])


class PostForm(FlaskForm):
    body = TextAreaField(_l("Your reply"), validators=[InputRequired()])


class EditForm(FlaskForm):
    body = TextAreaField(_l("Message"), validators=[InputRequired()])


class ReactForm(FlaskForm):
    choice = HiddenField()  # "<kind>:1" to add, "<kind>:0" to take back (idempotent)


class ToggleForm(FlaskForm):
    on = HiddenField()
