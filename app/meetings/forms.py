"""Meeting forms: shape and CSRF only; the services decide what is acceptable (times on the
group's clock are turned into UTC by app/meetings/recurrence.py, in the view)."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField, FieldList, FormField, HiddenField, IntegerField, SelectField, StringField,
    TextAreaField, TimeField,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from app.forms import Form
from app.meetings.models import FORTNIGHTLY, MONTHLY, WEEKLY

ONCE = "once"
REPEAT_LABELS = {
    ONCE: _l("Once"),
    WEEKLY: _l("Every week"),
    FORTNIGHTLY: _l("Every two weeks"),
    MONTHLY: _l("Every month (same day of the month)"),
}


class WhenFields(Form):
    start_date = DateField(_l("Day"), validators=[InputRequired()])
    start_time = TimeField(_l("Start time"), validators=[InputRequired()])
    end_time = TimeField(_l("End time"), validators=[InputRequired()])


class DetailFields(WhenFields):
    topic = StringField(_l("Topic"), validators=[Optional()])
    place = StringField(_l("Place"), validators=[Optional()])
    room_url = StringField(_l("Link to the video room"), validators=[Optional()])


class PlanForm(DetailFields):
    repeat = SelectField(_l("Repeat"), choices=list(REPEAT_LABELS.items()), default=ONCE)
    session_count = IntegerField(_l("Number of meetings"),
                                 validators=[Optional(), NumberRange(min=1, max=1000)])
    last_day = DateField(_l("or: last day"), validators=[Optional()])


class EditForm(DetailFields):
    script = TextAreaField(_l("Script (only the facilitators see it)"), validators=[Optional()])


class FollowingForm(WhenFields):
    """This and the following meetings of a series: the new day and hours of this one."""
    place = StringField(_l("Place"), validators=[Optional()])
    room_url = StringField(_l("Link to the video room"), validators=[Optional()])


class SessionFields(Form):
    class Meta:
        csrf = False  # part of the programme form, which carries the token

    meeting_id = HiddenField()
    topic = StringField(_l("Topic"), validators=[Optional()])
    script = TextAreaField(_l("Script"), validators=[Optional()])


class ProgrammeForm(Form):
    sessions = FieldList(FormField(SessionFields))


class ContentForm(Form):
    preparation_title = StringField(_l("Title of the preparation"), validators=[Optional()])
    preparation_body = TextAreaField(_l("Preparation prompt"), validators=[Optional()])
    hours_before = IntegerField(_l("Published this many hours before the start"),
                                default=48, validators=[InputRequired(),
                                                        NumberRange(min=1, max=14 * 24)])
    reflection_title = StringField(_l("Title of the reflection thread"),
                                   validators=[Optional()])
    reflection_body = TextAreaField(_l("Opening message of the reflection thread"),
                                    validators=[Optional()])
    scope = SelectField(_l("For"), choices=[("one", _l("This meeting")),
                                            ("following", _l("This and the following meetings "
                                                             "of the series"))],
                        default="one")
