"""The one door to stored files (uploads and export zips): the rest of Kring knows a file only
by its key ("<space id>/<random name>" or "exports/<random name>.zip"). Behind these functions
a backend keeps the bytes: a local folder (local.py, the default) or an S3-compatible object
store (s3.py), chosen by STORAGE_BACKEND."""
from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from app.storage.common import CHUNK, TooLarge

_KEY = re.compile(r"^[0-9]+/[A-Za-z0-9_-]{32}$")
EXPORTS = "exports"
_EXPORT_KEY = re.compile(r"^exports/[A-Za-z0-9_-]{32}\.zip$")
_EXTENSION = "kring_storage"
# The settings a backend is built from: a change (a test's own folder or bucket) makes a new one.
_SETTINGS = ("STORAGE_BACKEND", "UPLOAD_FOLDER", "S3_ENDPOINT_URL", "S3_BUCKET", "S3_REGION",
             "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_ADDRESSING_STYLE",
             "S3_SERVER_SIDE_ENCRYPTION")


def _backend():
    """The app's backend, made once per app: an S3 client is costly to build, and both
    backends hold no state of their own beyond their settings and connections."""
    app = current_app._get_current_object()
    settings = tuple(app.config.get(name) for name in _SETTINGS)
    made = app.extensions.get(_EXTENSION)
    if made is None or made[0] != settings:
        made = (settings, _make_backend(app))
        app.extensions[_EXTENSION] = made
    return made[1]


def _make_backend(app):
    name = app.config.get("STORAGE_BACKEND", "local")
    if name == "local":
        from app.storage.local import LocalFolder

        return LocalFolder(_root_of(app))
    if name == "s3":
        from app.storage.s3 import ObjectStore

        return ObjectStore.from_config(app.config)
    raise ValueError(f"KRING_STORAGE_BACKEND must be local or s3, not {name!r}")


def _root_of(app) -> Path:
    configured = app.config.get("UPLOAD_FOLDER")
    return Path(configured) if configured else Path(app.instance_path) / "uploads"


def root() -> Path:
    """The local backend's folder (also where tests look for files on disk)."""
    return _root_of(current_app)


def _checked(key: str) -> str:
    # Keys come from our own database, but a key that is not ours must never name a path
    # outside the upload folder, nor another object in the bucket.
    if not _KEY.match(key):
        raise ValueError(f"not an upload key: {key!r}")
    return key


def _checked_export(key: str) -> str:
    if not _EXPORT_KEY.match(key):
        raise ValueError(f"not an export key: {key!r}")
    return key


# --- uploads ---------------------------------------------------------------------------------

def save(space_id: int, stream: BinaryIO, *, limit: int | None = None) -> tuple[str, int]:
    """Copy `stream` in chunks (never whole into memory) to a new file of the space; its key
    and size. Over `limit` bytes: nothing is kept and TooLarge raised."""
    key = f"{int(space_id)}/{secrets.token_urlsafe(24)}"
    size = _backend().write(_checked(key), stream, limit=limit)
    return key, size


def open(key: str) -> BinaryIO:  # noqa: A001 (the storage's verb)
    """The stored file for reading in chunks; FileNotFoundError when it is gone."""
    return _backend().open(_checked(key))


def delete(key: str) -> None:
    """Remove a stored file; a file already gone is fine."""
    _backend().delete(_checked(key))


def delete_space(space_id: int) -> None:
    """Remove every file of a space (for a purge of the whole space)."""
    _backend().delete_folder(str(int(space_id)))


def keys(space_id: int) -> list[str]:
    """The keys of every file the space has stored (sweeps and checks)."""
    folder = str(int(space_id))
    found = (f"{folder}/{name}" for name in _backend().sizes(folder))
    return sorted(key for key in found if _KEY.match(key))


def space_ids() -> list[int]:
    """The spaces that have files."""
    return sorted(int(name) for name in _backend().folders() if name.isdigit())


def age(key: str) -> float:
    """Seconds since the file was written."""
    return _backend().age(_checked(key))


def space_usage(space_id: int) -> int:
    """Bytes the space's files take in storage."""
    folder = str(int(space_id))
    return sum(size for name, size in _backend().sizes(folder).items()
               if _KEY.match(f"{folder}/{name}"))


# --- exports ---------------------------------------------------------------------------------
# A finished export (app/exports) is a zip in a folder of its own beside the spaces' folders,
# so a space's purge never touches it and a member's export is no file "of" any space.

def create_export() -> tuple[str, BinaryIO]:
    """A new, empty export file open for writing (the builder streams its zip into it): its
    key and the handle. The file is kept when the handle is closed (or its `with` ends
    without an error); on failure the caller calls delete_export."""
    key = f"{EXPORTS}/{secrets.token_urlsafe(24)}.zip"
    return key, _backend().create(_checked_export(key))


def open_export(key: str) -> BinaryIO:
    """A finished export for reading; FileNotFoundError when it is gone."""
    return _backend().open(_checked_export(key))


def export_size(key: str) -> int:
    return _backend().size(_checked_export(key))


def delete_export(key: str) -> None:
    """Remove an export's file; one already gone is fine."""
    _backend().delete(_checked_export(key))


def export_keys() -> list[str]:
    """Every export file stored (the sweep removes those no row knows any more)."""
    found = (f"{EXPORTS}/{name}" for name in _backend().sizes(EXPORTS))
    return sorted(key for key in found if _EXPORT_KEY.match(key))


def export_age(key: str) -> float:
    """Seconds since the export file was last written."""
    return _backend().age(_checked_export(key))
