"""Static files are linked with a digest of their content (?v=...), so the reverse proxy may let
browsers keep them for a year (deploy/nginx/kring.conf): a changed file is a new address, and
every process of an installation computes the same one from the same file."""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache

from flask import Flask


@lru_cache(maxsize=256)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    # Keyed by modification time and size too: a file replaced while running gets a new digest.
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(64 * 1024), b""):
            sha.update(chunk)
    return sha.hexdigest()[:12]


def version_of(folder: str, filename: str) -> str | None:
    path = os.path.join(folder, filename)
    try:
        found = os.stat(path)
    except OSError:
        return None
    return _digest(path, found.st_mtime_ns, found.st_size)


def init_static_urls(app: Flask) -> None:
    @app.url_defaults
    def _add_version(endpoint: str, values: dict) -> None:
        if endpoint != "static" or "v" in values or not values.get("filename"):
            return
        version = version_of(app.static_folder, values["filename"])
        if version:
            values["v"] = version
