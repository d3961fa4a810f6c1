"""The outbox: what to mail, written in the same transaction as the change that causes it;
app/mailer.py renders and sends it later. `enqueue()` is the one way in."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, event, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.database import UTCDateTime, transactional, utcnow
from app.extensions import db

# Outbox states.
PENDING = "pending"
SENDING = "sending"
SENT = "sent"
DEAD = "dead"

_QUEUE = "kring_outbox"  # key in Session.info: mail waiting for the commit


class OutboxMessage(db.Model):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next", "status", "next_attempt_at"),
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    # The template to render, templates/email/<kind>.*: also what the CLI lists.
    kind: Mapped[str] = mapped_column(String(30), default="")
    to_addr: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(10), default="nl")
    # The template's small, content-free context as JSON. Its links are single-use, so it is
    # blanked once the mail is sent.
    context: Mapped[str | None] = mapped_column(Text)
    # Filled when sent (the CLI may list it). Rows queued before 0007 carry their rendered
    # bodies, which are sent as they are; new rows leave the bodies empty.
    subject: Mapped[str | None] = mapped_column(String(200))
    body_text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    # Extra headers as "Name: value" lines (List-Unsubscribe and friends).
    headers: Mapped[str] = mapped_column(Text, default="")
    # A direct mail about one notification goes when the notification goes (deleted post).
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE"), index=True)
    # The invitation an invitation mail carries, so its sender can see how the mail stands.
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A worker that claims a row owns it until the lease ends; a worker that dies lets the
    # lease run out and another worker takes the row over.
    claimed_by: Mapped[str] = mapped_column(String(64), default="")
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")


@dataclass
class Mail:
    """One email to queue: templates/email/<template>.{subject.txt,txt,html}, rendered by the
    mailer with `context` in the recipient's language when it sends. Callers pass no post
    text, titles written by members or member names: emails must reveal nothing."""

    to: str
    template: str
    locale: str = "nl"
    headers: str = ""
    context: dict = field(default_factory=dict)
    notification_id: int | None = None
    invitation_id: int | None = None

    def row(self) -> dict:
        """The outbox row's fields. Only JSON is made here (lazy texts become plain text in
        the locale of the moment); no template is rendered."""
        return {"kind": self.template, "to_addr": self.to, "locale": self.locale,
                "context": json.dumps(self.context, default=str, ensure_ascii=False),
                "headers": self.headers, "notification_id": self.notification_id,
                "invitation_id": self.invitation_id}


def render(message: OutboxMessage) -> tuple[str, str, str]:
    """Subject, text and HTML of a queued row, in the recipient's language. The mailer calls
    this when it sends, outside any use case's transaction; a row queued before the outbox
    kept its context (migration 0007) still has its rendered bodies."""
    if message.body_text is not None and message.context is None:
        return message.subject or "", message.body_text, message.body_html or ""
    context = json.loads(message.context or "{}")
    with force_locale(message.locale or "nl"):
        subject = render_template(f"email/{message.kind}.subject.txt", **context)
        text = render_template(f"email/{message.kind}.txt", **context)
        html = render_template(f"email/{message.kind}.html", **context)
    return " ".join(subject.split())[:200], text, html


def enqueue(*mails: Mail) -> None:
    """Queue mail inside the caller's transaction. The rows are inserted (one INSERT for all)
    when that transaction commits, after the use case's own work; no template is rendered
    while its locks are held (the mailer renders when it sends). A rollback sends nothing."""
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback, too, has a transaction end that drops the mail
    session.info.setdefault(_QUEUE, []).extend(mails)


def discard_queued_mail() -> int:
    """Drop the mail the current transaction has queued so far (seeding a demo history is
    not news to anyone). Returns how many mails were dropped."""
    return len(db.session.info.pop(_QUEUE, None) or [])


@event.listens_for(Session, "before_commit")
def _insert_queued_mail(session: Session) -> None:
    mails = session.info.pop(_QUEUE, None)
    if mails:
        now = utcnow()
        rows = [{**mail.row(), "status": PENDING, "attempts": 0, "created_at": now,
                 "next_attempt_at": now, "claimed_by": "", "last_error": ""} for mail in mails]
        # The table's INSERT: the ORM's bulk insert cost three times as much (issue 12).
        session.execute(insert(OutboxMessage.__table__), rows)


@event.listens_for(Session, "after_transaction_end")
def _forget_queued_mail(session: Session, transaction) -> None:
    if transaction.parent is None:  # rolled back or closed: that mail is not to be sent
        session.info.pop(_QUEUE, None)


# --- reading and managing the queue -----------------------------------------------------------

def pending_mail(include_dead: bool = False) -> list[OutboxMessage]:
    states = [PENDING, SENDING, DEAD] if include_dead else [PENDING, SENDING]
    return list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status.in_(states)).order_by(OutboxMessage.id)))


@transactional
def retry_dead_mail() -> int:
    """Give dead-lettered messages a fresh start (after fixing the mail server, say)."""
    return db.session.execute(
        update(OutboxMessage).where(OutboxMessage.status == DEAD)
        .values(status=PENDING, attempts=0, next_attempt_at=utcnow(), last_error="")).rowcount


# --- how an invitation's mail stands ------------------------------------------------------------

QUEUED, FAILED = "queued", "failed"
MAIL_STATES = {QUEUED: _l("queued"), SENT: _l("sent"), FAILED: _l("failed")}
_STATE_OF = {PENDING: QUEUED, SENDING: QUEUED, SENT: SENT, DEAD: FAILED}


def invitation_mail_states(invitation_ids) -> dict[int, str]:
    """For each invitation, how its newest mail stands: "queued" (waiting or being retried),
    "sent" (the mail server accepted it) or "failed" (dead-lettered: the address needs a
    look). Invitations without mail are left out. One query for any number."""
    ids = list(invitation_ids)
    if not ids:
        return {}
    newest = select(OutboxMessage.invitation_id, OutboxMessage.status).where(
        OutboxMessage.invitation_id.in_(ids)).order_by(OutboxMessage.id)
    return {invitation_id: _STATE_OF[status]
            for invitation_id, status in db.session.execute(newest)}


def invitation_mail_state(invitation) -> str | None:
    """How the mail of one invitation stands (see invitation_mail_states), or None."""
    return invitation_mail_states([invitation.id]).get(invitation.id)
