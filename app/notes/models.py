"""Note rows and the access record. The record holds who, when, which member and what kind
of access; never a note's text. It is append-only in the database (triggers), like the
moderation log: rows go only with their space."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.append_only import make_append_only
from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.log_pseudonyms import allow_pseudonyms

NOTE_MAX = 2_000

# What the record says happened.
READ = "read"
WRITE = "write"
REMOVE = "remove"
EXPORT = "export"
ERASE = "erase"  # the membership ended: every note about the member deleted
ACCESS_KINDS = (READ, WRITE, REMOVE, EXPORT, ERASE)


class MemberNote(db.Model):
    __tablename__ = "member_notes"
    __table_args__ = ({"sqlite_autoincrement": True},)  # ids in links are never reused

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    # The member the note is about; the note goes with the membership (app/notes/service.py
    # erase_notes), and with the row should it ever be deleted.
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(60), default="")
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NoteAccess(db.Model):
    """Append-only. People are plain ids (no foreign keys) with the names copied, so the
    record outlives the notes and the memberships."""

    __tablename__ = "note_access_log"
    __table_args__ = (
        Index("ix_note_access_log_space_subject", "space_id", "subject_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(10))
    actor_id: Mapped[int | None] = mapped_column(Integer)  # None: Kring itself
    actor_name: Mapped[str] = mapped_column(String(60), default="")
    subject_id: Mapped[int] = mapped_column(Integer)
    subject_name: Mapped[str] = mapped_column(String(60), default="")
    # How many notes the access concerned (read, exported, erased); never their text.
    note_count: Mapped[int] = mapped_column(default=0)


# The database itself refuses to change or delete its rows (app/append_only.py).
make_append_only(NoteAccess.__table__)
# Except one change: an erased member's name becomes their pseudonym (app/log_pseudonyms.py).
allow_pseudonyms(NoteAccess.__table__)
