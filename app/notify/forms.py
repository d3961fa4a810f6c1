"""Notification preference forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField


def mode_choices():
    return [("direct", _l("Right away")), ("daily", _l("Daily overview")),
            ("weekly", _l("Weekly overview")), ("never", _l("Never"))]


class SettingsForm(FlaskForm):
    replies = SelectField(_l("Replies in conversations I take part in, and mentions of my name"), choices=mode_choices)
    facilitator = SelectField(_l("New announcements, assignments, statements and material"), choices=mode_choices)
    members = SelectField(_l("New members"), choices=mode_choices)
    flags = SelectField(_l("Updates on reports"), choices=mode_choices)
    digest_hour = SelectField(_l("Time of the overview email"), coerce=int,
                              choices=[(h, f"{h:02d}:00") for h in range(24)])
    neutral_label = BooleanField(_l('In emails, say "your group" instead of the name of the group'))
