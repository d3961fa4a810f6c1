"""The only filesystem code for uploads: files live under UPLOAD_FOLDER/<space id>/<random name>
(never under static/). A key ("<space id>/<name>") is all the rest of Kring knows of a file,
so an S3-compatible store can stand behind these functions later."""
from __future__ import annotations

import os
import re
import secrets
import shutil
import time
from pathlib import Path
from typing import BinaryIO

from flask import current_app

CHUNK = 64 * 1024
_KEY = re.compile(r"^[0-9]+/[A-Za-z0-9_-]{32}$")


class TooLarge(Exception):
    """The stream was longer than the limit given to save(); nothing was kept."""


def root() -> Path:
    configured = current_app.config.get("UPLOAD_FOLDER")
    return Path(configured) if configured else Path(current_app.instance_path) / "uploads"


def _path(key: str) -> Path:
    # Keys come from our own database, but a key that is not ours must never name a path
    # outside the upload folder.
    if not _KEY.match(key):
        raise ValueError(f"not an upload key: {key!r}")
    return root() / key


def save(space_id: int, stream: BinaryIO, *, limit: int | None = None) -> tuple[str, int]:
    """Copy `stream` in chunks (never whole into memory) to a new file of the space; its key
    and size. Over `limit` bytes: the partial file is removed and TooLarge raised."""
    folder = root() / str(int(space_id))
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = f"{int(space_id)}/{secrets.token_urlsafe(24)}"
    path = _path(key)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    size = 0
    try:
        with os.fdopen(descriptor, "wb") as handle:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if limit is not None and size > limit:
                    raise TooLarge()
                handle.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return key, size


def open(key: str) -> BinaryIO:  # noqa: A001 (the storage's verb)
    """The stored file for reading; FileNotFoundError when it is gone."""
    return _path(key).open("rb")


def delete(key: str) -> None:
    """Remove a stored file; a file already gone is fine."""
    _path(key).unlink(missing_ok=True)


def delete_space(space_id: int) -> None:
    """Remove every file of a space (for a purge of the whole space)."""
    shutil.rmtree(root() / str(int(space_id)), ignore_errors=True)


def keys(space_id: int) -> list[str]:
    """The keys of every file the space has on disk (sweeps and checks)."""
    folder = root() / str(int(space_id))
    if not folder.is_dir():
        return []
    found = (f"{int(space_id)}/{p.name}" for p in folder.iterdir() if p.is_file())
    return sorted(key for key in found if _KEY.match(key))


def space_ids() -> list[int]:
    """The spaces that have a folder of files."""
    folder = root()
    if not folder.is_dir():
        return []
    return sorted(int(p.name) for p in folder.iterdir() if p.is_dir() and p.name.isdigit())


def age(key: str) -> float:
    """Seconds since the file was written."""
    return time.time() - _path(key).stat().st_mtime


def space_usage(space_id: int) -> int:
    """Bytes the space's files take on disk."""
    return sum(_path(key).stat().st_size for key in keys(space_id))


# --- exports ---------------------------------------------------------------------------------
# A finished export (app/exports) is a zip in a folder of its own beside the spaces' folders,
# so a space's purge never touches it and a member's export is no file "of" any space.
EXPORTS = "exports"
_EXPORT_KEY = re.compile(r"^exports/[A-Za-z0-9_-]{32}\.zip$")


def _export_path(key: str) -> Path:
    if not _EXPORT_KEY.match(key):
        raise ValueError(f"not an export key: {key!r}")
    return root() / key


def create_export() -> tuple[str, BinaryIO]:
    """A new, empty export file open for writing (the builder streams its zip into it): its
    key and the handle. The caller closes the handle; on failure it calls delete_export."""
    folder = root() / EXPORTS
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = f"{EXPORTS}/{secrets.token_urlsafe(24)}.zip"
    descriptor = os.open(_export_path(key), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return key, os.fdopen(descriptor, "w+b")


def open_export(key: str) -> BinaryIO:
    """A finished export for reading; FileNotFoundError when it is gone."""
    return _export_path(key).open("rb")


def export_size(key: str) -> int:
    return _export_path(key).stat().st_size


def delete_export(key: str) -> None:
    """Remove an export's file; one already gone is fine."""
    _export_path(key).unlink(missing_ok=True)


def export_keys() -> list[str]:
    """Every export file on disk (the sweep removes those no row knows any more)."""
    folder = root() / EXPORTS
    if not folder.is_dir():
        return []
    found = (f"{EXPORTS}/{p.name}" for p in folder.iterdir() if p.is_file())
    return sorted(key for key in found if _EXPORT_KEY.match(key))


def export_age(key: str) -> float:
    """Seconds since the export file was last written."""
    return time.time() - _export_path(key).stat().st_mtime
