"""Forum rows. Every row carries `space_id` so each query is scoped by the space in the URL."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.search.index import keep_search_index
from app.spaces.models import Membership

DISCUSSION = "discussion"
ANNOUNCEMENT = "announcement"
ASSIGNMENT = "assignment"
STATEMENT = "statement"
THREAD_KINDS = (DISCUSSION, ANNOUNCEMENT, ASSIGNMENT, STATEMENT)
# Kinds with which facilitators seed the space (see policy.can_start_thread).
SEED_KINDS = (ANNOUNCEMENT, ASSIGNMENT, STATEMENT)

# A small fixed set of supportive reactions: key -> emoji. Labels: app/forum/labels.py.
REACTIONS = {"support": "💛", "thanks": "🙏", "recognise": "🤝", "strong": "💪", "laugh": "😊"}

# Rows still waiting for their publication time (app/forum/schedule.py).
PLANNED = text("publish_at IS NOT NULL")

POSTS_PER_PAGE = 50
THREADS_PER_PAGE = 30


class Thread(db.Model):
    __tablename__ = "threads"
    # The space home's lists, newest activity first, read from the index in order (id breaks
    # ties, as the ORDER BY does): all conversations, and one kind's tab.
    __table_args__ = (Index("ix_threads_space_activity", "space_id", "is_pinned", "last_post_at",
                            "id"),
                      Index("ix_threads_space_kind_activity", "space_id", "kind", "is_pinned",
                            "last_post_at", "id"),
                      # Only planned threads: the worker's "what is due" and /planned.
                      Index("ix_threads_planned", "publish_at", sqlite_where=PLANNED,
                            postgresql_where=PLANNED),
                      {"sqlite_autoincrement": True})  # ids in links are never reused

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20), default=DISCUSSION)
    title: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_post_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Posts are numbered 1..post_count within their thread; the number gives the page and the
    # read position without counting rows.
    post_count: Mapped[int] = mapped_column(default=0)
    is_pinned: Mapped[bool] = mapped_column(default=False)
    is_locked: Mapped[bool] = mapped_column(default=False)
    title_edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when the author deleted the opening post: the title is no longer shown anywhere.
    title_removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Hidden by a moderator: members see "conversation hidden by a facilitator" instead.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str] = mapped_column(Text, default="")
    # Set while the thread waits for its publication time (app/forum/schedule.py): only the
    # group's leads see it until then. NULL once published (or never planned).
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[Membership] = relationship(lazy="raise_on_sql", foreign_keys=[author_id])


class ThreadTitleRevision(db.Model):
    """A title a thread had before an edit: since when it was shown, and who replaced it."""

    __tablename__ = "thread_title_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"),
                                           index=True)
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    replaced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL"))


class Post(db.Model):
    __tablename__ = "posts"
    __table_args__ = (UniqueConstraint("thread_id", "number"),
                      Index("ix_posts_planned", "publish_at", sqlite_where=PLANNED,
                            postgresql_where=PLANNED),
                      # A reply's check for a resent form and its "who took part": one
                      # author's posts in the thread, not all of them (issue 12).
                      Index("ix_posts_thread_author", "thread_id", "author_id", "created_at"),
                      {"sqlite_autoincrement": True})  # ids in links are never reused

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    # NULL only for a planned reply: it gets the next number when it is published.
    number: Mapped[int | None]
    author_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who made the last edit when it was not the author (a moderator's edit).
    edited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL"))
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Hidden by moderation: the group sees "hidden by a facilitator", the author sees the text
    # with the reason and may ask for another look. Source: app/moderation/models.py BY_*.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str] = mapped_column(Text, default="")
    hidden_source: Mapped[str] = mapped_column(String(10), default="")
    review_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Removed for good by a facilitator: text and revisions erased, only the log remains.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The post this one quotes ("citeer"), in the same thread. A reference, never a copy: the
    # quote is drawn from the quoted post each time, so hiding or deleting that post hides
    # the quote too (app/forum/quotes.py).
    quote_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL"))
    # Set while the post waits for its publication time: a planned reply (number NULL), or
    # the opening post of a planned thread. NULL once published.
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[Membership] = relationship(lazy="raise_on_sql", foreign_keys=[author_id])
    thread: Mapped[Thread] = relationship(lazy="raise_on_sql")


keep_search_index(Post.__table__)


class PostRevision(db.Model):
    """The text a post had before an edit."""

    __tablename__ = "post_revisions"
    __table_args__ = ({"sqlite_autoincrement": True},)  # ids in links are never reused

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Who replaced this text (the author, or a moderator whose edit is recorded as such).
    replaced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("memberships.id", ondelete="SET NULL"))


class Reaction(db.Model):
    __tablename__ = "reactions"
    # The thread page asks for the reactions of its posts within the space: (space_id,
    # post_id) answers exactly that; an index on space_id alone read every reaction of the
    # space (at 1 M posts, most of the thread page's time).
    __table_args__ = (UniqueConstraint("post_id", "membership_id", "kind"),
                      Index("ix_reactions_space_post", "space_id", "post_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReadState(db.Model):
    """How far a member has read a thread: the highest post number seen."""

    __tablename__ = "read_states"
    __table_args__ = (UniqueConstraint("thread_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    last_read_number: Mapped[int] = mapped_column(default=0)
