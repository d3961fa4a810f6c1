"""The only SMTP code: claims outbox rows atomically, sends them, and records the outcome
(sent, retry later with exponential backoff, or dead-letter with the reason)."""
from __future__ import annotations

import email.policy
import email.utils
import smtplib
import socket
import ssl
import uuid
from datetime import timedelta
from email.message import EmailMessage
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import and_, or_, select, update

from app.database import transactional, utcnow
from app.email_address import is_valid_email
from app.extensions import db
from app.notify.models import DEAD, PENDING, SENDING, SENT, OutboxMessage

MAX_ATTEMPTS = 8
BATCH = 50
LEASE = timedelta(minutes=5)


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … capped at 6 hours (the exponent is capped first, so any
    attempt count is safe)."""
    return timedelta(seconds=min(30 * 2 ** min(max(0, attempts - 1), 20), 6 * 3600))


def _claimable(now):
    return or_(
        and_(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now),
        # A worker that died mid-batch leaves rows in "sending"; once its lease ran out,
        # another worker takes them over.
        and_(OutboxMessage.status == SENDING, OutboxMessage.lease_until < now),
    )


@transactional
def claim(worker: str, now=None, limit: int = BATCH) -> list[tuple[int, str, EmailMessage]]:
    """Atomically take up to `limit` due messages for this worker. Several workers may run at
    once: on PostgreSQL rows are locked with FOR UPDATE SKIP LOCKED, on SQLite the single
    UPDATE is atomic because SQLite serialises writers."""
    now = now or utcnow()
    pick = select(OutboxMessage.id).where(_claimable(now)).order_by(OutboxMessage.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        ids = list(db.session.scalars(pick.with_for_update(skip_locked=True)))
        if not ids:
            return []
        condition = OutboxMessage.id.in_(ids)
    else:
        condition = and_(OutboxMessage.id.in_(pick.scalar_subquery()), _claimable(now))
    db.session.execute(update(OutboxMessage).where(condition).values(
        status=SENDING, claimed_by=worker, lease_until=now + LEASE))
    claimed = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.claimed_by == worker, OutboxMessage.status == SENDING)
        .order_by(OutboxMessage.id))
    batch = []
    for message in claimed:
        try:
            batch.append((message.id, message.to_addr, build(message)))
        except Exception as exc:  # one unbuildable row must not block the queue behind it
            message.status, message.claimed_by, message.lease_until = DEAD, "", None
            message.attempts += 1
            message.last_error = f"cannot build the message: {type(exc).__name__}: {exc}"[:2000]
    return batch


def build(message: OutboxMessage) -> EmailMessage:
    config = current_app.config
    # A generous line limit keeps long header values such as List-Unsubscribe URLs intact
    # instead of turning them into encoded words that mail clients cannot use.
    mail = EmailMessage(policy=email.policy.SMTP.clone(max_line_length=998))
    mail["From"] = config["MAIL_FROM"]
    mail["To"] = message.to_addr
    mail["Subject"] = message.subject
    mail["Date"] = email.utils.formatdate(localtime=False)
    mail["Message-ID"] = email.utils.make_msgid(domain=urlsplit(config["BASE_URL"]).hostname)
    mail["Auto-Submitted"] = "auto-generated"
    for line in message.headers.splitlines():
        name, _, value = line.partition(":")
        if name.strip() and value.strip():
            mail[name.strip()] = value.strip()
    mail.set_content(message.body_text)
    mail.add_alternative(message.body_html, subtype="html")
    return mail


def _connect() -> smtplib.SMTP:
    config = current_app.config
    host, port = config["SMTP_HOST"], int(config["SMTP_PORT"])
    if config["SMTP_SECURITY"] == "ssl":
        smtp = smtplib.SMTP_SSL(host, port, timeout=20, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=20)
        if config["SMTP_SECURITY"] == "starttls":
            smtp.starttls(context=ssl.create_default_context())
    if config["SMTP_USERNAME"]:
        smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
    return smtp


@transactional
def _record(message_id: int, worker: str, *, sent: bool = False, error: str = "",
            permanent: bool = False) -> None:
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.claimed_by != worker or message.status != SENDING:
        return  # our lease ran out and another worker took the row over
    now = utcnow()
    message.claimed_by, message.lease_until = "", None
    if sent:
        message.status, message.sent_at, message.last_error = SENT, now, ""
        # Sent mail keeps only its envelope: the bodies held single-use links.
        message.body_text = message.body_html = message.headers = ""
        return
    message.attempts += 1
    message.last_error = error[:2000]
    if permanent or message.attempts >= MAX_ATTEMPTS:
        message.status = DEAD
    else:
        message.status = PENDING
        message.next_attempt_at = now + backoff(message.attempts)


def deliver(now=None, worker: str | None = None) -> dict[str, int]:
    """Send one batch of due mail. Returns counts per outcome."""
    worker = worker or f"{socket.gethostname()}:{uuid.uuid4().hex[:12]}"
    batch = claim(worker, now)
    outcome = {"sent": 0, "retry": 0, "dead": 0}
    smtp = None
    try:
        for index, (message_id, to_addr, mail) in enumerate(batch):
            if not is_valid_email(to_addr):
                _record(message_id, worker, error=f"malformed address: {to_addr!r}", permanent=True)
                outcome["dead"] += 1
                continue
            try:
                smtp = smtp or _connect()
                smtp.send_message(mail)
            except smtplib.SMTPRecipientsRefused as exc:
                codes = [code for code, _msg in exc.recipients.values()]
                permanent = all(500 <= code < 600 for code in codes)
                _record(message_id, worker, error=f"recipient refused: {exc.recipients}",
                        permanent=permanent)
                outcome["dead" if permanent else "retry"] += 1
            except smtplib.SMTPResponseException as exc:
                permanent = 500 <= exc.smtp_code < 600
                _record(message_id, worker, error=f"{exc.smtp_code} {exc.smtp_error!r}",
                        permanent=permanent)
                outcome["dead" if permanent else "retry"] += 1
            except (OSError, smtplib.SMTPException) as exc:
                # The server is unreachable or went away: this and the rest wait for later.
                for later_id, _to, _mail in batch[index:]:
                    _record(later_id, worker, error=f"{type(exc).__name__}: {exc}")
                    outcome["retry"] += 1
                break
            else:
                _record(message_id, worker, sent=True)
                outcome["sent"] += 1
    finally:
        _quit(smtp)
    return outcome


def _quit(smtp):
    if smtp is not None:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return None
