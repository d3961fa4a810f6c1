"""Rules for evaluation questionnaires and their answers: the facilitators send them and read
the answers; a member answers their own once and sees only their own."""
from __future__ import annotations

from app.policy.core import Actor, _own_id, allowed


def can_view_evaluations(actor: Actor, space) -> bool:
    """The evaluation page: the facilitators' questionnaires, a member's own ones."""
    return allowed(actor, "view_space", space.id)


def can_send_evaluation(actor: Actor, space) -> bool:
    return allowed(actor, "send_evaluation", space.id)


def can_review_evaluations(actor: Actor, space) -> bool:
    """The list of questionnaires sent, with how many answered: the facilitators, also
    after the rental ended (when they can no longer send one)."""
    return allowed(actor, "read_evaluation_answers", space.id)


def can_read_evaluation_answers(actor: Actor, questionnaire) -> bool:
    """Answers (each member's, the summary, the CSV) go to the facilitators only."""
    return allowed(actor, "read_evaluation_answers", questionnaire.space_id)


def is_own_evaluation(actor: Actor, recipient) -> bool:
    """The questionnaire was sent to the actor (only then do they see it at all)."""
    own = _own_id(actor, recipient.space_id)
    return own is not None and own == recipient.membership_id \
        and allowed(actor, "view_space", recipient.space_id)


def can_answer_evaluation(actor: Actor, recipient) -> bool:
    """Their own questionnaire (answered once: the service refuses a second answer at the
    form, since answering twice is a state, not a permission)."""
    return (is_own_evaluation(actor, recipient)
            and allowed(actor, "answer_evaluation", recipient.space_id))
