"""The facilitators' set-up of a space's interest page: open or closed, the introduction
(Markdown), the rhythm, their questions, the default decline message, and a new address."""
from __future__ import annotations

import secrets

from flask_babel import gettext as _
from sqlalchemy import select

from app import policy
from app.database import transactional, utcnow
from app.errors import ServiceError, require
from app.extensions import db
from app.intake.models import (
    INTRODUCTION_MAX, MESSAGE_MAX, QUESTION_MAX, QUESTIONS_MAX, RHYTHM_MAX, IntakePage,
)
from app.policy import Actor
from app.text import clean_line, clean_text, render_or_refuse


def new_public_key() -> str:
    """The page's address: random and unguessable, so a closed group is not found by trying."""
    return secrets.token_urlsafe(18)


def page_of(space) -> IntakePage | None:
    return db.session.scalar(select(IntakePage).where(IntakePage.space_id == space.id))


def blank_page(space) -> IntakePage:
    """An unsaved, closed page: what the set-up form starts from."""
    return IntakePage(space_id=space.id, is_open=False, public_key="", introduction="",
                      introduction_html="", rhythm="", questions="", decline_message="")


def _clean_questions(text: str) -> str:
    questions = [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]
    if len(questions) > QUESTIONS_MAX:
        raise ServiceError(_("Ask at most %(n)d questions (now %(m)d).", n=QUESTIONS_MAX,
                             m=len(questions)), "questions")
    for question in questions:
        if len(question) > QUESTION_MAX:
            raise ServiceError(_("A question can be at most %(n)d characters.", n=QUESTION_MAX),
                               "questions")
    return "\n".join(questions)


@transactional
def save_intake_page(actor: Actor, space, *, is_open: bool, introduction: str, rhythm: str,
                     questions: str, decline_message: str) -> IntakePage:
    require(policy.can_manage_intake(actor, space))
    introduction = clean_text(introduction or "", "introduction", INTRODUCTION_MAX)
    if is_open and not introduction:
        raise ServiceError(_("Write an introduction before you open the page: it is all a "
                             "visitor learns about the group."), "introduction")
    html = render_or_refuse(introduction, "introduction")
    rhythm = clean_line(rhythm or "", "rhythm", RHYTHM_MAX)
    questions = _clean_questions(questions)
    decline_message = clean_text(decline_message or "", "decline_message", MESSAGE_MAX)
    page = page_of(space)
    if page is None:
        page = IntakePage(space_id=space.id, public_key=new_public_key())
        db.session.add(page)
    page.is_open, page.introduction, page.introduction_html = is_open, introduction, html
    page.rhythm, page.questions, page.decline_message = rhythm, questions, decline_message
    page.updated_at = utcnow()
    db.session.flush()
    return page


@transactional
def renew_public_key(actor: Actor, space) -> IntakePage:
    """A new address for the page: the old link stops working (it was shared too widely)."""
    require(policy.can_manage_intake(actor, space))
    page = page_of(space)
    if page is None:
        raise ServiceError(_("Save the page first."))
    page.public_key = new_public_key()
    page.updated_at = utcnow()
    return page
