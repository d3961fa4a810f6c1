"""Serving stored files: only to members who may see them, with the sniffed type, never
sniffed again by the browser, inline only for images and PDF, in a sandbox."""
from __future__ import annotations

from flask import Blueprint, Response, current_app

from app import storage
from app.errors import NotFound
from app.spaces.access import space_page
from app.uploads import queries
from app.uploads.names import content_disposition

bp = Blueprint("uploads", __name__)

# A served file is a document of its own: no script runs in it, nothing loads from it, no
# page frames it. (Cache-Control stays no-store, as for every page: a member's photo must not
# stay behind in a shared computer's cache.)
FILE_CSP = ("default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; "
            "sandbox; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")


@bp.get("/s/<slug>/files/<id:upload_id>/<filename>")
@space_page
def file(space, actor, upload_id: int, filename: str):
    upload = queries.get_upload(actor, space, upload_id)
    if filename != upload.original_name:
        raise NotFound()
    try:
        handle = storage.open(upload.storage_key)
    except FileNotFoundError:
        current_app.logger.warning("upload %s has no file", upload.id)
        raise NotFound() from None
    # Werkzeug adds "; charset=utf-8" to text/plain itself (text is stored as checked UTF-8).
    response = Response(_chunks(handle), mimetype=upload.content_type, direct_passthrough=True)
    response.content_length = upload.size_bytes
    response.headers["Content-Disposition"] = content_disposition(
        upload.original_name, inline=upload.inline)
    response.headers["Content-Security-Policy"] = FILE_CSP
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def _chunks(handle):
    with handle:
        while chunk := handle.read(storage.CHUNK):
            yield chunk
