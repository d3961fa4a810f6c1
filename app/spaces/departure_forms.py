"""Forms for leaving: a member's last meeting (set by a facilitator) and the member's
choice of name after leaving. Shape and CSRF only; the services decide."""
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField

from app.forms import Form
from app.spaces.departures import FORMER, KEEP_NAME


class LastMeetingForm(Form):
    # Choices are the group's coming meetings; the service refuses any other id with
    # Kring's own words at the field (another group's meeting, a cancelled or past one).
    meeting = SelectField(_l("Last meeting"), validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting.choices = []


class NameAfterLeavingForm(Form):
    choice = RadioField(_l("After you leave, your messages show"), choices=[
        (KEEP_NAME, _l("my name in this group")),
        (FORMER, _l("\"former member\" instead of my name")),
    ], validate_choice=False)
