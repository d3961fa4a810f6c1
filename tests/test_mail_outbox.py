"""The outbox as the rest of Kring uses it: enqueue() inserts what to render at commit
(nothing on rollback, no template rendered in the use case), the worker renders when it sends,
a deleted post takes its pending mail along, and digests go out one recipient at a time from
a due query that loads only what is due."""
from __future__ import annotations

import json
import logging
import re

import pytest
from flask import template_rendered
from sqlalchemy import event, func, select, update

from app.accounts.models import User
from app.extensions import db
from app.notify.models import DigestRun, Notification
from app.notify.outbox import DEAD, SENT, Mail, OutboxMessage, enqueue
from tests.conftest import QueryCounter
from tests.mail import (  # noqa: F401  (inbox and mail_app are fixtures)
    clear_outbox, inbox, mail_app, queue, rows, run_deliver, text_part)
from tests.test_mail_worker import Digests, digest_world, local, post_assignment


def outbox_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxMessage))


class Renders:
    """Which templates were rendered, in order (Flask's template_rendered signal)."""

    def __init__(self, app):
        self.app, self.names = app, []

    def __enter__(self):
        template_rendered.connect(self._seen, self.app)
        return self

    def __exit__(self, *exc):
        template_rendered.disconnect(self._seen, self.app)

    def _seen(self, _app, template, context, **extra):
        self.names.append(template.name)


# --- enqueue: what to render, in the use case's transaction -----------------------------------

def test_queued_mail_is_inserted_at_commit_as_what_to_render_and_nothing_is_rendered(app):
    with app.app_context(), Renders(app) as renders:
        enqueue(Mail(to="een@example.org", template="invitation", locale="en",
                     context={"link": "http://kring.test/x", "days": 14}),
                Mail(to="twee@example.org", template="invitation",
                     context={"link": "http://kring.test/y", "days": 14}))
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        with QueryCounter(db.engine) as counter:
            db.session.commit()
        inserts = [s for s in counter.statements if s.lstrip().upper().startswith("INSERT INTO OUTBOX")]
        assert len(inserts) == 1  # one INSERT for all
        queued = {m.to_addr: m for m in db.session.scalars(select(OutboxMessage))}
        assert renders.names == []  # the mailer renders when it sends
    assert sorted(queued) == ["een@example.org", "twee@example.org"]
    first = queued["een@example.org"]
    assert (first.kind, first.locale, first.status) == ("invitation", "en", "pending")
    assert json.loads(first.context) == {"link": "http://kring.test/x", "days": 14}
    assert first.subject is first.body_text is first.body_html is None
    assert queued["twee@example.org"].locale == "nl"


def test_a_rolled_back_use_case_queues_no_mail(app):
    with app.app_context(), Renders(app) as renders:
        enqueue(Mail(to="nooit@example.org", template="invitation",
                     context={"link": "http://kring.test/x", "days": 14}))
        db.session.rollback()
        db.session.commit()  # a later transaction does not pick it up
        assert renders.names == []
    assert outbox_count(app) == 0


def test_reply_renders_no_template_inside_its_transaction(app, world):
    """reply() holds the thread row lock from early on; a reply in a big group mails dozens,
    so not one template may be rendered before it commits."""
    from app.forum import service as forum
    from app.forum.models import Thread

    slug, lead = world.space()
    members = [world.member(slug, lead) for _ in range(3)]
    thread_id = world.thread(slug, lead)
    for member in members:  # everyone who took part hears of the next reply
        world.reply(slug, thread_id, member, "Ik doe mee")
    clear_outbox(app)
    events: list[str] = []

    def statement(conn, cursor, sql, *args):
        verb, table = re.match(r"\s*(\w+)\s+(?:INTO\s+|FROM\s+)?(\w+)", sql).groups()
        events.append(f"sql:{verb.upper()} {table.lower()}")

    with world.ctx(), Renders(app) as renders:
        actor, thread = world.actor(members[0].user_id), db.session.get(Thread, thread_id)
        event.listen(db.engine, "before_cursor_execute", statement)
        try:
            forum.reply(actor, thread, body="Een antwoord")
        finally:
            event.remove(db.engine, "before_cursor_execute", statement)
        assert renders.names == []
    assert "sql:UPDATE threads" in events
    assert events.count("sql:INSERT outbox") == 1
    assert len(rows(app)) >= 2  # the lead and the other members: several mails, one INSERT


# --- the worker renders when it sends ----------------------------------------------------------

def test_the_worker_renders_queued_mail_and_sends_it(mail_app, world, inbox):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, lead)
    clear_outbox(mail_app)
    world.reply(slug, thread_id, member, "Een antwoord")  # the lead hears of it directly
    (row_id, row), = rows(mail_app).items()
    assert row["subject"] is None
    with Renders(mail_app) as renders:
        assert run_deliver(mail_app) == {"sent": 1, "retry": 0, "dead": 0}
    assert {"email/notification.subject.txt", "email/notification.txt",
            "email/notification.html"} <= set(renders.names)
    message = inbox.to(lead.email)[0].message
    assert message["Subject"] and "/notifications/" in text_part(message)
    with mail_app.app_context():
        sent = db.session.get(OutboxMessage, row_id)
        # The subject is kept for the listing; what held the links is gone.
        assert (sent.status, sent.subject) == ("sent", message["Subject"])
        assert sent.context is sent.body_text is sent.body_html is None and sent.headers == ""


def test_mail_is_rendered_in_the_language_of_its_recipient(mail_app, world, inbox):
    from app.accounts.service import request_password_reset

    english, dutch = world.user(locale="en"), world.user(locale="nl")
    clear_outbox(mail_app)
    with mail_app.app_context():
        for person in (english, dutch):
            request_password_reset(email=person.email, client_ip="127.0.0.3")
        db.session.remove()
    assert run_deliver(mail_app)["sent"] == 2
    in_english = inbox.to(english.email)[0].message
    in_dutch = inbox.to(dutch.email)[0].message
    assert in_english["Subject"] == "Choose a new password for Kring"
    assert "Open this link to do so" in text_part(in_english)
    assert in_dutch["Subject"] == "Kies een nieuw wachtwoord voor Kring"
    assert "Choose a new password" not in text_part(in_dutch)


@pytest.mark.parametrize("kind, context, reason", [
    ("no_such_mail", "{}", "TemplateNotFound"),
    ("invitation", "{not json", "JSONDecodeError"),
])
def test_a_row_that_cannot_be_rendered_is_dead_lettered_and_the_next_still_goes_out(
        mail_app, inbox, caplog, kind, context, reason):
    with mail_app.app_context():
        broken = OutboxMessage(to_addr="kapot@example.org", kind=kind, context=context, headers="")
        db.session.add(broken)
        db.session.commit()
        broken_id = broken.id
        db.session.remove()
    good_id, = queue(mail_app, "goed@example.org")
    assert good_id > broken_id  # the broken row comes first in the queue
    with caplog.at_level(logging.WARNING, logger="kring.mail"):
        assert run_deliver(mail_app) == {"sent": 1, "retry": 0, "dead": 1}
    state = rows(mail_app)
    assert state[broken_id]["status"] == DEAD
    assert state[broken_id]["last_error"].startswith(f"cannot build the message: {reason}")
    assert state[good_id]["status"] == SENT
    assert inbox.recipients() == ["goed@example.org"]
    assert any(f"mail #{broken_id}" in r.getMessage() and "dead-lettered" in r.getMessage()
               for r in caplog.records)


def test_a_row_queued_before_the_change_is_sent_with_its_rendered_body(mail_app, inbox):
    """Rows queued before migration 0007 hold rendered bodies and no context."""
    with mail_app.app_context():
        old = OutboxMessage(to_addr="oud@example.org", kind="invitation", subject="Oude uitnodiging",
                            body_text="Oude tekst http://kring.test/invite/oud",
                            body_html="<p>Oude tekst</p>", headers="")
        db.session.add(old)
        db.session.commit()
        old_id = old.id
        db.session.remove()
    assert run_deliver(mail_app)["sent"] == 1
    message = inbox.to("oud@example.org")[0].message
    assert message["Subject"] == "Oude uitnodiging"
    assert text_part(message).strip() == "Oude tekst http://kring.test/invite/oud"
    row = rows(mail_app)[old_id]
    assert row["status"] == SENT and row["body_text"] is row["body_html"] is None


# --- a deleted post takes its mail along ----------------------------------------------------

def test_pending_mail_about_a_deleted_post_is_dropped(mail_app, world, inbox):
    from app.forum import service as forum
    from app.forum.models import Post

    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, lead)
    clear_outbox(mail_app)
    kept = world.reply(slug, thread_id, member, "Dit blijft staan")
    gone = world.reply(slug, thread_id, member, "Dit haal ik weg")
    with world.ctx():
        linked = dict(db.session.execute(
            select(Notification.post_id, OutboxMessage.id)
            .join(OutboxMessage, OutboxMessage.notification_id == Notification.id)
            .where(Notification.post_id.in_([kept, gone]))).all())
        assert set(linked) == {kept, gone}  # the lead has a direct mail about each
        forum.delete_post(world.actor(member.user_id), db.session.get(Post, gone))
    assert list(rows(mail_app)) == [linked[kept]]
    assert run_deliver(mail_app)["sent"] == 1
    assert inbox.recipients() == [lead.email]


# --- digests, one recipient at a time -------------------------------------------------------

def test_one_failing_digest_does_not_stop_the_others_and_is_retried_later(mail_app, world, caplog):
    slug, lead, (first, broken, last), _name = digest_world(world)
    post_assignment(world, slug, lead, at=local(2030, 1, 7, 12), title="Zonnebloem",
                    body="Geheime tuintekst")
    with world.ctx():  # a damaged row: this user's digest cannot be written
        db.session.execute(update(User).where(User.id == broken.user_id).values(locale="!!"))
        db.session.commit()
    digests = Digests(mail_app)
    with caplog.at_level(logging.ERROR, logger="kring.mail"):
        assert digests.at(local(2030, 1, 8, 8, 5)) == sorted([first.email, last.email])
    assert any(f"user {broken.user_id} failed" in r.getMessage() for r in caplog.records)
    with world.ctx():
        waiting = db.session.scalar(select(func.count()).select_from(Notification).where(
            Notification.user_id == broken.user_id, Notification.mailed_at.is_(None),
            Notification.read_at.is_(None)))
        assert waiting == 1  # rolled back: still waiting for a digest
        assert db.session.scalar(select(DigestRun).where(DigestRun.user_id == broken.user_id)) is None
        db.session.execute(update(User).where(User.id == broken.user_id).values(locale="nl"))
        db.session.commit()
    assert digests.at(local(2030, 1, 8, 8, 6)) == [broken.email]  # retried on the next round
    assert digests.at(local(2030, 1, 8, 8, 7)) == []


def test_the_due_query_loads_no_notification_that_is_not_due(mail_app, world):
    from app.notify.digest import send_digests

    slug, lead, people, _name = digest_world(world)
    for n in range(5):
        post_assignment(world, slug, lead, at=local(2030, 1, 8, 9, n), title=f"Opdracht {n}",
                        body="Tekst")
    with world.ctx():
        # Before the digest hour: one grouped statement, and no notification loaded.
        with QueryCounter(db.engine) as counter:
            assert send_digests(local(2030, 1, 9, 7, 0)) == 0
        assert counter.count == 1
        assert not [o for o in db.session.identity_map.values() if isinstance(o, Notification)]
        db.session.remove()
    with world.ctx():
        # At the hour: the same statement, then a fixed number per recipient.
        with QueryCounter(db.engine) as counter:
            assert send_digests(local(2030, 1, 9, 8, 5)) == len(people)
        per_recipient = (counter.count - 1) / len(people)
        # items, claim, user, digest run, outbox
        assert per_recipient == 5, counter.statements
        db.session.remove()
