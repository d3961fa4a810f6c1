"""Upload rows: one stored file of a space, who sent it, what it really is, and the post it
is attached to (if any). The bytes live in app/storage/ under `storage_key`."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.forum.models import Post

IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
# Shown in the browser rather than downloaded: images, and PDF (the browser's own viewer).
INLINE_TYPES = (*IMAGE_TYPES, "application/pdf")


class Upload(db.Model):
    __tablename__ = "uploads"
    # The thread page asks for the files of its posts within the space (as reactions).
    __table_args__ = (Index("ix_uploads_space_post", "space_id", "post_id"),
                      {"sqlite_autoincrement": True})  # ids in links are never reused

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    uploader_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"))
    # The post it is attached to; None for files other parts hold (a library item).
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"),
                                                index=True)
    # As the sender named it, for display only (cleaned: no path, no control characters).
    original_name: Mapped[str] = mapped_column(String(200))
    # The type sniffed from the bytes (never the browser's word for it).
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    storage_key: Mapped[str] = mapped_column(String(100), unique=True)
    is_image: Mapped[bool] = mapped_column(default=False)
    width: Mapped[int | None]
    height: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    post: Mapped[Post | None] = relationship(lazy="raise_on_sql")

    @property
    def inline(self) -> bool:
        return self.content_type in INLINE_TYPES
