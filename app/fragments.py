"""Rendered HTML fragments kept in-process: a thread-safe LRU whose keys carry everything a
fragment shows, so an entry is never stale (a change makes a new key; the old one ages out)
and several processes need no shared invalidation. Used by app/forum/post_blocks.py,
app/forum/home_rows.py, app/forum/reply_form.py, app/navigation.py and app/frame.py
(issue 12)."""
from __future__ import annotations

import secrets
import threading
from collections import OrderedDict

from flask_wtf.csrf import generate_csrf

from app.headers import csp_nonce

# Kept blocks are rendered with these stand-ins for the two per-request values, the reader's
# CSRF token and the response's script nonce, which splice_response puts in once per page:
# one block then serves every reader who sees it alike. Random per process and never sent
# out (every HTML response is spliced), so no text a member writes can contain them.
TOKEN = f"csrf-{secrets.token_hex(16)}"
NONCE = f"nonce-{secrets.token_hex(16)}"
_TOKEN, _NONCE = TOKEN.encode(), NONCE.encode()


def splice_response(response):
    """after_request: the reader's token and this response's nonce in place of the stand-ins
    the page's kept blocks carry. Once per page, not once per block: a page of 50 posts has
    as many blocks."""
    if (response.mimetype != "text/html" or response.direct_passthrough
            or response.is_streamed):
        return response
    body = response.get_data()
    spliced = body
    if _TOKEN in spliced:
        spliced = spliced.replace(_TOKEN, generate_csrf().encode())
    if _NONCE in spliced:
        spliced = spliced.replace(_NONCE, csp_nonce().encode())
    if spliced is not body:
        response.set_data(spliced)
    return response


class BlockCache:
    """A thread-safe LRU of rendered blocks (waitress serves from several threads)."""

    def __init__(self, size: int):
        self.size = size
        self._blocks: OrderedDict[tuple, str] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple) -> str | None:
        with self._lock:
            block = self._blocks.get(key)
            if block is None:
                self.misses += 1
                return None
            self._blocks.move_to_end(key)
            self.hits += 1
            return block

    def put(self, key: tuple, block: str) -> None:
        with self._lock:
            self._blocks[key] = block
            if len(self._blocks) > self.size:
                self._blocks.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._blocks.clear()
            self.hits = self.misses = 0
