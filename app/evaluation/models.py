"""Questionnaire rows: the questionnaire as sent (its questions fixed from then on), one row
per member it was sent to (with the moment they answered) and their answers."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, utcnow
from app.extensions import db

OPEN_QUESTION = "open"
SCALE_QUESTION = "scale"  # a statement answered on a scale of 1 to 5
QUESTION_KINDS = (OPEN_QUESTION, SCALE_QUESTION)
SCALE = (1, 2, 3, 4, 5)

TITLE_MAX = 200
INTRO_MAX = 2_000
PROMPT_MAX = 300
ANSWER_MAX = 5_000
QUESTIONS_MAX = 20
# An anonymous summary is shown only from this many answers on, so no answer can be traced
# back to one person.
SUMMARY_MINIMUM = 3


class Questionnaire(db.Model):
    __tablename__ = "questionnaires"
    __table_args__ = ({"sqlite_autoincrement": True},)  # ids in links are never reused

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    intro: Mapped[str] = mapped_column(Text, default="")
    # None: sent to the whole group; otherwise the one member it is for.
    for_membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL"))
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Question(db.Model):
    __tablename__ = "questionnaire_questions"
    __table_args__ = (UniqueConstraint("questionnaire_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))
    prompt: Mapped[str] = mapped_column(String(PROMPT_MAX))


class Recipient(db.Model):
    """A member a questionnaire was sent to; `answered_at` is set once, when they answer."""

    __tablename__ = "questionnaire_recipients"
    __table_args__ = (UniqueConstraint("questionnaire_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    questionnaire_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaires.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Answer(db.Model):
    __tablename__ = "questionnaire_answers"
    __table_args__ = (UniqueConstraint("recipient_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_recipients.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questionnaire_questions.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    score: Mapped[int | None]
