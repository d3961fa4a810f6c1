"""Intake rows: a space's interest page (off by default) and the registrations made on it.
Answers are kept as JSON until the worker round deletes them after the decision."""
from __future__ import annotations

import json
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, utcnow
from app.extensions import db

# Registration statuses, in the order the facilitators' list shows them.
NEW = "new"
PLANNED = "planned"  # an intake conversation is planned
WAITING = "waiting"  # on the waiting list
ADMITTED = "admitted"  # the invitation went out
DECLINED = "declined"  # a kind message went out
STATUSES = (NEW, PLANNED, WAITING, ADMITTED, DECLINED)
STATUS_LABELS = {
    NEW: _l("New"),
    PLANNED: _l("Intake planned"),
    WAITING: _l("Waiting list"),
    ADMITTED: _l("Admitted"),
    DECLINED: _l("Declined"),
}
# A decision ends the intake: from then on the answers are kept only for a while
# (INTAKE_ANSWER_DAYS). The waiting list is not a decision yet: the person still waits.
DECIDED = frozenset({ADMITTED, DECLINED})
# The statuses a facilitator can move a registration to from each open status.
NEXT = {NEW: (PLANNED, WAITING, ADMITTED, DECLINED),
        PLANNED: (WAITING, ADMITTED, DECLINED),
        WAITING: (PLANNED, ADMITTED, DECLINED)}

NAME_MAX = 60
ANSWER_MAX = 2000
QUESTIONS_MAX = 8
QUESTION_MAX = 300
RHYTHM_MAX = 300
INTRODUCTION_MAX = 5000
MESSAGE_MAX = 3000


class IntakePage(db.Model):
    """A space's public interest page: closed until a facilitator opens it. The public key is
    the page's address; it is random, and a facilitator can replace it."""

    __tablename__ = "intake_pages"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"),
                                          unique=True)
    is_open: Mapped[bool] = mapped_column(Boolean, default=False)
    public_key: Mapped[str] = mapped_column(String(64), unique=True)
    introduction: Mapped[str] = mapped_column(Text, default="")
    introduction_html: Mapped[str] = mapped_column(Text, default="")
    rhythm: Mapped[str] = mapped_column(String(RHYTHM_MAX), default="")
    # The facilitator's questions, one per line.
    questions: Mapped[str] = mapped_column(Text, default="")
    # The facilitator's own wording of the kind message to someone not admitted (empty: the
    # built-in text); each decline can still change it.
    decline_message: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def question_list(self) -> list[str]:
        return [line for line in (self.questions or "").splitlines() if line.strip()]


class Registration(db.Model):
    """Someone who registered on an interest page. It counts (and the facilitators see it)
    only once the email address is confirmed; unconfirmed ones expire and are deleted."""

    __tablename__ = "registrations"
    __table_args__ = (Index("ix_registrations_space_email", "space_id", "email"),
                      {"sqlite_autoincrement": True})  # ids in links are never reused

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"),
                                          index=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    email: Mapped[str] = mapped_column(String(254))
    # JSON: [[question, answer], ...] as asked when the person registered; None once deleted.
    answers: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default=NEW)
    # The SHA-256 of the confirmation link's token, until it is used.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the confirmation mail last went out, and until when its link works.
    mailed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirm_by: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answers_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="SET NULL"))

    @property
    def answer_pairs(self) -> list[tuple[str, str]]:
        return [tuple(pair) for pair in json.loads(self.answers)] if self.answers else []
