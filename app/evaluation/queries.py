"""Reads for evaluation pages: the list (a facilitator's questionnaires with counts, or a
member's own), a member's own questionnaire, and the answers with the anonymous summary for
the facilitators. A fixed number of statements each, whatever the number of answers."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from app import policy
from app.errors import NotFound, require
from app.evaluation.models import (
    SCALE, SCALE_QUESTION, SUMMARY_MINIMUM, Answer, Question, Questionnaire, Recipient,
)
from app.extensions import db
from app.policy import Actor
from app.spaces.models import Membership, Space, shown_name_of


def sent_questionnaires(actor: Actor, space: Space) -> list:
    """(questionnaire, for whom (name or None: the group), sent to, answered), newest first;
    the counts in SQL."""
    require(policy.can_review_evaluations(actor, space))
    sent = func.count(Recipient.id)
    answered = func.count(Recipient.answered_at)
    return list(db.session.execute(
        select(Questionnaire, shown_name_of(Membership), sent, answered)
        .outerjoin(Membership, Membership.id == Questionnaire.for_membership_id)
        .join(Recipient, Recipient.questionnaire_id == Questionnaire.id)
        .where(Questionnaire.space_id == space.id)
        .group_by(Questionnaire.id, Membership.id)
        .order_by(Questionnaire.sent_at.desc(), Questionnaire.id.desc())))


def my_questionnaires(actor: Actor, space: Space) -> list:
    """(questionnaire, my recipient row) of those sent to the actor, newest first."""
    if not policy.can_view_evaluations(actor, space):
        raise NotFound()
    own = actor.membership(space.id)
    return list(db.session.execute(
        select(Questionnaire, Recipient)
        .join(Recipient, Recipient.questionnaire_id == Questionnaire.id)
        .where(Questionnaire.space_id == space.id, Recipient.space_id == space.id,
               Recipient.membership_id == own.id)
        .order_by(Questionnaire.sent_at.desc(), Questionnaire.id.desc())))


def get_questionnaire(space: Space, questionnaire_id: int) -> Questionnaire:
    """The questionnaire in this space; another space's id is a 404."""
    found = db.session.scalar(select(Questionnaire).where(
        Questionnaire.id == questionnaire_id, Questionnaire.space_id == space.id))
    if found is None:
        raise NotFound()
    return found


def questions_of(questionnaire: Questionnaire) -> list[Question]:
    return list(db.session.scalars(select(Question).where(
        Question.questionnaire_id == questionnaire.id).order_by(Question.position)))


@dataclass
class Own:
    """A member's own questionnaire: the questions and, once answered, their answers."""

    questionnaire: Questionnaire
    recipient: Recipient
    questions: list[Question]
    answers: dict[int, Answer] = field(default_factory=dict)  # by question id


def own_questionnaire(actor: Actor, space: Space, questionnaire_id: int) -> Own:
    """Only the member it was sent to sees it: for anyone else (another member, the
    facilitators) it does not exist here (404)."""
    if not policy.can_view_evaluations(actor, space):
        raise NotFound()
    own = actor.membership(space.id)
    row = db.session.execute(
        select(Questionnaire, Recipient)
        .join(Recipient, Recipient.questionnaire_id == Questionnaire.id)
        .where(Questionnaire.id == questionnaire_id, Questionnaire.space_id == space.id,
               Recipient.membership_id == own.id)).first()
    if row is None or not policy.is_own_evaluation(actor, row[1]):
        raise NotFound()
    questionnaire, recipient = row
    result = Own(questionnaire, recipient, questions_of(questionnaire))
    if recipient.answered_at is not None:
        result.answers = {a.question_id: a for a in db.session.scalars(
            select(Answer).where(Answer.recipient_id == recipient.id))}
    return result


@dataclass
class Respondent:
    name: str
    answered_at: object
    answers: dict[int, Answer] = field(default_factory=dict)


@dataclass
class Results:
    questionnaire: Questionnaire
    questions: list[Question]
    respondents: list[Respondent]  # everyone it was sent to, answered first
    answered: int
    # Shown only from SUMMARY_MINIMUM answers on: per scale question the number of each
    # score and the average; per open question the texts, without names, in text order.
    summary: dict | None = None


def results(actor: Actor, space: Space, questionnaire_id: int) -> Results:
    questionnaire = get_questionnaire(space, questionnaire_id)
    require(policy.can_read_evaluation_answers(actor, questionnaire))
    questions = questions_of(questionnaire)
    rows = db.session.execute(
        select(Recipient.id, Recipient.answered_at, shown_name_of(Membership))
        .join(Membership, Membership.id == Recipient.membership_id)
        .where(Recipient.questionnaire_id == questionnaire.id)
        .order_by(Recipient.answered_at.is_(None), Membership.display_name, Recipient.id)).all()
    by_recipient = {rid: Respondent(name, at) for rid, at, name in rows}
    for answer in db.session.scalars(
            select(Answer).join(Recipient, Recipient.id == Answer.recipient_id)
            .where(Recipient.questionnaire_id == questionnaire.id)):
        by_recipient[answer.recipient_id].answers[answer.question_id] = answer
    answered = sum(1 for r in by_recipient.values() if r.answered_at is not None)
    found = Results(questionnaire, questions, list(by_recipient.values()), answered)
    if answered >= SUMMARY_MINIMUM:
        found.summary = _summary(questionnaire, questions, found.respondents)
    return found


def _summary(questionnaire: Questionnaire, questions: list[Question],
             respondents: list[Respondent]) -> dict:
    """The scores counted in SQL (one statement); the texts from the answers loaded above."""
    counts = db.session.execute(
        select(Answer.question_id, Answer.score, func.count())
        .join(Question, Question.id == Answer.question_id)
        .where(Question.questionnaire_id == questionnaire.id, Answer.score.is_not(None))
        .group_by(Answer.question_id, Answer.score)).all()
    summary = {}
    for question in questions:
        if question.kind == SCALE_QUESTION:
            per_score = {n: 0 for n in SCALE}
            per_score.update({score: n for qid, score, n in counts if qid == question.id})
            total = sum(per_score.values())
            summary[question.id] = {
                "counts": per_score, "total": total,
                "average": round(sum(s * n for s, n in per_score.items()) / total, 1)
                if total else None}
        else:
            summary[question.id] = {"texts": sorted(
                r.answers[question.id].text for r in respondents
                if question.id in r.answers and r.answers[question.id].text)}
    return summary


def participants(actor: Actor, space: Space) -> list[tuple[int, str]]:
    """(membership id, name) of those a questionnaire can be sent to, by name."""
    from app.evaluation.service import PARTICIPANTS

    require(policy.can_send_evaluation(actor, space))
    return [tuple(row) for row in db.session.execute(
        select(Membership.id, Membership.display_name).where(
            Membership.space_id == space.id, Membership.usable_at(actor.now),
            Membership.role.in_(PARTICIPANTS)).order_by(Membership.display_name))]
