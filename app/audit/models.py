"""The audit trail: who did what, when (UTC) and from where (a truncated address), never any
content. Append-only: the app never updates or deletes a row (the database refuses it),
except the retention sweep removing rows older than AUDIT_RETENTION_DAYS."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, utcnow
from app.extensions import db


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
