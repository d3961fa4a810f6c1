"""Library rows: a space's own categories and its material (file, link or video). Every row
carries `space_id`, so each query is scoped by the space in the URL."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.forum.models import Thread
from app.spaces.models import Membership
from app.uploads.models import Upload

FILE = "file"
LINK = "link"
VIDEO = "video"
KINDS = (FILE, LINK, VIDEO)

# Categories every library has (labels: app/library/labels.py); a space's own categories are
# LibraryCategory rows, chosen in forms and filters by their id.
TIPS = "tips"
ASSIGNMENTS = "assignments"
VIDEOS = "videos"
FROM_GROUP = "group"
BUILTIN_CATEGORIES = (TIPS, ASSIGNMENTS, VIDEOS, FROM_GROUP)

ITEMS_PER_PAGE = 20
CATEGORY_NAME_MAX = 60
DESCRIPTION_MAX = 2_000
URL_MAX = 2_000


class LibraryCategory(db.Model):
    """A category a lead of the group added to the built-in ones."""

    __tablename__ = "library_categories"
    __table_args__ = (UniqueConstraint("space_id", "name"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(CATEGORY_NAME_MAX))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LibraryItem(db.Model):
    __tablename__ = "library_items"
    __table_args__ = (Index("ix_library_items_space_created", "space_id", "created_at"),
                      {"sqlite_autoincrement": True})  # ids in links are never reused

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    # Link and video items: the address, checked like links in posts (http and https only).
    url: Mapped[str] = mapped_column(String(URL_MAX), default="")
    # File items: the stored file (app/uploads); removed with the item.
    upload_id: Mapped[int | None] = mapped_column(
        ForeignKey("uploads.id", ondelete="SET NULL"), unique=True)
    # One of BUILTIN_CATEGORIES, or NULL with category_id naming the space's own category.
    # A removed item keeps neither (so its category can go once nothing live uses it).
    category: Mapped[str | None] = mapped_column(String(20))
    # No ON DELETE action: a category in use cannot go (checked at the end of the statement,
    # so purging a whole space, which cascades to both tables, still works).
    category_id: Mapped[int | None] = mapped_column(ForeignKey("library_categories.id"),
                                                    index=True)
    # Marked by a lead as "from the facilitators" (members' items never are).
    from_leads: Mapped[bool] = mapped_column(default=False)
    # The item's conversation, opened by the first "bespreek dit"; it outlives the item.
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Planned material: until this moment only those who may see planned content see it
    # (app/policy/library.py can_view_planned); the list orders by it once it has passed.
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Removed by its author or a lead: title, text, address and file are gone; the row stays
    # so the item's conversation can say what happened to it.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[Membership] = relationship(lazy="raise_on_sql", foreign_keys=[author_id])
    own_category: Mapped[LibraryCategory | None] = relationship(lazy="raise_on_sql")
    thread: Mapped[Thread | None] = relationship(lazy="raise_on_sql")
    upload: Mapped[Upload | None] = relationship(lazy="raise_on_sql")


# The library list: a space's live items newest first by the moment they were listed
# (app/library/queries.listed_at), read in index order instead of sorting every item.
Index("ix_library_items_listed", LibraryItem.space_id,
      func.coalesce(LibraryItem.publish_at, LibraryItem.created_at), LibraryItem.id,
      sqlite_where=LibraryItem.deleted_at.is_(None),
      postgresql_where=LibraryItem.deleted_at.is_(None))
