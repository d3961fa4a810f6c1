"""The demo's evaluation and notes (app/demo_content.toml): the default questionnaire sent to
the whole group, answered by three members, and one facilitator's note, through the real
services."""
from __future__ import annotations

from sqlalchemy import select

from app.evaluation import defaults, service
from app.evaluation.models import Question, Recipient
from app.extensions import db
from app.notes.service import add_note


def seed_care(content: dict, space, actors: dict, members: dict) -> None:
    """`actors`: person key → Actor; `members`: person key → Membership."""
    spec = content.get("evaluation")
    if spec:
        questionnaire = service.send_questionnaire(
            actors["facilitator"], space, title=spec["title"], intro=defaults.default_intro(),
            open_questions="\n".join(defaults.default_open_questions()),
            scale_questions="\n".join(defaults.default_scale_questions()), to=service.WHOLE_GROUP)
        questions = db.session.scalars(select(Question).where(
            Question.questionnaire_id == questionnaire.id).order_by(Question.position)).all()
        for key, given in spec.get("answers", {}).items():
            recipient = db.session.scalar(select(Recipient).where(
                Recipient.questionnaire_id == questionnaire.id,
                Recipient.membership_id == members[key].id))
            values = [*given["open"], *(str(n) for n in given["scale"])]
            service.answer_questionnaire(actors[key], recipient, answers={
                f"q{q.id}": value for q, value in zip(questions, values)})
    for note in content.get("notes", ()):
        add_note(actors[note["author"]], members[note["about"]], body=note["body"])
