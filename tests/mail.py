"""A real SMTP server for mail tests (aiosmtpd on 127.0.0.1) and helpers to queue, list and
deliver outbox mail."""
from __future__ import annotations

import asyncio
import email
import email.policy
import re
import threading
from dataclasses import dataclass

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from app.extensions import db
from app.mailer import deliver
from app.notify.outbox import OutboxMessage, render
from tests.pg import free_port

MAIL_FROM = "Kring Test <noreply@kring.test>"
UNSUBSCRIBE = re.compile(r"<http://kring\.test/unsubscribe/([A-Za-z0-9_\-.]+)>")


# --- a real SMTP server -------------------------------------------------------------------------

@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes

    @property
    def message(self):
        return email.message_from_bytes(self.content, policy=email.policy.default)


class Inbox:
    """aiosmtpd handler that keeps every accepted envelope (thread-safe), can refuse
    recipients with a given reply, can hold the n-th DATA command until released, can answer
    the first `fail_data` DATA commands with a temporary error, and can take `delay` seconds
    per message like a slow server. `offered` keeps every message offered, accepted or not."""

    def __init__(self):
        self.lock = threading.Lock()
        self._received: list[Received] = []
        self.refuse: dict[str, str] = {}
        self.block_on: int | None = None
        self.blocked = threading.Event()
        self.release = threading.Event()
        self.data_commands = 0
        self.fail_data = 0
        self.delay = 0.0
        self.offered: list[bytes] = []
        self.port = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.refuse.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.data_commands += 1
            number = self.data_commands
            self.offered.append(bytes(envelope.content))
        if self.delay:
            await asyncio.sleep(self.delay)
        if number <= self.fail_data:
            return "451 4.3.0 try again later"
        if number == self.block_on:
            self.blocked.set()
            while not self.release.is_set():  # never block the server's event loop
                await asyncio.sleep(0.02)
            return "451 4.3.0 not accepted"
        with self.lock:
            self._received.append(Received(envelope.mail_from, list(envelope.rcpt_tos),
                                           bytes(envelope.content)))
        return "250 OK"

    @property
    def received(self) -> list[Received]:
        with self.lock:
            return list(self._received)

    def recipients(self) -> list[str]:
        return [rcpt for env in self.received for rcpt in env.rcpt_tos]

    def to(self, address: str) -> list[Received]:
        return [env for env in self.received if address in env.rcpt_tos]


@pytest.fixture
def inbox():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), ready_timeout=5)
    controller.start()
    handler.port = controller.port
    yield handler
    handler.release.set()
    controller.stop()


def use_smtp(app, port: int) -> None:
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_SECURITY="none",
                      SMTP_USERNAME="", SMTP_PASSWORD="", MAIL_FROM=MAIL_FROM)


@pytest.fixture
def mail_app(app, inbox):
    use_smtp(app, inbox.port)
    return app


# --- helpers ------------------------------------------------------------------------------------

def clear_outbox(app) -> None:
    with app.app_context():
        db.session.execute(OutboxMessage.__table__.delete())
        db.session.commit()


def queue(app, *addresses: str) -> list[int]:
    """Queue one content-free mail per address through the real enqueue(); returns the ids."""
    from app.notify.outbox import Mail, enqueue

    with app.app_context():
        before = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
        enqueue(*(Mail(to=address, template="invitation",
                       context={"link": "http://kring.test/x", "days": 14})
                  for address in addresses))
        db.session.commit()
        ids = list(db.session.scalars(select(OutboxMessage.id).where(OutboxMessage.id > before)
                                      .order_by(OutboxMessage.id)))
        db.session.remove()
        return ids


def rows(app) -> dict[int, dict]:
    with app.app_context():
        found = {m.id: {"to": m.to_addr, "status": m.status, "attempts": m.attempts,
                        "last_error": m.last_error, "next_attempt_at": m.next_attempt_at,
                        "sent_at": m.sent_at, "claimed_by": m.claimed_by,
                        "subject": m.subject, "body_text": m.body_text, "body_html": m.body_html}
                 for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))}
        db.session.remove()
        return found


@dataclass
class Rendered:
    """A queued row with its templates rendered as the mailer renders them when it sends
    (queued rows hold only what to render)."""
    id: int
    to_addr: str
    kind: str
    status: str
    headers: str
    notification_id: int | None
    invitation_id: int | None
    subject: str = ""
    body_text: str = ""
    body_html: str = ""


def rendered(message: OutboxMessage) -> Rendered:
    """Call inside an application context."""
    subject, text, html = render(message)
    return Rendered(message.id, message.to_addr, message.kind, message.status, message.headers,
                    message.notification_id, message.invitation_id, subject, text, html)


def rendered_mail(app, *where) -> list[Rendered]:
    """Every outbox row matching `where`, oldest first, rendered."""
    with app.app_context():
        found = [rendered(m) for m in db.session.scalars(
            select(OutboxMessage).where(*where).order_by(OutboxMessage.id))]
        db.session.remove()
        return found


def run_deliver(app, now=None, worker=None) -> dict[str, int]:
    with app.app_context():
        try:
            return deliver(now=now, worker=worker)
        finally:
            db.session.remove()


def text_part(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def raw_header(content: bytes, name: str) -> str:
    """The header as it went over the wire, unfolded, without any decoding."""
    head = content.split(b"\r\n\r\n", 1)[0].decode("ascii")
    head = re.sub(r"\r\n[ \t]+", " ", head)
    values = [line.split(":", 1)[1].strip() for line in head.split("\r\n")
              if line.lower().startswith(name.lower() + ":")]
    assert len(values) == 1, f"expected one {name} header, found {values}"
    return values[0]
