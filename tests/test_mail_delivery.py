"""Delivering the outbox: a lease per message (two workers and a slow server send each mail
once), a Message-ID that stays the same across retries, the console and folder backends of
the demo, a log line for every failed delivery, and an outbox listing without bodies."""
from __future__ import annotations

import email
import email.policy
import logging
import re
import threading
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update

from app.database import utcnow
from app.extensions import db
from app.notify.outbox import DEAD, SENT, OutboxMessage
from tests.mail import (  # noqa: F401  (inbox and mail_app are fixtures)
    inbox, mail_app, queue, rendered, rows, run_deliver, text_part,
)
from tests.pg import free_port

REPO = Path(__file__).resolve().parents[1]


def header(content: bytes, name: str) -> str:
    return email.message_from_bytes(content, policy=email.policy.default)[name]


# --- a lease per message ----------------------------------------------------------------------

def test_two_workers_and_a_slow_server_deliver_every_message_exactly_once(mail_app, inbox):
    """A batch used to be claimed under one lease: with a slow server the lease ran out while
    the batch was still being sent and the other worker sent the same rows again."""
    mail_app.config["MAIL_LEASE_SECONDS"] = 1
    inbox.delay = 0.3  # eight messages take 2.4 s: far past one lease
    addresses = [f"traag{n}@example.org" for n in range(8)]
    ids = queue(mail_app, *addresses)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            start.wait(10)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if sum(run_deliver(mail_app, worker=name).values()) == 0:
                    if all(r["status"] == SENT for r in rows(mail_app).values()):
                        return
                    time.sleep(0.05)
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)

    workers = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert not errors, errors
    assert sorted(inbox.recipients()) == sorted(addresses)  # each exactly once
    assert all(rows(mail_app)[i]["status"] == SENT for i in ids)


def test_message_id_is_derived_from_the_outbox_row_and_stays_the_same_on_a_retry(mail_app, inbox):
    inbox.fail_data = 1  # the first offer gets "451 try again later"
    first, second = queue(mail_app, "opnieuw@example.org", "ander@example.org")
    assert run_deliver(mail_app) == {"sent": 1, "retry": 1, "dead": 0}
    later = utcnow() + timedelta(minutes=5)
    assert run_deliver(mail_app, now=later) == {"sent": 1, "retry": 0, "dead": 0}

    offered = [header(content, "Message-ID") for content in inbox.offered]
    retried = [header(content, "Message-ID") for content in inbox.offered
               if header(content, "To") == "opnieuw@example.org"]
    assert len(offered) == 3 and len(retried) == 2
    assert retried[0] == retried[1]  # a resend is recognisably the same mail
    assert re.fullmatch(rf"<outbox-{first}\.\d{{14}}@kring\.test>", retried[0])
    other, = (header(env.content, "Message-ID") for env in inbox.to("ander@example.org"))
    assert other.startswith(f"<outbox-{second}.") and other != retried[0]


def test_a_worker_sends_nothing_once_its_lease_was_taken_over(mail_app, inbox):
    """The row belongs to whoever holds the lease; a late worker's outcome is not recorded."""
    from app import mailer

    row_id, = queue(mail_app, "overgenomen@example.org")
    with mail_app.app_context():
        assert mailer.claim("slow").id == row_id
        later = utcnow() + mailer.lease() + timedelta(seconds=1)
        assert mailer.claim("fast", later).id == row_id  # the lease ran out
        assert mailer._renew(row_id, "slow", utcnow()) is False
        assert mailer._renew(row_id, "fast", utcnow()) is True
        mailer._record(row_id, "slow", error="too late")
        db.session.remove()
    row = rows(mail_app)[row_id]
    assert row["claimed_by"] == "fast" and row["attempts"] == 0 and row["last_error"] == ""


# --- where mail goes ----------------------------------------------------------------------------

def test_console_backend_prints_each_mail_with_its_link_and_sends_nothing(mail_app, inbox, capsys):
    mail_app.config["MAIL_BACKEND"] = "console"
    row_id, = queue(mail_app, "demo@example.org")
    assert run_deliver(mail_app) == {"sent": 1, "retry": 0, "dead": 0}
    out = capsys.readouterr().out
    assert "To: demo@example.org" in out
    assert "http://kring.test/x" in out  # the demo user can follow the link
    assert f"<outbox-{row_id}." in out
    assert inbox.received == []
    assert rows(mail_app)[row_id]["status"] == SENT


def test_folder_backend_writes_one_eml_file_per_mail(mail_app, inbox, tmp_path):
    mail_app.config.update(MAIL_BACKEND="folder", MAIL_FOLDER=str(tmp_path / "mail"))
    ids = queue(mail_app, "een@example.org", "twee@example.org")
    assert run_deliver(mail_app)["sent"] == 2
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 2
    parsed = [email.message_from_bytes(f.read_bytes(), policy=email.policy.default) for f in files]
    assert sorted(m["To"] for m in parsed) == ["een@example.org", "twee@example.org"]
    assert all("http://kring.test/x" in text_part(m) for m in parsed)
    assert inbox.received == []
    assert all(rows(mail_app)[i]["status"] == SENT for i in ids)


def test_the_worker_says_where_mail_goes_when_it_starts(mail_app, capsys):
    from app.notify.worker import start_in_background

    mail_app.config["MAIL_BACKEND"] = "console"
    stop = start_in_background(mail_app, interval=60)
    stop.set()
    lines = [line for line in capsys.readouterr().out.splitlines() if "KRING_MAIL_BACKEND" in line]
    assert lines == ["Mail is printed on this console (KRING_MAIL_BACKEND=console); nothing is sent."]

    mail_app.config.update(MAIL_BACKEND="folder", MAIL_FOLDER="/tmp/kring-mail-test")
    result = mail_app.test_cli_runner().invoke(args=["kring", "worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "Mail is written to /tmp/kring-mail-test/*.eml" in result.output


def test_an_unknown_mail_backend_is_refused_by_name_at_start(mail_app):
    mail_app.config["MAIL_BACKEND"] = "duif"
    result = mail_app.test_cli_runner().invoke(args=["kring", "worker", "--once"])
    assert result.exit_code != 0
    assert "'duif'" in result.output and "smtp, console, folder" in result.output


def test_make_run_delivers_demo_mail_to_the_console_unless_told_otherwise():
    from config import load_config

    run_line = next(line for line in (REPO / "Makefile").read_text().splitlines()
                    if "wsgi.py" in line and "python" in line)
    assert "KRING_MAIL_BACKEND=$${KRING_MAIL_BACKEND:-console}" in run_line
    assert load_config("default")["MAIL_BACKEND"] == "smtp"  # production sends real mail


def test_every_failed_delivery_is_logged_with_its_reason(mail_app, inbox, caplog):
    inbox.refuse = {"weg@example.org": "550 5.1.1 no such user",
                    "druk@example.org": "451 4.7.1 try again later"}
    gone, busy, bad = queue(mail_app, "weg@example.org", "druk@example.org", "geen-adres")
    with caplog.at_level(logging.WARNING, logger="kring.mail"):
        assert run_deliver(mail_app) == {"sent": 0, "retry": 1, "dead": 2}
        queue(mail_app, "onbereikbaar@example.org")
        mail_app.config["SMTP_PORT"] = free_port()  # nothing listens there
        assert run_deliver(mail_app) == {"sent": 0, "retry": 1, "dead": 0}
    logged = [r.getMessage() for r in caplog.records if r.name == "kring.mail"]
    assert len(logged) == 4, logged
    assert any(f"#{gone} " in m and "dead-lettered" in m and "550" in m for m in logged)
    assert any(f"#{busy} " in m and "retry" in m and "451" in m for m in logged)
    assert any(f"#{bad} " in m and "malformed address" in m for m in logged)
    assert any("ConnectionRefusedError" in m for m in logged)


# --- the outbox listing --------------------------------------------------------------------------

def test_outbox_command_lists_state_kind_and_age_but_never_a_body(mail_app, world, inbox):
    from app.accounts.service import request_password_reset

    person = world.user()
    inbox.refuse = {"kapot@example.org": "550 5.1.1 no such user"}
    dead_id, = queue(mail_app, "kapot@example.org")
    assert run_deliver(mail_app)["dead"] == 1
    with mail_app.app_context():
        request_password_reset(email=person.email, client_ip="127.0.0.2")
        reset = rendered(db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.to_addr == person.email)))
        reset_id, body, subject = reset.id, reset.body_text, reset.subject
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id == reset_id)
                           .values(created_at=utcnow() - timedelta(minutes=12)))
        db.session.commit()
    assert "/password/reset/" in body

    result = mail_app.test_cli_runner().invoke(args=["kring", "outbox", "--all"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    reset_line, = (line for line in lines if line.startswith(f"#{reset_id} "))
    assert person.email in reset_line and "password_reset" in reset_line
    assert "12m old" in reset_line and "[pending, 0 attempts]" in reset_line
    dead_line = lines.index(next(line for line in lines if line.startswith(f"#{dead_id} ")))
    assert "[dead, 1 attempts]" in lines[dead_line] and "invitation" in lines[dead_line]
    assert lines[dead_line + 1].strip().startswith("last error: recipient refused")
    assert "550" in lines[dead_line + 1]
    assert "/password/reset/" not in result.output and "http://kring.test/x" not in result.output
    for line in body.splitlines():
        if line.strip() and line.strip() != subject:
            assert line.strip() not in result.output
    assert rows(mail_app)[dead_id]["status"] == DEAD
