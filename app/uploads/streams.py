"""The request class that receives uploaded files: each file part is spooled to a temporary
file (never whole in memory) and refused with 413 as soon as it passes the per-file limit,
before it can fill the disk."""
from __future__ import annotations

from tempfile import SpooledTemporaryFile

from flask import Request, current_app
from werkzeug.exceptions import RequestEntityTooLarge

SPOOL_IN_MEMORY = 500 * 1024


class LimitedSpool(SpooledTemporaryFile):
    def __init__(self, limit: int):
        super().__init__(max_size=SPOOL_IN_MEMORY, mode="w+b")
        self._limit, self._written = limit, 0

    def write(self, data) -> int:
        self._written += len(data)
        if self._written > self._limit:
            self.close()
            raise RequestEntityTooLarge()
        return super().write(data)


class UploadRequest(Request):
    def _get_file_stream(self, total_content_length, content_type, filename=None,
                         content_length=None):
        return LimitedSpool(current_app.config["UPLOAD_MAX_BYTES"])
