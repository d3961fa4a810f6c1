"""Rows of the facilitators' line: one conversation per member of a space (the member and
the group's leads), its messages, and how far each reader has read it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.spaces.models import Membership


class LineConversation(db.Model):
    """A member's line to the facilitators. Keyed by the member's membership: a member has
    one line per group, whoever wrote first."""

    __tablename__ = "line_conversations"
    __table_args__ = ({"sqlite_autoincrement": True},)  # ids are never reused

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), unique=True)
    started_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Kept by the service with every message: the leads' list reads unread markers and order
    # from here, without counting messages per row.
    message_count: Mapped[int] = mapped_column(default=0)
    last_message_id: Mapped[int] = mapped_column(default=0)
    last_message_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    member: Mapped[Membership] = relationship(foreign_keys=[membership_id], lazy="raise_on_sql")


class LineMessage(db.Model):
    __tablename__ = "line_messages"
    # Ids only grow: a reader's position is the id of the last message they saw.
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("line_conversations.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LineRead(db.Model):
    """How far one reader (the member or one of the leads) has read one conversation."""

    __tablename__ = "line_reads"

    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("line_conversations.id", ondelete="CASCADE"), primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    last_read_id: Mapped[int] = mapped_column(default=0)
