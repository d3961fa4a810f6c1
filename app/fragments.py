"""Rendered HTML fragments kept in-process: a thread-safe LRU whose keys carry everything a
fragment shows, so an entry is never stale (a change makes a new key; the old one ages out)
and several processes need no shared invalidation. Used by app/forum/post_blocks.py,
app/forum/home_rows.py, app/forum/reply_form.py, app/navigation.py and app/frame.py
(issue 12)."""
from __future__ import annotations

import secrets
import threading
from collections import OrderedDict

# Kept blocks are rendered with these stand-ins for the two per-request values, the reader's
# CSRF token and the response's script nonce, which are spliced in on every request: one
# block then serves every reader who sees it alike. Random per process, so no text a member
# writes can contain them.
TOKEN = f"csrf-{secrets.token_hex(16)}"
NONCE = f"nonce-{secrets.token_hex(16)}"


def spliced(block: str, token: str | None = None, nonce: str | None = None) -> str:
    """A kept block with this request's token and nonce (where the block has a form or a
    script)."""
    if token is not None:
        block = block.replace(TOKEN, token)
    return block.replace(NONCE, nonce) if nonce is not None else block


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
