"""The outbox worker against a real SMTP server (aiosmtpd on 127.0.0.1): what arrives, retries
with backoff while the server is down, dead letters, a worker killed with SIGKILL mid-batch,
several workers at once, digests that follow the clock, the CLI, and account mail."""
from __future__ import annotations

import email.utils
import os
import re
import signal
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from app import mailer
from app.database import utcnow
from app.extensions import db
from app.forum.models import Thread
from app.mailer import MAX_ATTEMPTS, backoff, claim, lease
from app.notify.models import CATEGORIES, Notification
from app.notify.outbox import DEAD, PENDING, SENDING, SENT, OutboxMessage
from tests.mail import (  # noqa: F401  (inbox and mail_app are fixtures)
    MAIL_FROM, UNSUBSCRIBE, clear_outbox, html_part, inbox, mail_app, queue, raw_header, rendered_mail,
    rows, run_deliver, text_part, use_smtp,
)
from tests.pg import free_port

REPO = Path(__file__).resolve().parents[1]
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


# --- what arrives ---------------------------------------------------------------------------------

def test_notification_mail_arrives_with_headers_both_parts_and_one_click_unsubscribe(mail_app, world, inbox):
    from app.notify.service import read_unsubscribe_token

    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, lead, title="Geheim onderwerp", body="Geheime openingszin")
    clear_outbox(mail_app)
    world.reply(slug, thread_id, member, "Een geheim antwoord")  # lead: replies=direct
    queued = rows(mail_app)
    assert [r["to"] for r in queued.values()] == [lead.email]
    (row_id, row), = queued.items()

    before = utcnow()
    assert run_deliver(mail_app) == {"sent": 1, "retry": 0, "dead": 0}

    envelope, = inbox.received
    assert envelope.rcpt_tos == [lead.email]
    assert envelope.mail_from == "noreply@kring.test"
    message = envelope.message
    assert message["From"] == MAIL_FROM
    assert message["To"] == lead.email
    assert row["subject"] is None  # queued: nothing rendered yet
    assert message["Subject"] == rows(mail_app)[row_id]["subject"] and message["Subject"]
    sent_date = email.utils.parsedate_to_datetime(message["Date"])
    if sent_date.tzinfo is None:  # "-0000": UTC, sender's zone not stated (RFC 5322 3.3)
        sent_date = sent_date.replace(tzinfo=timezone.utc)
    assert abs(sent_date - before) < timedelta(minutes=1)
    assert re.fullmatch(r"<[^<>@\s]+@kring\.test>", message["Message-ID"])
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert "/notifications/" in text_part(message)
    assert "<html" in html_part(message)
    for secret in ("Geheim onderwerp", "Geheime openingszin", "Een geheim antwoord"):
        assert secret not in envelope.content.decode("utf-8", "replace")

    unsubscribe = raw_header(envelope.content, "List-Unsubscribe")
    assert "=?" not in unsubscribe
    match = UNSUBSCRIBE.fullmatch(unsubscribe)
    assert match, unsubscribe
    assert raw_header(envelope.content, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    with mail_app.app_context():
        assert tuple(read_unsubscribe_token(match.group(1))) == (lead.user_id, lead.membership_id,
                                                                  "replies")

    after = rows(mail_app)[row_id]
    assert after["status"] == SENT
    assert after["sent_at"] is not None and before - timedelta(seconds=1) <= after["sent_at"] <= utcnow()
    assert after["claimed_by"] == ""
    assert run_deliver(mail_app) == {"sent": 0, "retry": 0, "dead": 0}
    assert len(inbox.received) == 1


# --- server down, backoff, dead letters -----------------------------------------------------

def test_mail_waits_with_backoff_while_server_is_down_and_goes_out_exactly_once_later(mail_app, inbox):
    addresses = ["een@example.org", "twee@example.org", "drie@example.org"]
    ids = queue(mail_app, *addresses)
    use_smtp(mail_app, free_port())  # nothing listens there

    # One connection attempt per round: the message it was for waits with backoff, the rest
    # stays queued, untouched, for the next round.
    before = utcnow()
    assert run_deliver(mail_app) == {"sent": 0, "retry": 1, "dead": 0}
    assert run_deliver(mail_app) == {"sent": 0, "retry": 1, "dead": 0}
    state = rows(mail_app)
    assert sorted(state) == sorted(ids)  # nothing lost
    for row_id in ids[:2]:
        row = state[row_id]
        assert row["status"] == PENDING
        assert row["attempts"] == 1
        assert row["last_error"]
        assert row["next_attempt_at"] >= before + backoff(1) - timedelta(seconds=1)
        assert row["next_attempt_at"] > utcnow()
    assert state[ids[2]]["status"] == PENDING and state[ids[2]]["attempts"] == 0

    # With the server back only what is due goes out; the others wait for their backoff.
    use_smtp(mail_app, inbox.port)
    assert run_deliver(mail_app) == {"sent": 1, "retry": 0, "dead": 0}
    assert inbox.recipients() == [addresses[2]]
    assert all(rows(mail_app)[i]["attempts"] == 1 for i in ids[:2])

    later = utcnow() + backoff(1) + timedelta(seconds=1)
    assert run_deliver(mail_app, now=later) == {"sent": 2, "retry": 0, "dead": 0}
    assert sorted(inbox.recipients()) == sorted(addresses)
    assert all(r["status"] == SENT and r["sent_at"] for r in rows(mail_app).values())

    assert run_deliver(mail_app, now=later + timedelta(days=1)) == {"sent": 0, "retry": 0, "dead": 0}
    assert sorted(inbox.recipients()) == sorted(addresses)


def test_backoff_grows_exponentially_up_to_a_cap():
    assert timedelta(0) < backoff(1) < backoff(2) < backoff(3) < backoff(4)
    assert backoff(2) == 2 * backoff(1) and backoff(3) == 2 * backoff(2)
    cap = timedelta(hours=6)
    assert backoff(20) == backoff(30) == cap
    assert all(backoff(n) <= cap for n in range(1, 31))


def test_backoff_stays_capped_for_any_number_of_attempts():
    assert backoff(100) == backoff(1000) == timedelta(hours=6)


def test_mail_is_dead_after_max_attempts_with_growing_waits(mail_app):
    row_id, = queue(mail_app, "geduld@example.org")
    use_smtp(mail_app, free_port())
    for attempt in range(1, MAX_ATTEMPTS + 1):
        before = utcnow()
        outcome = run_deliver(mail_app, now=utcnow() + timedelta(hours=7))
        after = utcnow()
        row = rows(mail_app)[row_id]
        assert row["attempts"] == attempt
        assert row["last_error"]
        if attempt < MAX_ATTEMPTS:
            assert outcome == {"sent": 0, "retry": 1, "dead": 0}
            assert row["status"] == PENDING
            assert before + backoff(attempt) - timedelta(seconds=1) <= row["next_attempt_at"] \
                <= after + backoff(attempt) + timedelta(seconds=1)
        else:
            assert row["status"] == DEAD
    assert run_deliver(mail_app, now=utcnow() + timedelta(days=30)) == {"sent": 0, "retry": 0, "dead": 0}
    assert rows(mail_app)[row_id]["attempts"] == MAX_ATTEMPTS


@pytest.mark.parametrize("address", ["not-an-address", "a@b", "x@@y.nl"])
def test_malformed_address_is_dead_after_one_attempt_with_the_reason(mail_app, inbox, address):
    bad_id, good_id = queue(mail_app, address, "goed@example.org")
    outcome = run_deliver(mail_app)
    assert outcome == {"sent": 1, "retry": 0, "dead": 1}
    state = rows(mail_app)
    assert state[bad_id]["status"] == DEAD
    assert state[bad_id]["attempts"] == 1
    assert address in state[bad_id]["last_error"]
    assert state[good_id]["status"] == SENT
    assert inbox.recipients() == ["goed@example.org"]
    # No retry loop: later rounds leave it alone.
    assert run_deliver(mail_app, now=utcnow() + timedelta(days=2)) == {"sent": 0, "retry": 0, "dead": 0}
    assert rows(mail_app)[bad_id]["attempts"] == 1


def test_permanent_refusal_is_dead_and_temporary_refusal_retries_later(mail_app, inbox):
    inbox.refuse = {"weg@example.org": "550 5.1.1 no such user",
                    "druk@example.org": "451 4.7.1 try again later"}
    gone, busy, fine = queue(mail_app, "weg@example.org", "druk@example.org", "goed@example.org")
    before = utcnow()
    assert run_deliver(mail_app) == {"sent": 1, "retry": 1, "dead": 1}
    state = rows(mail_app)
    assert state[gone]["status"] == DEAD and state[gone]["attempts"] == 1
    assert "550" in state[gone]["last_error"]
    assert state[busy]["status"] == PENDING and state[busy]["attempts"] == 1
    assert "451" in state[busy]["last_error"]
    assert state[busy]["next_attempt_at"] >= before + backoff(1) - timedelta(seconds=1)
    assert state[fine]["status"] == SENT
    assert inbox.recipients() == ["goed@example.org"]

    inbox.refuse = {"weg@example.org": "550 5.1.1 no such user"}
    assert run_deliver(mail_app, now=utcnow() + backoff(1) + timedelta(seconds=1)) == \
        {"sent": 1, "retry": 0, "dead": 0}
    state = rows(mail_app)
    assert state[busy]["status"] == SENT
    assert state[gone]["status"] == DEAD and state[gone]["attempts"] == 1
    assert sorted(inbox.recipients()) == ["druk@example.org", "goed@example.org"]


# --- a worker killed mid-batch ---------------------------------------------------------------

VICTIM = """
import sys
sys.path.insert(0, {repo!r})
from app import create_app
from app.mailer import deliver
app = create_app("test", DATABASE_URL={url!r}, SMTP_HOST="127.0.0.1", SMTP_PORT={port},
                 SMTP_SECURITY="none", SMTP_USERNAME="", MAIL_FROM={mail_from!r})
with app.app_context():
    print(deliver(worker="victim"), flush=True)
"""


def test_worker_killed_mid_batch_loses_nothing_and_resends_nothing_acknowledged(sqlite_app, inbox, tmp_path):
    use_smtp(sqlite_app, inbox.port)
    addresses = [f"lid{n}@example.org" for n in range(1, 7)]
    ids = queue(sqlite_app, *addresses)
    inbox.block_on = 3

    script = tmp_path / "victim.py"
    script.write_text(VICTIM.format(repo=str(REPO), url=sqlite_app.config["DATABASE_URL"],
                                    port=inbox.port, mail_from=MAIL_FROM))
    log = open(tmp_path / "victim.log", "wb")
    process = subprocess.Popen([sys.executable, str(script)], cwd=str(tmp_path),
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        assert inbox.blocked.wait(30), (tmp_path / "victim.log").read_text()
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(10) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        log.close()
        inbox.release.set()

    acknowledged = addresses[:2]
    assert sorted(inbox.recipients()) == sorted(acknowledged)
    state = rows(sqlite_app)
    # Only the message in flight was claimed: the rest of the batch is not held by the lease.
    assert [state[i]["status"] for i in ids] == [SENT, SENT, SENDING, PENDING, PENDING, PENDING]
    assert state[ids[2]]["claimed_by"] == "victim"

    # Another worker sends the rest at once and leaves the dead worker's row alone while
    # its lease runs.
    assert run_deliver(sqlite_app, worker="early") == {"sent": 3, "retry": 0, "dead": 0}
    assert rows(sqlite_app)[ids[2]]["status"] == SENDING

    with sqlite_app.app_context():
        after_lease = utcnow() + lease() + timedelta(seconds=1)
    outcome = run_deliver(sqlite_app, now=after_lease, worker="rescuer")
    assert outcome == {"sent": 1, "retry": 0, "dead": 0}
    state = rows(sqlite_app)
    assert all(state[i]["status"] == SENT for i in ids)
    received = inbox.recipients()
    assert set(received) == set(addresses)  # every message arrived at least once
    for address in acknowledged:
        assert received.count(address) == 1  # acknowledged mail is not sent again


# --- several workers at once ---------------------------------------------------------------------

def test_concurrent_workers_never_claim_the_same_message(app):
    with app.app_context():
        db.session.add_all([OutboxMessage(to_addr=f"m{n}@example.org", kind="invitation",
                                          context='{"link": "x", "days": 1}', headers="")
                            for n in range(200)])
        db.session.commit()
        all_ids = set(db.session.scalars(select(OutboxMessage.id)))
        db.session.remove()
    assert len(all_ids) == 200

    start = threading.Barrier(4)
    claimed: dict[int, list[int]] = {}
    errors: list[BaseException] = []

    def work(index: int) -> None:
        name = f"worker-{index}"
        mine: list[int] = []
        try:
            with app.app_context():
                try:
                    start.wait(10)
                    while True:
                        claimed_one = claim(name)
                        if claimed_one is None:
                            break
                        mine.append(claimed_one.id)
                        # what deliver does after sending
                        mailer._record(claimed_one.id, name, sent="Kring")
                finally:
                    db.session.remove()
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        claimed[index] = mine

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    union = [message_id for mine in claimed.values() for message_id in mine]
    assert len(union) == len(set(union)), "a message was claimed twice"
    assert set(union) == all_ids
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.status != SENT)) == 0
        db.session.remove()


# --- digests ---------------------------------------------------------------------------------------

def local(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


class Digests:
    """Runs send_digests at a given moment and tells who got a digest in that run."""

    def __init__(self, app):
        self.app = app
        self.seen = 0

    def at(self, when: datetime) -> list[str]:
        from app.notify.digest import send_digests

        with self.app.app_context():
            count = send_digests(when.astimezone(ZoneInfo("UTC")))
            new = list(db.session.scalars(select(OutboxMessage.to_addr)
                                          .where(OutboxMessage.id > self.seen)
                                          .order_by(OutboxMessage.id)))
            self.seen = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
            db.session.remove()
        assert count == len(new)
        return sorted(new)

    def last_to(self, address: str) -> dict:
        """The newest mail to `address`, rendered as the mailer will render it."""
        return vars(rendered_mail(self.app, OutboxMessage.to_addr == address)[-1])


def digest_world(world, *, members=3):
    """A space with a facilitator and members whose earlier notifications are all read and
    whose mail so far is gone, so only what the test creates counts."""
    from app.notify.service import mark_all_read

    slug, lead = world.space()
    people = [world.member(slug, lead) for _ in range(members)]
    with world.ctx():
        for person in (lead, *people):
            mark_all_read(world.actor(person.user_id))
        space_name = world.space_obj(slug).name
    clear_outbox(world.app)
    return slug, lead, people, space_name


def post_assignment(world, slug, lead, *, at: datetime, title: str, body: str) -> int:
    """The facilitator posts an assignment; its notifications are dated `at` (the test clock)."""
    thread_id = world.thread(slug, lead, kind="assignment", title=title, body=body)
    with world.ctx():
        db.session.execute(update(Notification).where(Notification.thread_id == thread_id)
                           .values(created_at=at.astimezone(ZoneInfo("UTC"))))
        db.session.commit()
    return thread_id


def set_hour(world, slug, person, hour: int, **modes) -> None:
    from app.notify.models import DEFAULT_MODES
    from app.notify.service import save_settings

    with world.ctx():
        save_settings(world.actor(person.user_id), world.space_obj(slug),
                      modes={**DEFAULT_MODES, **modes}, digest_hour=hour, neutral_label=False)


def read_thread(world, person, thread_id) -> None:
    from app.forum import service as forum

    with world.ctx():
        forum.mark_read(world.actor(person.user_id), db.session.get(Thread, thread_id), upto=1)


def count_phrase(app, kind_singular: str, kind_plural: str, n: int, locale="nl") -> str:
    from flask_babel import force_locale, ngettext

    with app.test_request_context(), force_locale(locale):
        return ngettext(kind_singular, kind_plural, n)


SECRETS = ("Zonnebloem", "Geheime tuintekst", "Tweede geheim", "Derde geheim")


def assert_digest(app, row: dict, space_name: str, count: int) -> None:
    expected = count_phrase(app, "%(num)d new assignment", "%(num)d new assignments", count)
    for part in (row["body_text"], row["body_html"]):
        line = next(line for line in part.splitlines() if space_name in line)
        assert expected in line
        assert re.search(rf"(?<!\d){count}(?!\d)", line.replace(space_name, ""))
    for secret in SECRETS:
        for part in (row["subject"], row["body_text"], row["body_html"]):
            assert secret not in part


def test_daily_digest_goes_out_once_a_day_at_each_members_digest_hour(mail_app, world, inbox):
    slug, lead, (early, late, reader), space_name = digest_world(world)
    set_hour(world, slug, early, 8)  # also names the group, so the lines can be found
    set_hour(world, slug, late, 10)
    digests = Digests(mail_app)
    # Everyone had a digest on Monday 7 January (the first digest has its own test below).
    post_assignment(world, slug, lead, at=local(2030, 1, 6, 12), title="Zonnebloem nul",
                    body="Geheime tuintekst nul")
    assert digests.at(local(2030, 1, 7, 11, 0)) == sorted([early.email, late.email, reader.email])

    first = post_assignment(world, slug, lead, at=local(2030, 1, 8, 0, 30),
                            title="Zonnebloem", body="Geheime tuintekst")
    read_thread(world, reader, first)  # read in the app: no digest for it

    assert digests.at(local(2030, 1, 8, 6, 0)) == []
    assert digests.at(local(2030, 1, 8, 8, 5)) == [early.email]
    assert_digest(mail_app, digests.last_to(early.email), space_name, 1)
    assert digests.at(local(2030, 1, 8, 8, 30)) == []
    assert digests.at(local(2030, 1, 8, 10, 5)) == [late.email]
    assert digests.at(local(2030, 1, 8, 12, 0)) == []

    second = post_assignment(world, slug, lead, at=local(2030, 1, 8, 15),
                             title="Zonnebloem twee", body="Tweede geheim")
    third = post_assignment(world, slug, lead, at=local(2030, 1, 8, 16),
                            title="Zonnebloem drie", body="Derde geheim")
    read_thread(world, reader, second)
    read_thread(world, reader, third)
    assert digests.at(local(2030, 1, 8, 20, 0)) == []  # one a day
    assert digests.at(local(2030, 1, 9, 7, 59)) == []
    assert digests.at(local(2030, 1, 9, 8, 5)) == [early.email]
    assert_digest(mail_app, digests.last_to(early.email), space_name, 2)
    assert digests.at(local(2030, 1, 9, 10, 5)) == [late.email]
    assert_digest(mail_app, digests.last_to(late.email), space_name, 2)
    assert digests.at(local(2030, 1, 9, 12, 0)) == []
    # Nothing new means no email at all.
    assert digests.at(local(2030, 1, 10, 8, 5)) == []
    assert digests.at(local(2030, 1, 10, 10, 5)) == []
    assert digests.at(local(2030, 1, 11, 12, 0)) == []

    # The queued digests go out through the worker like any other mail.
    assert run_deliver(mail_app, now=local(2030, 1, 11, 12, 1))["sent"] == 7
    assert sorted(inbox.recipients()) == sorted([early.email] * 3 + [late.email] * 3
                                                + [reader.email])
    for envelope in inbox.received:
        assert UNSUBSCRIBE.fullmatch(raw_header(envelope.content, "List-Unsubscribe"))
        assert raw_header(envelope.content, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"


def test_first_daily_digest_waits_for_the_digest_hour(mail_app, world):
    slug, lead, (member,), _name = digest_world(world, members=1)
    digests = Digests(mail_app)
    post_assignment(world, slug, lead, at=local(2030, 1, 8, 0, 30), title="Zonnebloem",
                    body="Geheime tuintekst")
    assert digests.at(local(2030, 1, 8, 6, 0)) == []
    assert digests.at(local(2030, 1, 8, 8, 5)) == [member.email]


def test_notification_after_the_digest_hour_waits_for_the_next_days_digest(mail_app, world):
    slug, lead, (member,), _name = digest_world(world, members=1)
    digests = Digests(mail_app)
    post_assignment(world, slug, lead, at=local(2030, 1, 7, 12), title="Zonnebloem",
                    body="Geheime tuintekst")
    assert digests.at(local(2030, 1, 8, 8, 5)) == [member.email]
    assert digests.at(local(2030, 1, 9, 8, 5)) == []  # nothing new that day
    post_assignment(world, slug, lead, at=local(2030, 1, 9, 9, 0), title="Zonnebloem twee",
                    body="Tweede geheim")
    assert digests.at(local(2030, 1, 9, 9, 30)) == []  # not a direct mail in disguise
    assert digests.at(local(2030, 1, 10, 7, 0)) == []
    assert digests.at(local(2030, 1, 10, 8, 5)) == [member.email]


def test_weekly_digest_goes_out_on_monday_at_the_hour_once_a_week(mail_app, world):
    slug, lead, (weekly,), space_name = digest_world(world, members=1)
    set_hour(world, slug, weekly, 8, facilitator="weekly")
    digests = Digests(mail_app)
    # 2030-01-07 and 2030-01-14 are Mondays.
    post_assignment(world, slug, lead, at=local(2030, 1, 5, 12), title="Zonnebloem",
                    body="Geheime tuintekst")
    assert digests.at(local(2030, 1, 7, 8, 5)) == [weekly.email]

    post_assignment(world, slug, lead, at=local(2030, 1, 9, 12), title="Zonnebloem twee",
                    body="Tweede geheim")
    assert digests.at(local(2030, 1, 9, 13)) == []
    assert digests.at(local(2030, 1, 10, 8, 5)) == []
    assert digests.at(local(2030, 1, 13, 20)) == []  # Sunday
    assert digests.at(local(2030, 1, 14, 7, 59)) == []  # Monday, before the hour
    assert digests.at(local(2030, 1, 14, 8, 5)) == [weekly.email]
    assert_digest(mail_app, digests.last_to(weekly.email), space_name, 1)
    assert digests.at(local(2030, 1, 14, 20)) == []

    post_assignment(world, slug, lead, at=local(2030, 1, 15, 10), title="Zonnebloem drie",
                    body="Derde geheim")
    assert digests.at(local(2030, 1, 17, 9)) == []
    assert digests.at(local(2030, 1, 19, 9)) == []
    assert digests.at(local(2030, 1, 21, 8, 5)) == [weekly.email]
    assert digests.at(local(2030, 1, 28, 8, 5)) == []  # nothing new that week


# --- the CLI -------------------------------------------------------------------------------------

def test_outbox_command_lists_pending_mail_only(mail_app):
    waiting, done = queue(mail_app, "wacht@example.org", "klaar@example.org")
    with mail_app.app_context():
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id == done)
                           .values(status=SENT, sent_at=utcnow()))
        db.session.commit()
    result = mail_app.test_cli_runner().invoke(args=["kring", "outbox"])
    assert result.exit_code == 0, result.output
    assert f"#{waiting} " in result.output and "wacht@example.org" in result.output
    assert f"#{done} " not in result.output and "klaar@example.org" not in result.output


def test_outbox_retry_requeues_dead_mail_and_worker_once_sends_it(mail_app, inbox):
    inbox.refuse = {"later@example.org": "550 5.1.1 mailbox unavailable"}
    dead_id, = queue(mail_app, "later@example.org")
    assert run_deliver(mail_app)["dead"] == 1
    runner = mail_app.test_cli_runner()

    listed = runner.invoke(args=["kring", "outbox"])
    assert listed.exit_code == 0 and f"#{dead_id} " not in listed.output
    listed = runner.invoke(args=["kring", "outbox", "--all"])
    assert listed.exit_code == 0 and f"#{dead_id} " in listed.output and "550" in listed.output
    assert rows(mail_app)[dead_id]["status"] == DEAD

    inbox.refuse = {}
    retried = runner.invoke(args=["kring", "outbox", "--all", "--retry"])
    assert retried.exit_code == 0, retried.output
    row = rows(mail_app)[dead_id]
    assert row["status"] == PENDING and row["attempts"] == 0 and row["last_error"] == ""

    worked = runner.invoke(args=["kring", "worker", "--once"])
    assert worked.exit_code == 0, worked.output
    assert inbox.recipients() == ["later@example.org"]
    assert rows(mail_app)[dead_id]["status"] == SENT


def test_worker_once_sends_pending_mail_to_the_smtp_server(mail_app, inbox):
    ids = queue(mail_app, "a1@example.org", "a2@example.org")
    result = mail_app.test_cli_runner().invoke(args=["kring", "worker", "--once"])
    assert result.exit_code == 0, result.output
    assert sorted(inbox.recipients()) == ["a1@example.org", "a2@example.org"]
    assert all(rows(mail_app)[i]["status"] == SENT for i in ids)
    again = mail_app.test_cli_runner().invoke(args=["kring", "worker", "--once"])
    assert again.exit_code == 0
    assert len(inbox.received) == 2


# --- account mail through the same outbox ------------------------------------------------------

def test_password_reset_mail_arrives_through_the_worker_with_a_working_link(mail_app, world, inbox, client):
    from app.accounts.service import request_password_reset

    person = world.user()
    clear_outbox(mail_app)
    with mail_app.app_context():
        request_password_reset(email=person.email, client_ip="127.0.0.1")
    assert [r["to"] for r in rows(mail_app).values()] == [person.email]
    assert inbox.received == []  # nothing is sent outside the worker

    assert run_deliver(mail_app)["sent"] == 1
    envelope, = inbox.to(person.email)
    message = envelope.message
    assert message["From"] == MAIL_FROM
    link = re.search(r"http://kring\.test(/password/reset/[A-Za-z0-9_\-]+)", text_part(message))
    assert link, text_part(message)
    assert link.group(0) in html_part(message)
    assert "List-Unsubscribe" not in message
    assert client.get(link.group(1)).status_code == 200


def test_invitation_mail_arrives_through_the_worker_and_names_who_invites_but_no_space(mail_app, world, inbox):
    slug, lead = world.space()
    clear_outbox(mail_app)
    raw = world.invite_token(slug, lead, email="nieuwkomer@example.org")
    assert run_deliver(mail_app)["sent"] == 1
    envelope, = inbox.received
    assert envelope.rcpt_tos == ["nieuwkomer@example.org"]
    message = envelope.message
    assert f"http://kring.test/invite/{raw}" in text_part(message)
    assert f"http://kring.test/invite/{raw}" in html_part(message)
    decoded = str(message["Subject"]) + text_part(message) + html_part(message)
    assert f"Groep {slug}" not in decoded and f"/s/{slug}" not in decoded
    assert f"{lead.name} van Welzijn Test" in decoded  # who invites, so it is not phishing


# --- urgent notices and the in-process worker ----------------------------------------------

def test_urgent_notice_goes_out_directly_even_when_the_member_chose_never(mail_app, world, inbox):
    """The crisis path (used by flags): preferences cannot silence it, the mail stays content-free."""
    from app.notify import service as notifications
    from app.notify.kinds import NEW_MEMBER
    from app.notify.models import CATEGORIES
    from app.spaces.models import Membership

    slug, lead = world.space()
    moderator = world.member(slug, lead, role="moderator", name="Moderator Zwaluw")
    clear_outbox(mail_app)
    with mail_app.app_context():
        space = world.space_obj(slug)
        notifications.save_settings(world.actor(moderator.user_id), space,
                                    modes=dict.fromkeys(CATEGORIES, "never"),
                                    digest_hour=8, neutral_label=True)
        members = db.session.scalars(select(Membership).where(
            Membership.id.in_([lead.membership_id, moderator.membership_id]))).all()
        notifications.notify(space, members, kind=NEW_MEMBER, urgent=True)
        db.session.commit()
    assert {r["to"] for r in rows(mail_app).values()} == {lead.email, moderator.email}
    assert run_deliver(mail_app)["sent"] == 2
    received = {m.rcpt_tos[0]: m.message for m in inbox.received}
    assert set(received) == {lead.email, moderator.email}
    assert f"Groep {slug}" not in str(received[moderator.email]["Subject"])  # neutral label kept


def test_worker_thread_inside_the_server_process_sends_queued_mail(mail_app, inbox):
    """`make run` runs the worker as a background thread of the web process."""
    import time

    from app.notify.worker import start_in_background

    clear_outbox(mail_app)
    queue(mail_app, "achtergrond@example.org")
    stop = start_in_background(mail_app, interval=0.05)
    try:
        # The worker records "sent" just after the server took the message: wait for both.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not (
                inbox.received and [r["status"] for r in rows(mail_app).values()] == [SENT]):
            time.sleep(0.05)
    finally:
        stop.set()
    assert [m.rcpt_tos for m in inbox.received] == [["achtergrond@example.org"]]
    assert [r["status"] for r in rows(mail_app).values()] == [SENT]


def test_two_workers_queueing_digests_at_once_send_each_member_one(app, world):
    """Several workers may run (the in-process thread and `flask kring worker`): a notification
    lands in one digest only."""
    from app.notify.digest import send_digests

    slug, lead, people, _name = digest_world(world, members=6)
    post_assignment(world, slug, lead, at=local(2030, 1, 7, 12), title="Eerste", body="Iets")
    now = local(2030, 1, 8, 9, 0).astimezone(ZoneInfo("UTC"))
    start = threading.Barrier(2)
    counts, errors = [], []

    def worker():
        try:
            with app.app_context():
                start.wait(timeout=10)
                counts.append(send_digests(now))
                db.session.remove()
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert sum(counts) == len(people)
    recipients = [r["to"] for r in rows(app).values()]
    assert sorted(recipients) == sorted(p.email for p in people)
