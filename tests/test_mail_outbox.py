"""The outbox as the rest of Kring uses it: enqueue() renders and inserts at commit (nothing
on rollback), a deleted post takes its pending mail along, and digests go out one
recipient at a time from a due query that loads only what is due."""
from __future__ import annotations

import logging
import re

from flask import template_rendered
from sqlalchemy import event, func, select, update

from app.accounts.models import User
from app.extensions import db
from app.notify.models import DigestRun, Notification
from app.notify.outbox import Mail, OutboxMessage, enqueue
from tests.conftest import QueryCounter
from tests.mail import clear_outbox, inbox, mail_app, rows, run_deliver  # noqa: F401  (fixtures)
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


# --- enqueue ---------------------------------------------------------------------------------

def test_queued_mail_is_rendered_and_inserted_when_the_transaction_commits(app):
    with app.app_context(), Renders(app) as renders:
        enqueue(Mail(to="een@example.org", template="invitation",
                     context={"link": "http://kring.test/x", "days": 14}),
                Mail(to="twee@example.org", template="invitation",
                     context={"link": "http://kring.test/y", "days": 14}))
        # Queued, not yet rendered and not yet in the table: the use case may still hold
        # its locks.
        assert renders.names == []
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        with QueryCounter(db.engine) as counter:
            db.session.commit()
        assert renders.names.count("email/invitation.txt") == 2
        inserts = [s for s in counter.statements if s.lstrip().upper().startswith("INSERT INTO OUTBOX")]
        assert len(inserts) == 1  # one INSERT for all
    assert sorted(r["to"] for r in rows(app).values()) == ["een@example.org", "twee@example.org"]
    assert {r["subject"] for r in rows(app).values()} == {"Je uitnodiging voor Kring"}


def test_a_rolled_back_use_case_queues_and_renders_no_mail(app):
    with app.app_context(), Renders(app) as renders:
        enqueue(Mail(to="nooit@example.org", template="invitation",
                     context={"link": "http://kring.test/x", "days": 14}))
        db.session.rollback()
        db.session.commit()  # a later transaction does not pick it up
        assert renders.names == []
    assert outbox_count(app) == 0


def test_reply_mail_is_rendered_after_every_statement_of_the_use_case(app, world):
    """The thread row lock is taken early in reply(); the mail waits for the end."""
    from app.forum import service as forum
    from app.forum.models import Thread

    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, lead)
    events: list[str] = []

    def statement(conn, cursor, sql, *args):
        verb, table = re.match(r"\s*(\w+)\s+(?:INTO\s+|FROM\s+)?(\w+)", sql).groups()
        events.append(f"sql:{verb.upper()} {table.lower()}")

    def render(_app, template, context, **extra):
        events.append("render")

    with world.ctx():
        actor, thread = world.actor(member.user_id), db.session.get(Thread, thread_id)
        template_rendered.connect(render, app)
        event.listen(db.engine, "before_cursor_execute", statement)
        try:
            forum.reply(actor, thread, body="Een antwoord")
        finally:
            event.remove(db.engine, "before_cursor_execute", statement)
            template_rendered.disconnect(render, app)
    first_render = events.index("render")
    assert "sql:UPDATE threads" in events[:first_render]
    assert "sql:INSERT notifications" in events[:first_render]
    assert [e for e in events[first_render:] if e.startswith("sql:")] == ["sql:INSERT outbox"]


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
