"""Reads of uploads: one file for the serving route (scoped by the space in the URL, 404 for
whoever may not see it) and all attachments of a page of posts in one query."""
from __future__ import annotations

from collections import namedtuple

from sqlalchemy import bindparam, select
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


_UPLOAD = Upload.__table__.c
# An upload as a page of posts shows it (templates/uploads/_attachment.html): plain columns
# from a statement built once, not Upload objects (issue 12: the thread page's hot path).
AttachmentRow = namedtuple("AttachmentRow", [column.key for column in _UPLOAD])
# Ordered as the index (space_id, post_id) hands them over: no sort, and no reason for the
# planner to walk the whole table in id order instead.
_ATTACHMENTS = (select(*_UPLOAD)
                .where(_UPLOAD.space_id == bindparam("space_id"),
                       _UPLOAD.post_id.in_(bindparam("post_ids", expanding=True)))
                .order_by(_UPLOAD.post_id, _UPLOAD.id))


def attachments_for_posts(space_id: int, post_ids: list[int]) -> dict[int, list[AttachmentRow]]:
    """post id -> its uploads in the order they were sent (one statement for the page)."""
    if not post_ids:
        return {}
    found: dict[int, list[AttachmentRow]] = {}
    for row in db.session.execute(_ATTACHMENTS, {"space_id": space_id, "post_ids": post_ids}):
        upload = AttachmentRow(*row)
        found.setdefault(upload.post_id, []).append(upload)
    return found
