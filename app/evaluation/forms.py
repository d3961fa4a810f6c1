"""Evaluation forms: shape and CSRF only; the service checks the questions, the recipient
and every answer, and says what is wrong at the field."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired

from app.evaluation.models import SCALE, SCALE_QUESTION
from app.forms import Form


class SendForm(Form):
    title = StringField(_l("Title"), validators=[InputRequired()])
    intro = TextAreaField(_l("Introduction"))
    open_questions = TextAreaField(_l("Open questions (one per line)"))
    scale_questions = TextAreaField(_l("Statements answered from 1 to 5 (one per line)"))
    # Choices are set by the view; the service refuses anyone who is not a participant.
    to = SelectField(_l("Send to"), validate_choice=False)


def answer_form(questions, formdata=None):
    """A form with one field per question, named q<question id>."""

    class AnswerForm(Form):
        pass

    for question in questions:
        if question.kind == SCALE_QUESTION:
            field = RadioField(question.prompt, choices=[(str(n), str(n)) for n in SCALE],
                               validate_choice=False)
        else:
            field = TextAreaField(question.prompt)
        setattr(AnswerForm, f"q{question.id}", field)
    return AnswerForm(formdata=formdata) if formdata is not None else AnswerForm()
