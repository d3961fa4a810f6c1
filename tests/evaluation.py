"""Helpers for the evaluation tests: a group with every role, sending through the service,
answering over HTTP, and the stored answers."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.evaluation import service as evaluation
from app.evaluation.models import Answer, Question, Recipient
from app.extensions import db
from tests.conftest import csrf_token, login


@pytest.fixture
def group(world):
    """A space with its facilitator, a co-facilitator, a moderator and three members."""
    slug, lead = world.space()
    people = {"lead": lead,
              "co": world.member(slug, lead, role="cofacilitator", name="Co Begeleider"),
              "mod": world.member(slug, lead, role="moderator", name="Moderator Mo"),
              "anna": world.member(slug, lead, name="Anna"),
              "bram": world.member(slug, lead, name="Bram"),
              "cees": world.member(slug, lead, name="Cees")}
    return slug, people


def send(world, slug, by, *, to=0, title="Terugblik", open_questions="Wat heeft de groep je gegeven?",
         scale_questions="Ik voelde me veilig in de groep.") -> int:
    with world.ctx():
        to_id = to if isinstance(to, int) else to.membership_id
        return evaluation.send_questionnaire(
            world.actor(by.user_id), world.space_obj(slug), title=title, intro="Dank je wel.",
            open_questions=open_questions, scale_questions=scale_questions, to=to_id).id


def questions(app, questionnaire_id) -> list[tuple[int, str]]:
    with app.app_context():
        return [(q.id, q.kind) for q in db.session.scalars(select(Question).where(
            Question.questionnaire_id == questionnaire_id).order_by(Question.position))]


def answer(client, person, slug, questionnaire_id, values: dict) -> object:
    """values: position (0-based) → value; the field names come from the questionnaire."""
    login(client, person)
    path = f"/s/{slug}/evaluations/{questionnaire_id}"
    ids = questions(client.application, questionnaire_id)
    data = {"csrf_token": csrf_token(client, "/")}
    data.update({f"q{ids[i][0]}": v for i, v in values.items()})
    return client.post(path, data=data)


def answers_of(app, questionnaire_id) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            select(Recipient.membership_id, Answer.text, Answer.score)
            .join(Answer, Answer.recipient_id == Recipient.id)
            .where(Recipient.questionnaire_id == questionnaire_id)
            .order_by(Answer.id)).all()
