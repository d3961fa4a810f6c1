"""What both storage backends share: the chunk size streams are copied in, the refusal of a
stream over its limit, and the reader that counts a stream's bytes against that limit."""
from __future__ import annotations

from typing import BinaryIO

CHUNK = 64 * 1024


class TooLarge(Exception):
    """The stream was longer than the limit given to save(); nothing was kept."""


class LimitedReader:
    """Reads `stream` through, counting: TooLarge as soon as more than `limit` bytes came.
    Deliberately has no seek(): an uploader must take it as the stream it is."""

    def __init__(self, stream: BinaryIO, limit: int | None):
        self._stream = stream
        self._limit = limit
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        self.size += len(chunk)
        if self._limit is not None and self.size > self._limit:
            raise TooLarge()
        return chunk
