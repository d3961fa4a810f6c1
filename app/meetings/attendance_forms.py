"""Forms for absences, away periods, recording attendance, a member's commitment and the
calendar feed's titles: shape and CSRF only; the services decide what is acceptable."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Optional

from app.forms import Form
from app.meetings.models import CANCELLED, NO_SHOW, PRESENT

# What a facilitator records per member after the start: one mapping for form and page.
OUTCOME_LABELS = {
    PRESENT: _l("Present"),
    CANCELLED: _l("Absent with notice"),
    NO_SHOW: _l("Absent without notice"),
}
# Where each member stands before a meeting, as the facilitators' list shows it.
EXPECTED, AWAY = "expected", "away"
STATUS_LABELS = {
    EXPECTED: _l("Expected"),
    CANCELLED: _l("Has cancelled"),
    AWAY: _l("Away"),
}


class AbsenceForm(Form):
    reason = TextAreaField(_l("Reason (optional, only the facilitators see it)"))


class AwayForm(Form):
    first_day = DateField(_l("First day away"), validators=[InputRequired()])
    last_day = DateField(_l("Last day away"), validators=[InputRequired()])
    reason = TextAreaField(_l("Reason (optional, only the facilitators see it)"))


class CommitmentForm(Form):
    sessions = IntegerField(_l("Agreed number of meetings (empty: no agreement)"),
                            validators=[Optional()])


class FeedTitlesForm(Form):
    neutral_titles = BooleanField(_l("Neutral titles: every meeting is called "
                                     "\"Group meeting\" in my calendar"))


def record_form(member_ids, defaults: dict[int, str], formdata=None):
    """One choice per expected member (`outcome-<membership id>`), preset to `defaults`."""

    class RecordForm(Form):
        pass

    for membership_id in member_ids:
        setattr(RecordForm, f"outcome-{membership_id}", SelectField(
            _l("Attendance"), choices=list(OUTCOME_LABELS.items()), validate_choice=False,
            default=defaults.get(membership_id, PRESENT)))
    if formdata is None:
        return RecordForm()
    return RecordForm(formdata=formdata)
