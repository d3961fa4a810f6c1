"""Evaluation use cases: a facilitator sends a questionnaire to one member or to the whole
group (who are told, content-free); a member answers it once."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import insert, select, update

from app import policy
from app.database import transactional, utcnow
from app.errors import ServiceError, require
from app.evaluation.models import (
    ANSWER_MAX, INTRO_MAX, OPEN_QUESTION, PROMPT_MAX, QUESTIONS_MAX, SCALE, SCALE_QUESTION,
    TITLE_MAX, Answer, Question, Questionnaire, Recipient,
)
from app.extensions import db
from app.notify.kinds import EVALUATION
from app.notify.service import notify
from app.policy import Actor
from app.spaces.models import MEMBER, MODERATOR, Membership, Space
from app.text import clean_line, clean_text

# Who answers an evaluation: the participants, not the group's leads.
PARTICIPANTS = (MEMBER, MODERATOR)
WHOLE_GROUP = 0  # the recipient choice meaning "everyone in the group"


def _prompts(text: str, field: str) -> list[str]:
    """One question per line; empty lines are skipped."""
    prompts = [" ".join(line.split()) for line in text.splitlines()]
    prompts = [p for p in prompts if p]
    for prompt in prompts:
        if len(prompt) > PROMPT_MAX:
            raise ServiceError(_("A question can be at most %(n)d characters.", n=PROMPT_MAX),
                               field)
    return prompts


def _recipients(actor: Actor, space: Space, to: int) -> list[Membership]:
    participants = select(Membership).where(
        Membership.space_id == space.id, Membership.usable_at(actor.now),
        Membership.role.in_(PARTICIPANTS))
    if to != WHOLE_GROUP:
        participants = participants.where(Membership.id == to)
    found = list(db.session.scalars(participants.order_by(Membership.id)))
    if not found:
        raise ServiceError(_("Choose a member of this group.") if to != WHOLE_GROUP else
                           _("There is nobody in the group yet to send it to."), "to")
    return found


@transactional
def send_questionnaire(actor: Actor, space: Space, *, title: str, intro: str,
                       open_questions: str, scale_questions: str, to: int) -> Questionnaire:
    """`to`: a membership id, or WHOLE_GROUP. The questions are fixed once sent."""
    require(policy.can_send_evaluation(actor, space))
    title = clean_line(title, "title", TITLE_MAX, required=True)
    intro = clean_text(intro, "intro", INTRO_MAX)
    questions = [(OPEN_QUESTION, p) for p in _prompts(open_questions, "open_questions")]
    questions += [(SCALE_QUESTION, p) for p in _prompts(scale_questions, "scale_questions")]
    if not questions:
        raise ServiceError(_("Ask at least one question."), "open_questions")
    if len(questions) > QUESTIONS_MAX:
        raise ServiceError(_("Ask at most %(n)d questions.", n=QUESTIONS_MAX), "open_questions")
    recipients = _recipients(actor, space, to)
    questionnaire = Questionnaire(
        space_id=space.id, title=title, intro=intro, sent_at=actor.now,
        for_membership_id=None if to == WHOLE_GROUP else recipients[0].id,
        sent_by_id=actor.membership(space.id).id)
    db.session.add(questionnaire)
    db.session.flush()
    db.session.execute(insert(Question), [
        {"questionnaire_id": questionnaire.id, "position": n, "kind": kind, "prompt": prompt}
        for n, (kind, prompt) in enumerate(questions, start=1)])
    db.session.execute(insert(Recipient), [
        {"space_id": space.id, "questionnaire_id": questionnaire.id, "membership_id": m.id}
        for m in recipients])
    notify(space, recipients, kind=EVALUATION)
    return questionnaire


def _score(value, field: str) -> int | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or int(text) not in SCALE:
        raise ServiceError(_("Choose a number from 1 to 5."), field)
    return int(text)


@transactional
def answer_questionnaire(actor: Actor, recipient: Recipient, *, answers: dict[str, str]) -> None:
    """`answers`: the form's values by field name (q<question id>). Once: a second answer
    (a double submit, a second tab) is refused and changes nothing."""
    require(policy.can_answer_evaluation(actor, recipient))
    # Under the row's lock: of two submits at once, the second sees the first's answer.
    answered = db.session.scalar(
        update(Recipient).where(Recipient.id == recipient.id)
        .values(answered_at=Recipient.answered_at).returning(Recipient.answered_at),
        execution_options={"synchronize_session": False})
    if answered is not None:
        raise ServiceError(_("You have already filled in this questionnaire. Your answers "
                             "stand as you sent them."))
    rows = []
    for question in db.session.scalars(select(Question).where(
            Question.questionnaire_id == recipient.questionnaire_id).order_by(Question.position)):
        field = f"q{question.id}"
        value = answers.get(field) or ""
        if question.kind == SCALE_QUESTION:
            score = _score(value, field)
            if score is not None:
                rows.append({"question_id": question.id, "score": score, "text": ""})
        else:
            text = clean_text(str(value), field, ANSWER_MAX)
            if text:
                rows.append({"question_id": question.id, "score": None, "text": text})
    if not rows:
        raise ServiceError(_("Answer at least one question."))
    db.session.execute(insert(Answer), [{**row, "recipient_id": recipient.id} for row in rows])
    recipient.answered_at = utcnow()
