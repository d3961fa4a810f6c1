"""Intake forms: shape and CSRF only; the services decide what is acceptable. The public
form gets one text field per question the facilitators set."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired

from app.forms import Form
from app.intake.models import PLANNED, STATUS_LABELS, WAITING


class IntakeSetupForm(Form):
    is_open = BooleanField(_l("The interest page is open"))
    introduction = TextAreaField(_l("Introduction (Markdown)"))
    rhythm = StringField(_l("Rhythm"))
    questions = TextAreaField(_l("Your questions (one per line)"))
    decline_message = TextAreaField(_l("Kind message to someone who is not admitted"))


class StatusForm(Form):
    status = SelectField(_l("Status"), validate_choice=False,
                         choices=lambda: [(s, STATUS_LABELS[s]) for s in (PLANNED, WAITING)])


class DeclineForm(Form):
    message = TextAreaField(_l("Message to the candidate"), validators=[InputRequired()])


class RegistrationForm(Form):
    name = StringField(_l("Name or nickname"), validators=[InputRequired()])
    email = EmailField(_l("Email address"), validators=[InputRequired()])
    # The honeypot: hidden from people (and from screen readers), filled in by robots.
    website = StringField(_l("Leave this field empty"))

    def answers(self) -> list[str]:
        return [field.data or "" for field in self if field.name.startswith("answer_")]


def registration_form(questions: list[str], **kwargs) -> RegistrationForm:
    """The public form with a text field per question, labelled with the question itself."""
    fields = {f"answer_{n}": TextAreaField(question) for n, question in enumerate(questions)}
    return type("QuestionsForm", (RegistrationForm,), fields)(**kwargs)
