"""The audit trail: who did what, when (UTC) and from where (a truncated address), never any
content. Append-only: the app never updates or deletes a row (the database refuses it),
except the retention sweep removing rows older than AUDIT_RETENTION_DAYS."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.append_only import make_append_only, older_than
from app.database import UTCDateTime, utcnow
from app.extensions import db

# No event younger than this can be deleted, whatever AUDIT_RETENTION_DAYS says (config.py
# refuses a lower setting; the database refuses the DELETE).
RETENTION_FLOOR_DAYS = 30


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_space_at", "space_id", "at"),
                      Index("ix_audit_events_at", "at"),
                      {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    event: Mapped[str] = mapped_column(String(30))  # app/audit/events.py
    # Plain user and space ids, no foreign keys: the trail outlives an erased account (whose
    # id is then a pseudonym) and a purged space.
    actor_user_id: Mapped[int | None] = mapped_column(Integer)
    subject_user_id: Mapped[int | None] = mapped_column(Integer)
    space_id: Mapped[int | None] = mapped_column(Integer)
    ip_prefix: Mapped[str] = mapped_column(String(45), default="")
    # A short machine-readable detail ("member→co_facilitator"), never user text.
    detail: Mapped[str] = mapped_column(String(200), default="")


# The database itself refuses every UPDATE, and every DELETE of a row younger than the floor:
# only the retention sweep (app/audit/retention.py) deletes, and only old rows.
DELETE_WHEN = older_than("at", RETENTION_FLOOR_DAYS)
make_append_only(AuditEvent.__table__, DELETE_WHEN)
