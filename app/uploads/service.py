"""Upload use cases other parts build on: store a file for a space (sniffed, images cleaned,
limit and quota kept under the space's row lock), attach files to a post, and remove them.
They join the caller's transaction; the files follow it (app/uploads/lifecycle.py)."""
from __future__ import annotations

from typing import Iterable

from flask import current_app, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from werkzeug.datastructures import FileStorage

from app import policy, storage
from app.database import lock_row, transactional, utcnow
from app.errors import ServiceError, require
from app.extensions import db
from app.forum.models import Post
from app.policy import Actor
from app.spaces.models import Space
from app.uploads import images, lifecycle, sniff
from app.uploads.models import Upload
from app.uploads.names import clean_name, extension

MB = 1024 * 1024


def megabytes(n: int) -> str:
    """A limit in MB as people write it: "20", "1,5"."""
    return format_decimal(round(n / MB, 1), format="#,##0.#")


def chosen(files: Iterable[FileStorage] | None) -> list[FileStorage]:
    """The files actually chosen in a file field (a browser sends an empty part for an input
    left empty)."""
    return [f for f in files or () if isinstance(f, FileStorage) and f.filename]


@transactional
def store_upload(actor: Actor, space: Space, file: FileStorage, *, post: Post | None = None,
                 field: str = "file") -> Upload:
    """Store one file for `space`: the refusal (ServiceError at `field`) names what is wrong.
    The file is written before its row and removed again if the transaction does not commit."""
    require(policy.can_upload_file(actor, space))
    config = current_app.config
    name = clean_name(file.filename or "")
    ext = extension(name)
    stream = file.stream
    content_type = sniff.check(stream, name, ext, field)
    width = height = None
    if ext in sniff.IMAGE_EXTENSIONS:
        clean = images.reencode(stream, sniff.ALLOWED[ext][0], name, field,
                                max_side=config["IMAGE_MAX_SIDE"],
                                max_pixels=config["IMAGE_MAX_PIXELS"])
        stream, width, height = clean.data, clean.width, clean.height
    stream.seek(0)
    limit = config["UPLOAD_MAX_BYTES"]
    try:
        key, size = storage.save(space.id, stream, limit=limit)
    except storage.TooLarge:
        raise ServiceError(_("“%(name)s” is larger than the limit of %(n)s MB per file.",
                             name=name, n=megabytes(limit)), field) from None
    lifecycle.written(key)
    try:
        # Under the space's row lock: two uploads at the same moment cannot both pass the
        # quota; the second sees the first one's row.
        lock_row(Space.seat_limit, space.id)
        used = db.session.scalar(select(func.coalesce(func.sum(Upload.size_bytes), 0))
                                 .where(Upload.space_id == space.id))
        quota = config["SPACE_QUOTA_BYTES"]
        if used + size > quota:
            raise ServiceError(_("“%(name)s” does not fit: the group has %(free)s MB of its "
                                 "%(quota)s MB left for files.", name=name,
                                 free=megabytes(max(0, quota - used)),
                                 quota=megabytes(quota)), field)
        upload = Upload(space_id=space.id, uploader_id=actor.membership(space.id).id,
                        post_id=post.id if post is not None else None, original_name=name,
                        content_type=content_type, size_bytes=size, storage_key=key,
                        is_image=width is not None, width=width, height=height,
                        created_at=utcnow())
        db.session.add(upload)
        db.session.flush()
    except BaseException:
        # Also when a caller catches the refusal and commits what else it did.
        storage.delete(key)
        lifecycle.forget(key)
        raise
    return upload


@transactional
def attach_to_post(actor: Actor, post: Post, files: Iterable[FileStorage],
                   *, field: str = "files") -> list[Upload]:
    """Store the chosen files as the post's attachments (within the post's transaction)."""
    files = chosen(files)
    if not files:
        return []
    config = current_app.config
    if len(files) > config["UPLOAD_MAX_FILES"]:
        raise ServiceError(_("At most %(n)d files per message.", n=config["UPLOAD_MAX_FILES"]),
                           field)
    space = db.session.get(Space, post.space_id)
    uploads = [store_upload(actor, space, f, post=post, field=field) for f in files]
    if sum(u.size_bytes for u in uploads) > config["UPLOAD_MAX_BYTES"]:
        raise ServiceError(_("The files together are larger than %(n)s MB. Send them in "
                             "more than one message.", n=megabytes(config["UPLOAD_MAX_BYTES"])),
                           field)
    return uploads


@transactional
def remove_upload(upload: Upload) -> None:
    """The row goes now; the file once that has committed. Callers check policy."""
    lifecycle.delete_after_commit(upload.storage_key)
    db.session.delete(upload)


@transactional
def remove_post_uploads(post: Post) -> None:
    """A post deleted or removed for good takes its files along."""
    keys = db.session.scalars(select(Upload.storage_key).where(
        Upload.post_id == post.id, Upload.space_id == post.space_id)).all()
    for key in keys:
        lifecycle.delete_after_commit(key)
    db.session.execute(delete(Upload).where(Upload.post_id == post.id,
                                            Upload.space_id == post.space_id))


def upload_url(space: Space, upload: Upload) -> str:
    return url_for("uploads.file", slug=space.slug, upload_id=upload.id,
                   filename=upload.original_name)
