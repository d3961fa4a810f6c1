"""Reads of uploads: one file for the serving route (scoped by the space in the URL, 404 for
whoever may not see it) and all attachments of a page of posts in one query."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import policy
from app.errors import NotFound
from app.extensions import db
from app.forum.models import Post
from app.policy import Actor
from app.spaces.models import Space
from app.uploads.models import Upload


def get_upload(actor: Actor, space: Space, upload_id: int) -> Upload:
    upload = db.session.scalar(
        select(Upload).where(Upload.id == upload_id, Upload.space_id == space.id)
        .options(joinedload(Upload.post).joinedload(Post.thread)))
    if upload is None or not policy.can_view_upload(actor, upload):
        raise NotFound()
    if upload.post_id is None:
        from app.library.queries import file_hidden  # the library holds the other files

        if file_hidden(actor, upload):
            raise NotFound()
    return upload


def attachments_for_posts(space_id: int, post_ids: list[int]) -> dict[int, list[Upload]]:
    """post id -> its uploads in the order they were sent (one statement for the page)."""
    if not post_ids:
        return {}
    found: dict[int, list[Upload]] = {}
    # Ordered as the index (space_id, post_id) hands them over: no sort, and no reason for
    # the planner to walk the whole table in id order instead.
    for upload in db.session.scalars(
            select(Upload).where(Upload.space_id == space_id, Upload.post_id.in_(post_ids))
            .order_by(Upload.post_id, Upload.id)):
        found.setdefault(upload.post_id, []).append(upload)
    return found
