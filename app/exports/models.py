"""Exports made in the background by the worker: a member's own data (/account/export) and a
facilitator's copy of a whole space before it is purged. The zip lives in storage until
`expires_at`; the download link carries a random token of which only the SHA-256 is kept."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, utcnow
from app.extensions import db

PERSONAL = "personal"
SPACE = "space"
# The life of an export: queued → running (progress 0..100) → ready | failed; expired once
# its file is removed.
QUEUED, RUNNING, READY, FAILED, EXPIRED = "queued", "running", "ready", "failed", "expired"


class DataExport(db.Model):
    __tablename__ = "data_exports"
    __table_args__ = ({"sqlite_autoincrement": True},)  # ids in links are never reused

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Set for a space export (kind SPACE), NULL for a personal one.
    space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"),
                                                 index=True)
    kind: Mapped[str] = mapped_column(String(10), default=PERSONAL)
    status: Mapped[str] = mapped_column(String(10), default=QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The zip's key in app/storage/ once it is written.
    file_key: Mapped[str] = mapped_column(String(120), default="")
    size_bytes: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
