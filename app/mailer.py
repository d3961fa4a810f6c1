"""The only SMTP code: claims outbox rows one at a time (each under its own lease), hands them
to the configured backend (SMTP, the console or a folder of .eml files) and records the
outcome: sent, retry later with exponential backoff, or dead-letter with the reason."""
from __future__ import annotations

import email.policy
import email.utils
import logging
import smtplib
import socket
import ssl
import sys
import threading
import time
import uuid
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import and_, or_, select, update

from app.database import transactional, utcnow
from app.email_address import is_valid_email
from app.extensions import db
from app.notify.outbox import DEAD, PENDING, SENDING, SENT, OutboxMessage, render

log = logging.getLogger("kring.mail")

MAX_ATTEMPTS = 8
BATCH = 50  # messages per round at most; each is claimed on its own
BACKENDS = ("smtp", "console", "folder")
_console_lock = threading.Lock()


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … capped at 6 hours (the exponent is capped first, so any
    attempt count is safe)."""
    return timedelta(seconds=min(30 * 2 ** min(max(0, attempts - 1), 20), 6 * 3600))


def lease() -> timedelta:
    """How long one claimed message belongs to its worker: far longer than one send takes
    (SMTP operations time out after 20 s), short enough that a killed worker delays little."""
    return timedelta(seconds=float(current_app.config["MAIL_LEASE_SECONDS"]))


def _claimable(now):
    return or_(
        and_(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now),
        # A worker that died while sending leaves its row in "sending"; once the lease ran
        # out, another worker takes it over.
        and_(OutboxMessage.status == SENDING, OutboxMessage.lease_until < now),
    )


@transactional
def claim(worker: str, now=None) -> OutboxMessage | None:
    """Atomically take the next due message for this worker, or None. Several workers may
    run at once: on PostgreSQL the row is locked with FOR UPDATE SKIP LOCKED, on SQLite the
    single UPDATE is atomic because SQLite serialises writers. Nothing is rendered here:
    that waits until the claim is committed."""
    now = now or utcnow()
    pick = select(OutboxMessage.id).where(_claimable(now)).order_by(OutboxMessage.id).limit(1)
    if db.session.get_bind().dialect.name == "postgresql":
        picked = db.session.scalar(pick.with_for_update(skip_locked=True))
        if picked is None:
            return None
        condition = OutboxMessage.id == picked
    else:
        condition = and_(OutboxMessage.id == pick.scalar_subquery(), _claimable(now))
    claimed = db.session.scalar(
        update(OutboxMessage).where(condition)
        .values(status=SENDING, claimed_by=worker, lease_until=now + lease())
        .returning(OutboxMessage.id).execution_options(synchronize_session=False))
    return None if claimed is None else db.session.get(OutboxMessage, claimed, populate_existing=True)


def message_id(message: OutboxMessage) -> str:
    """Stable per outbox row, so a resend after a crash is recognisable as the same mail."""
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "kring.invalid"
    return f"<outbox-{message.id}.{message.created_at:%Y%m%d%H%M%S}@{host}>"


def build(message: OutboxMessage) -> EmailMessage:
    """The email of a claimed row, its templates rendered now (see outbox.render)."""
    config = current_app.config
    subject, text, html = render(message)
    # A generous line limit keeps long header values such as List-Unsubscribe URLs intact
    # instead of turning them into encoded words that mail clients cannot use.
    mail = EmailMessage(policy=email.policy.SMTP.clone(max_line_length=998))
    mail["From"] = config["MAIL_FROM"]
    mail["To"] = message.to_addr
    mail["Subject"] = subject
    mail["Date"] = email.utils.formatdate(localtime=False)
    mail["Message-ID"] = message_id(message)
    mail["Auto-Submitted"] = "auto-generated"
    for line in message.headers.splitlines():
        name, _, value = line.partition(":")
        if name.strip() and value.strip():
            mail[name.strip()] = value.strip()
    mail.set_content(text)
    mail.add_alternative(html, subtype="html")
    return mail


# --- backends ---------------------------------------------------------------------------------

def describe_backend(config) -> str:
    """One line saying where mail goes, printed when a worker starts."""
    backend = config["MAIL_BACKEND"]
    if backend == "console":
        return "Mail is printed on this console (KRING_MAIL_BACKEND=console); nothing is sent."
    if backend == "folder":
        return (f"Mail is written to {mail_folder(config)}/*.eml (KRING_MAIL_BACKEND=folder); "
                "nothing is sent.")
    if backend == "smtp":
        return f"Mail is sent over SMTP to {config['SMTP_HOST']}:{config['SMTP_PORT']}."
    raise ValueError(f"KRING_MAIL_BACKEND must be one of {', '.join(BACKENDS)}, not {backend!r}.")


def mail_folder(config) -> Path:
    return Path(config["MAIL_FOLDER"] or Path(current_app.instance_path) / "mail")


class _Smtp:
    down = False

    def __init__(self):
        self.smtp = None

    def send(self, mail: EmailMessage) -> None:
        self.smtp = self.smtp or _connect()
        self.smtp.send_message(mail)

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass


class _Console:
    down = False

    def send(self, mail: EmailMessage) -> None:
        text = mail.get_body(preferencelist=("plain",)).get_content()
        head = "".join(f"{name}: {mail[name]}\n" for name in ("To", "Subject", "Message-ID"))
        with _console_lock:
            sys.stdout.write(f"----- mail (not sent: console backend) -----\n{head}\n"
                             f"{text.rstrip()}\n----- end of mail -----\n")
            sys.stdout.flush()

    def close(self) -> None:
        pass


class _Folder:
    down = False

    def __init__(self):
        self.folder = mail_folder(current_app.config)

    def send(self, mail: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%d-%H%M%S")
        name = mail["Message-ID"].strip("<>").split("@")[0]
        (self.folder / f"{stamp}-{name}.eml").write_bytes(mail.as_bytes())

    def close(self) -> None:
        pass


def _backend():
    describe_backend(current_app.config)  # refuses an unknown backend by name
    return {"smtp": _Smtp, "console": _Console, "folder": _Folder}[current_app.config["MAIL_BACKEND"]]()


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


# --- recording the outcome --------------------------------------------------------------------

@transactional
def _renew(message_id_: int, worker: str, now) -> bool:
    """Extend our lease before a send that comes late; False when the row is no longer ours."""
    return db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id_,
                                    OutboxMessage.claimed_by == worker,
                                    OutboxMessage.status == SENDING)
        .values(lease_until=now + lease())).rowcount == 1


@transactional
def _record(message_id_: int, worker: str, *, sent: str | None = None, error: str = "",
            permanent: bool = False) -> None:
    """The outcome of one claimed row; `sent` is the subject of a mail that went out."""
    message = db.session.get(OutboxMessage, message_id_, populate_existing=True)
    if message is None or message.claimed_by != worker or message.status != SENDING:
        return  # our lease ran out and another worker took the row over (or it was dropped)
    now = utcnow()
    message.claimed_by, message.lease_until = "", None
    if sent is not None:
        message.status, message.sent_at, message.last_error = SENT, now, ""
        # Sent mail keeps only its envelope and subject: the context and any rendered bodies
        # held single-use links.
        message.subject, message.context, message.headers = sent[:200], None, ""
        message.body_text = message.body_html = None
        return
    message.attempts += 1
    message.last_error = error[:2000]
    if permanent or message.attempts >= MAX_ATTEMPTS:
        message.status = DEAD
        log.warning("mail #%d (%s) dead-lettered after %d attempt(s): %s", message.id,
                    message.kind or "mail", message.attempts, message.last_error)
    else:
        message.status = PENDING
        message.next_attempt_at = now + backoff(message.attempts)
        log.warning("mail #%d (%s) not delivered, attempt %d, retry after %s: %s", message.id,
                    message.kind or "mail", message.attempts,
                    f"{message.next_attempt_at:%Y-%m-%d %H:%M:%S} UTC", message.last_error)


def deliver(now=None, worker: str | None = None, limit: int = BATCH) -> dict[str, int]:
    """Send up to `limit` due messages, claiming each just before it is sent, so a slow
    server never lets a lease run out on mail still waiting in this worker. Returns counts
    per outcome."""
    worker = worker or f"{socket.gethostname()}:{uuid.uuid4().hex[:12]}"
    outcome = {"sent": 0, "retry": 0, "dead": 0}
    backend = _backend()
    try:
        for _ in range(limit):
            message = claim(worker, now)
            if message is None:
                break
            claimed_at = time.monotonic()
            if not is_valid_email(message.to_addr):
                _record(message.id, worker, error=f"malformed address: {message.to_addr!r}",
                        permanent=True)
                outcome["dead"] += 1
                continue
            try:
                mail = build(message)
            except Exception as exc:  # one unbuildable row must not block the queue behind it
                _record(message.id, worker, permanent=True,
                        error=f"cannot build the message: {type(exc).__name__}: {exc}")
                outcome["dead"] += 1
                continue
            result = _send(backend, message.id, worker, mail, now, claimed_at)
            if result is None:
                continue  # no longer ours
            outcome[result] += 1
            if backend.down:
                break  # the server is unreachable: the rest waits for the next round
    finally:
        backend.close()
    return outcome


def _send(backend, message_id_: int, worker: str, mail: EmailMessage, now, claimed_at) -> str | None:
    """Send one claimed message and record the outcome: "sent", "retry", "dead", or None
    when the lease was lost before sending (another worker has the row)."""
    try:
        if isinstance(backend, _Smtp) and backend.smtp is None:
            backend.smtp = _connect()
        # Connecting may have been slow: send only while the row is still ours.
        if time.monotonic() - claimed_at > lease().total_seconds() / 3 and \
                not _renew(message_id_, worker, now or utcnow()):
            return None
        backend.send(mail)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _msg in exc.recipients.values()]
        permanent = all(500 <= code < 600 for code in codes)
        _record(message_id_, worker, error=f"recipient refused: {exc.recipients}", permanent=permanent)
        return "dead" if permanent else "retry"
    except smtplib.SMTPResponseException as exc:
        permanent = 500 <= exc.smtp_code < 600
        _record(message_id_, worker, error=f"{exc.smtp_code} {exc.smtp_error!r}", permanent=permanent)
        return "dead" if permanent else "retry"
    except (OSError, smtplib.SMTPException) as exc:
        # The server is unreachable or went away (or the folder is not writable).
        backend.down = True
        _record(message_id_, worker, error=f"{type(exc).__name__}: {exc}")
        return "retry"
    _record(message_id_, worker, sent=str(mail["Subject"]))
    return "sent"
