"""Moderation forms: shape and CSRF only; the services decide what is acceptable."""
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField, DateField, HiddenField, RadioField, SelectField, SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.forms import Form
from app.moderation.labels import ACTION_LABELS, OUTCOME_LABELS, REASON_LABELS


class FlagForm(Form):
    reason = RadioField(_l("Why are you reporting this message?"),
                        choices=lambda: list(REASON_LABELS.items()),
                        validators=[InputRequired(_l("Choose one of the reasons."))])
    note = TextAreaField(_l("Note for the moderators (optional; required for \"something else\")"))


class TakeOverForm(Form):
    holder = HiddenField()  # the membership id of the holder the moderator saw


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ResolveForm(Form):
    outcomes = CheckboxesField(_l("Outcome (you can combine several)"),
                               choices=lambda: list(OUTCOME_LABELS.items()))
    reason = TextAreaField(_l("Why the message is hidden (the author reads this)"))
    body = TextAreaField(_l("The edited message"))
    warning = TextAreaField(_l("Private message to the author"))
    until = DateField(_l("Suspended until"), validators=[Optional()])
    indefinitely = BooleanField(_l("Until further notice"))
    note = TextAreaField(_l("Note for the log (optional)"))


class LogFilterForm(Form):
    """The log's filters travel in the query string (a GET form without CSRF)."""

    class Meta(Form.Meta):
        csrf = False

    action = SelectField(_l("Action"), choices=lambda: [("", _l("All actions")),
                                                         *ACTION_LABELS.items()],
                         validators=[Optional()])
    who = SelectField(_l("By"), choices=[("", _l("Everyone"))], validators=[Optional()],
                      validate_choice=False)
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Up to and including"), validators=[Optional()])


class TakedownForm(Form):
    """Hide a post or a conversation without a flag."""

    reason = TextAreaField(_l("Why (the author reads this; it goes into the log)"))


class EraseForm(Form):
    reason = TextAreaField(_l("Why it must go (for the log; do not repeat what it said)"))
    confirm = BooleanField(_l("Yes, remove this message for good. This cannot be undone."))
