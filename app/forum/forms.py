"""Forum forms: shape and CSRF only; the services decide what is acceptable."""
from flask_babel import lazy_gettext as _l
from app.forms import Form
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired

from app.forum.labels import THREAD_KIND_LABELS
from app.uploads.forms import attachments_field
from app.forum.planned_forms import ScheduleFields


def kind_choices():
    return list(THREAD_KIND_LABELS.items())


class ThreadForm(ScheduleFields):
    kind = SelectField(_l("Kind"), choices=kind_choices, default="discussion")
    title = StringField(_l("Title"), validators=[InputRequired()])
    body = TextAreaField(_l("Message"), validators=[InputRequired()])
    files = attachments_field()


class TitleForm(Form):
    title = StringField(_l("Title"), validators=[InputRequired()])


class PostForm(ScheduleFields):
    body = TextAreaField(_l("Your reply"), validators=[InputRequired()])
    files = attachments_field()
    quote_of = HiddenField()  # the id of the post the reply quotes (app/forum/quotes.py)


class EditForm(Form):
    body = TextAreaField(_l("Message"), validators=[InputRequired()])


class ReactForm(Form):
    choice = HiddenField()  # "<kind>:1" to add, "<kind>:0" to take back (idempotent)


class ToggleForm(Form):
    on = HiddenField()
