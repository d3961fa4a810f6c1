"""The audit trail is append-only in the database itself (ASVS 5.0 V16.4.2: logs protected
from modification): every UPDATE is refused, a DELETE only passes for events older than the
30-day floor, and the retention sweep removes exactly the events past AUDIT_RETENTION_DAYS.
On SQLite and PostgreSQL, with the tables made by create_all and by the migrations."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from flask_migrate import upgrade
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app import create_app
from app.audit import events
from app.audit.models import AuditEvent
from app.audit.retention import sweep_audit_events
from app.extensions import db


def _now():
    return datetime.now(timezone.utc)


def _event(days_old: float, event: str = events.LOGIN) -> int:
    row = AuditEvent(event=event, at=_now() - timedelta(days=days_old), actor_user_id=1,
                     subject_user_id=1, ip_prefix="192.0.2.0/24", detail="")
    db.session.add(row)
    db.session.commit()
    return row.id


def _refused(statement: str, **params) -> bool:
    try:
        db.session.execute(text(statement), params)
        db.session.commit()
    except DBAPIError:
        db.session.rollback()
        return True
    return False


def test_database_refuses_to_update_an_audit_event(app):
    with app.app_context():
        young, old = _event(0), _event(400)
        assert _refused("UPDATE audit_events SET detail = 'changed' WHERE id = :id", id=young)
        assert _refused("UPDATE audit_events SET actor_user_id = 99 WHERE id = :id", id=old)
        assert _refused("UPDATE audit_events SET at = at WHERE id = :id", id=old)
        assert {e.detail for e in db.session.scalars(db.select(AuditEvent))} == {""}


def test_database_refuses_to_delete_an_event_younger_than_thirty_days(app):
    with app.app_context():
        ids = [_event(0), _event(29)]
        for event_id in ids:
            assert _refused("DELETE FROM audit_events WHERE id = :id", id=event_id)
        assert _refused("DELETE FROM audit_events")  # one young row stops the whole statement
        assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)) == 2


def test_database_lets_an_event_older_than_thirty_days_go(app):
    with app.app_context():
        old = _event(31)
        assert not _refused("DELETE FROM audit_events WHERE id = :id", id=old)
        assert db.session.get(AuditEvent, old) is None


def test_retention_sweep_deletes_only_events_past_the_retention_period(app):
    app.config["AUDIT_RETENTION_DAYS"] = 90
    with app.app_context():
        past = [_event(400), _event(91)]
        kept = [_event(89), _event(31), _event(0)]
        assert sweep_audit_events() == 2
        left = set(db.session.scalars(db.select(AuditEvent.id)))
        assert left == set(kept) and not left & set(past)


def test_worker_round_runs_the_retention_sweep(app):
    from app.notify.worker import run_once

    with app.app_context():
        _event(366), _event(1)
        assert run_once()["audit_events_swept"] == 1
        assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)) == 1


def test_sweep_with_kring_clock_moved_ahead_never_asks_for_a_young_row(app, clock):
    """Tests (and a server whose clock jumps) may run Kring's clock ahead of the database's:
    the sweep stays behind the database's own 30-day floor instead of failing."""
    with app.app_context():
        _event(0)
        clock.move(timedelta(days=800))
        assert sweep_audit_events() == 0


def test_retention_setting_below_thirty_days_is_refused():
    with pytest.raises(RuntimeError, match="AUDIT_RETENTION_DAYS"):
        create_app("test", AUDIT_RETENTION_DAYS=29)
    create_app("test", AUDIT_RETENTION_DAYS=30)  # the floor itself is fine


@pytest.fixture(params=["sqlite", "postgresql"])
def migrated_url(request, tmp_path):
    if request.param == "postgresql":
        return request.getfixturevalue("pg_cluster").create_database("kring_audit_migrated")
    return f"sqlite:///{tmp_path / 'migrated.db'}"


def test_migrations_give_the_audit_trail_the_same_triggers(migrated_url):
    app = create_app("test", DATABASE_URL=migrated_url)
    with app.app_context():
        upgrade()
        young, old = _event(0), _event(45)
        assert _refused("UPDATE audit_events SET detail = 'x' WHERE id = :id", id=old)
        assert _refused("DELETE FROM audit_events WHERE id = :id", id=young)
        assert not _refused("DELETE FROM audit_events WHERE id = :id", id=old)
        db.session.remove()
        db.engine.dispose()
