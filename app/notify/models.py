"""Notification rows: in-app notifications, each member's preferences per space and digest
bookkeeping. The outbox lives in app/notify/outbox.py (re-exported here for old imports)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.notify.outbox import DEAD, PENDING, SENDING, SENT, OutboxMessage  # noqa: F401

# Preference categories, one column each in NotificationSettings. What happened
# (Notification.kind) and the category it falls under: app/notify/kinds.py.
CATEGORIES = ("replies", "facilitator", "members", "flags", "meetings", "line", "intake",
              "rental")

# Delivery modes per category.
DIRECT = "direct"
DAILY = "daily"
WEEKLY = "weekly"
NEVER = "never"
MODES = (DIRECT, DAILY, WEEKLY, NEVER)
DEFAULT_MODES = {"replies": DIRECT, "facilitator": DAILY, "members": DAILY, "flags": DAILY,
                 "meetings": DIRECT, "line": DIRECT, "intake": DAILY,
                 "rental": DIRECT}
DEFAULT_DIGEST_HOUR = 8
UNREAD = text("read_at IS NULL")


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at", "created_at"),
                      # /notifications: a reader's newest first, read in index order.
                      Index("ix_notifications_user_created", "user_id", "created_at", "id"),
                      # Reading or replying marks a member's unread ones in the thread read.
                      Index("ix_notifications_unread_thread", "membership_id", "thread_id",
                            sqlite_where=UNREAD, postgresql_where=UNREAD),
                      {"sqlite_autoincrement": True})  # ids are in email links: never reused

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    # The member the notification is about (who replied, who joined), shown in the app only.
    about_id: Mapped[int | None] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when a direct email or a digest has covered this notification.
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NotificationSettings(db.Model):
    """One member's choices for one space; a missing row means the defaults."""

    __tablename__ = "notification_settings"

    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    replies: Mapped[str] = mapped_column(String(10), default=DEFAULT_MODES["replies"])
    facilitator: Mapped[str] = mapped_column(String(10), default=DEFAULT_MODES["facilitator"])
    members: Mapped[str] = mapped_column(String(10), default=DEFAULT_MODES["members"])
    flags: Mapped[str] = mapped_column(String(10), default=DEFAULT_MODES["flags"])
    meetings: Mapped[str] = mapped_column(String(10), default=DEFAULT_MODES["meetings"])
    line: Mapped[str] = mapped_column(String(10), default=DEFAULT_MODES["line"])
    intake: Mapped[str] = mapped_column(String(10), default=DEFAULT_MODES["intake"])
    rental: Mapped[str] = mapped_column(String(10), default=DEFAULT_MODES["rental"])
    # Local hour (Europe/Amsterdam) at which daily and weekly digests go out.
    digest_hour: Mapped[int] = mapped_column(default=DEFAULT_DIGEST_HOUR)
    # Say "je groep" instead of the space's name in email subjects and bodies.
    # On by default: a lock screen or a shared mailbox should not show which group this is.
    neutral_label: Mapped[bool] = mapped_column(default=True)

    @classmethod
    def defaults(cls, membership_id: int, space_id: int | None = None) -> "NotificationSettings":
        """Unsaved settings with the defaults, for a member who never changed anything
        (column defaults only apply on insert)."""
        return cls(membership_id=membership_id, space_id=space_id, **DEFAULT_MODES,
                   digest_hour=DEFAULT_DIGEST_HOUR, neutral_label=True)


class DigestRun(db.Model):
    """When a user last got a digest of a period, so each period sends at most one."""

    __tablename__ = "digest_runs"
    __table_args__ = (UniqueConstraint("user_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(10))
    last_sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
