"""Forms for planned content: the optional publication moment on the new-thread and reply
forms, and the forms that change a plan."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, TextAreaField, TimeField
from wtforms.validators import InputRequired, Optional

from app.forms import Form


class ScheduleFields(Form):
    """Empty day and time: post now. Shown only to those who may plan (policy.can_schedule);
    the service refuses a moment from anyone else."""

    publish_date = DateField(_l("Publish on (day)"), validators=[Optional()])
    publish_time = TimeField(_l("at (time)"), validators=[Optional()])


class PlannedThreadForm(ScheduleFields):
    title = StringField(_l("Title"), validators=[InputRequired()])
    body = TextAreaField(_l("Message"), validators=[InputRequired()])


class PlannedReplyForm(ScheduleFields):
    body = TextAreaField(_l("Message"), validators=[InputRequired()])
