"""Forms for statements and assignments: shape and CSRF only (statements.py and
assignments.py decide what is acceptable, so a refusal keeps the typed text)."""
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField

from app.forms import Form
from app.forum.forms import ThreadForm
from app.forum.statements import DEFAULT_LABELS


class _Labels:
    label_1 = StringField(_l("Position 1"), default=lambda: str(DEFAULT_LABELS[0]))
    label_2 = StringField(_l("Position 2"), default=lambda: str(DEFAULT_LABELS[1]))
    label_3 = StringField(_l("Position 3"), default=lambda: str(DEFAULT_LABELS[2]))

    def labels(self) -> list[str]:
        return [self.label_1.data or "", self.label_2.data or "", self.label_3.data or ""]


class _Due:
    # Plain text fields shown as date and time inputs: a browser without them, or a typing
    # error, gets the text back with the reason instead of a silently dropped value.
    due_date = StringField(_l("Hand in by (date)"), render_kw={"type": "date"})
    due_time = StringField(_l("Time (optional)"), render_kw={"type": "time"})


class SeedThreadForm(ThreadForm, _Labels, _Due):
    """The new-thread form with a statement's positions and an assignment's due date."""


class LabelsForm(Form, _Labels):
    pass


class DueForm(Form, _Due):
    pass


class PositionForm(Form):
    # Choices are the statement's own positions; the service refuses anything else.
    position = RadioField(_l("Your position"), choices=[], validate_choice=False, coerce=str)
