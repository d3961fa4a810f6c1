"""The worker loop: drain the outbox every few seconds and queue digests once a minute.
Runs as `flask kring worker` (its own process; several may run at once) or, for `make run`,
as a background thread inside the server process."""
from __future__ import annotations

import logging
import threading
import time

from app.audit.retention import sweep_audit_events
from app.database import utcnow
from app.exports.builder import build_due_exports
from app.exports.service import sweep_exports
from app.extensions import db
from app.forum.publish import publish_due
from app.intake.purge import purge_registrations
from app.mailer import deliver, describe_backend
from app.moderation.cases import release_stale_claims
from app.moderation.crisis import send_crisis_reminders
from app.notify.digest import send_digests
from app.retention.jobs import run_retention
from app.spaces.departures import end_due_memberships

log = logging.getLogger("kring.worker")
# How often a running worker does the retention jobs (rental warnings, purge, sweeps).
RETENTION_SECONDS = 3600
# The audit trail's retention sweep runs at the start and then once a day.
AUDIT_SWEEP_SECONDS = 24 * 3600


def run_once(now=None) -> dict[str, int]:
    """One round: planned content that is due (its notifications join this round's mail),
    claims left unresolved for 48 hours, reminders of urgent reports nobody picked up,
    digests that are due, memberships past their leaving day, expired registrations, the
    retention jobs (app/retention/jobs.py), audit events past their retention, then one
    batch of mail."""
    now = now or utcnow()
    published = publish_due(now)
    released = release_stale_claims(now)
    reminded = send_crisis_reminders(now)
    digests = send_digests(now)
    departed = end_due_memberships(now)
    intake = purge_registrations(now)
    retention = run_retention(now)
    exports = build_due_exports()
    sweep_exports(now)
    audit = sweep_audit_events(now)
    outcome = deliver(now)
    outcome["digests"] = digests
    outcome["claims_released"] = released
    outcome["crisis_reminders"] = reminded
    outcome["published"] = published
    outcome["memberships_ended"] = departed
    outcome["registrations_purged"] = intake
    outcome.update(retention)
    outcome["exports_built"] = exports
    outcome["audit_events_swept"] = audit
    return outcome


def run(app, stop: threading.Event, interval: float = 5.0) -> None:
    last_digest = 0.0
    last_retention = -RETENTION_SECONDS
    last_audit_sweep = None
    while not stop.is_set():
        with app.app_context():
            try:
                publish_due()  # every round: planned content appears within seconds
                build_due_exports()  # every round: an export someone waits for
                if time.monotonic() - last_digest >= 60:
                    release_stale_claims()
                    send_crisis_reminders()
                    send_digests()
                    end_due_memberships()
                    purge_registrations()
                    sweep_exports()
                    last_digest = time.monotonic()
                if time.monotonic() - last_retention >= RETENTION_SECONDS:
                    run_retention()  # warnings, purge, sweeps: idempotent, so hourly is plenty
                    last_retention = time.monotonic()
                if last_audit_sweep is None or \
                        time.monotonic() - last_audit_sweep >= AUDIT_SWEEP_SECONDS:
                    sweep_audit_events()
                    last_audit_sweep = time.monotonic()
                while True:  # keep sending while full batches come back
                    outcome = deliver()
                    if sum(outcome.values()) == 0 or outcome["retry"]:
                        break
            except Exception:  # keep the loop alive; the next round retries
                log.exception("worker round failed")
                db.session.rollback()
            finally:
                db.session.remove()
        stop.wait(interval)


def announce(app) -> str:
    """The one line a starting worker prints: where mail goes (an unknown backend stops the
    start here, with its name)."""
    line = describe_backend(app.config)
    print(line, flush=True)
    return line


def start_in_background(app, interval: float = 5.0) -> threading.Event:
    announce(app)
    stop = threading.Event()
    thread = threading.Thread(target=run, args=(app, stop, interval), name="kring-worker",
                              daemon=True)
    thread.start()
    return stop
