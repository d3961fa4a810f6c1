"""Moderation rows: members' flags, the case (the flag group on one post) that moderators
claim and resolve, private notices to authors, and the append-only moderation log."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.append_only import make_append_only
from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.log_pseudonyms import allow_pseudonyms

# Why a member flags a post. Labels: app/moderation/labels.py.
CONCERN = "concern"  # worried about someone's safety: the crisis reason
HURTFUL = "hurtful"
PRIVACY = "privacy"
SPAM = "spam"
OTHER = "other"  # the only reason whose note is required
REASONS = (CONCERN, HURTFUL, PRIVACY, SPAM, OTHER)
# Reasons that count towards automatic hiding: never a cry for help.
RULE_REASONS = frozenset({HURTFUL, PRIVACY, SPAM, OTHER})

# A flag's state. Open flags are one per member per post (a partial unique index).
FLAG_OPEN = "open"
FLAG_WITHDRAWN = "withdrawn"
FLAG_HANDLED = "handled"

# What resolving a case did; several combine (stored comma-separated on the case).
NO_ACTION = "none"
HIDE = "hide"
EDIT = "edit"
LOCK = "lock"
WARN = "warn"
SUSPEND = "suspend"
OUTCOMES = (NO_ACTION, HIDE, EDIT, LOCK, WARN, SUSPEND)

# How a post came to be hidden.
BY_FLAGS = "flags"  # automatically, after enough flaggers
BY_CASE = "case"  # as the outcome of a case
DIRECT = "direct"  # taken down without a flag (item 6)

DEFAULT_AUTO_HIDE = 3

OPEN_CASE = text("resolved_at IS NULL")
OPEN_FLAG = text("state = 'open'")


class ModerationCase(db.Model):
    """All flags on one post while it waits for a moderator: claimed, released, taken over
    and resolved as one. At most one open case per post (a partial unique index), so two
    first flags at the same moment join the same case."""

    __tablename__ = "moderation_cases"
    __table_args__ = (
        Index("uq_moderation_cases_open_post", "post_id", unique=True,
              sqlite_where=OPEN_CASE, postgresql_where=OPEN_CASE),
        Index("ix_moderation_cases_space_open", "space_id", "resolved_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    # The post's author, copied so the policy can refuse "your own post" without a query.
    post_author_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A crisis flag ("zorgen om iemand") is in it: sorts first, notifies everyone at once.
    is_urgent: Mapped[bool] = mapped_column(default=False)
    # The post was hidden automatically by enough flaggers and waits for a decision.
    is_auto_hidden: Mapped[bool] = mapped_column(default=False)
    claimed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The first claim ever (for "picked up" and the median time to claim).
    first_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last time the crisis notice went out again unclaimed (item 2's reminder).
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL"))
    outcomes: Mapped[str] = mapped_column(String(60), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def outcome_list(self) -> list[str]:
        return [o for o in self.outcomes.split(",") if o]


class Flag(db.Model):
    """One member's flag on one post. The flagger is known only to those who may act."""

    __tablename__ = "flags"
    __table_args__ = (
        Index("uq_flags_open_per_member", "post_id", "flagger_id", unique=True,
              sqlite_where=OPEN_FLAG, postgresql_where=OPEN_FLAG),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("moderation_cases.id", ondelete="CASCADE"),
                                         index=True)
    flagger_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"),
                                            index=True)
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(12), default=FLAG_OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MemberNotice(db.Model):
    """A private message from the moderators to one member (a warning), shown in the app;
    its email says only that there is a message."""

    __tablename__ = "member_notices"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"),
                                               index=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderation_cases.id", ondelete="SET NULL"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ModerationLog(db.Model):
    """Append-only: who did what, when and why. People and objects are plain ids (no
    foreign keys) with the names copied, so the record outlives them; post text is never
    copied in (an edit points at its revision), so removing a post for good leaves no text
    here. Rows go only with their space (the purge of a whole space)."""

    __tablename__ = "moderation_log"
    __table_args__ = (
        Index("ix_moderation_log_space_created", "space_id", "created_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(30))
    # Who acted (None: Kring itself, e.g. automatic hiding or an expired claim).
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(60), default="")
    # Whom it concerned (the author, the suspended member), if anyone.
    subject_id: Mapped[int | None] = mapped_column(Integer)
    subject_name: Mapped[str] = mapped_column(String(60), default="")
    case_id: Mapped[int | None] = mapped_column(Integer)
    thread_id: Mapped[int | None] = mapped_column(Integer)
    post_id: Mapped[int | None] = mapped_column(Integer)
    # Why, in the moderator's words (or the flag reason's key).
    reason: Mapped[str] = mapped_column(Text, default="")
    # What exactly, as short "key=value" pairs (outcomes, until, revision ids); never post text.
    detail: Mapped[str] = mapped_column(Text, default="")


# The database itself refuses to change or delete its rows (app/append_only.py).
make_append_only(ModerationLog.__table__)
# Except one change: an erased member's name becomes their pseudonym (app/log_pseudonyms.py).
allow_pseudonyms(ModerationLog.__table__)
