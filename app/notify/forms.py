"""Notification preference forms: one choice per category that has kinds (app/notify/kinds.py),
the hour of the overview email and the neutral label."""
from flask_babel import lazy_gettext as _l
from app.forms import Form
from wtforms import BooleanField, SelectField

from app.notify.kinds import CATEGORY_LABELS, offered_categories
from app.notify.models import DAILY, DIRECT, MODES, NEVER, WEEKLY

# The delivery modes (app/notify/models.py MODES) as people read them.
MODE_LABELS = {DIRECT: _l("Right away"), DAILY: _l("Daily overview"),
               WEEKLY: _l("Weekly overview"), NEVER: _l("Never")}


def mode_choices():
    return [(mode, MODE_LABELS[mode]) for mode in MODES]


def settings_form(**kwargs) -> Form:
    """The settings form as the registry stands: a category nobody can be notified about yet
    is not offered (and not accepted)."""
    fields = {category: SelectField(CATEGORY_LABELS[category], choices=mode_choices)
              for category in offered_categories()}
    fields["digest_hour"] = SelectField(_l("Time of the overview email"), coerce=int,
                                        choices=[(h, f"{h:02d}:00") for h in range(24)])
    fields["neutral_label"] = BooleanField(
        _l('In emails, say "your group" instead of the name of the group'))
    return type("SettingsForm", (Form,), fields)(**kwargs)
