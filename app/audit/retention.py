"""The audit trail's retention sweep (the worker, about once a day): events older than
AUDIT_RETENTION_DAYS are deleted. The only DELETE the database lets through (app/audit/models.py)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import delete

from app.audit.models import RETENTION_FLOOR_DAYS, AuditEvent
from app.database import transactional, utcnow
from app.extensions import db


@transactional
def sweep_audit_events(now: datetime | None = None) -> int:
    """Delete the events past the retention period; the number deleted."""
    days = max(current_app.config["AUDIT_RETENTION_DAYS"], RETENTION_FLOOR_DAYS)
    cutoff = (now or utcnow()) - timedelta(days=days)
    # Never ask for a row the database counts as young: its trigger judges by its own clock,
    # which tests that move Kring's clock (set_clock_offset) do not move. An hour of margin
    # covers a database server whose clock runs a little behind.
    floor = datetime.now(timezone.utc) - timedelta(days=RETENTION_FLOOR_DAYS, hours=1)
    cutoff = min(cutoff, floor)
    return db.session.execute(delete(AuditEvent).where(AuditEvent.at < cutoff)).rowcount
