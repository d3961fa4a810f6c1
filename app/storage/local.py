"""The local backend: each key is a file under one folder (UPLOAD_FOLDER, by default
instance/uploads), readable by the owner only. Keys arrive checked (app/storage/__init__.py)."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import BinaryIO

from app.storage.common import CHUNK, LimitedReader


class LocalFolder:
    def __init__(self, root: Path):
        self.root = root

    def _folder_of(self, key: str) -> Path:
        folder = self.root / key.split("/", 1)[0]
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return folder

    def _new_file(self, key: str) -> int:
        self._folder_of(key)
        # O_EXCL: a random name that exists already is a bug, never something to overwrite.
        return os.open(self.root / key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)

    def write(self, key: str, stream: BinaryIO, *, limit: int | None) -> int:
        path = self.root / key
        reader = LimitedReader(stream, limit)
        descriptor = self._new_file(key)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                while chunk := reader.read(CHUNK):
                    handle.write(chunk)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return reader.size

    def create(self, key: str) -> BinaryIO:
        return os.fdopen(self._new_file(key), "w+b")

    def open(self, key: str) -> BinaryIO:
        return (self.root / key).open("rb")

    def delete(self, key: str) -> None:
        (self.root / key).unlink(missing_ok=True)

    def delete_folder(self, folder: str) -> None:
        shutil.rmtree(self.root / folder, ignore_errors=True)

    def sizes(self, folder: str) -> dict[str, int]:
        """The names of the files in `folder` and their sizes."""
        path = self.root / folder
        if not path.is_dir():
            return {}
        return {p.name: p.stat().st_size for p in path.iterdir() if p.is_file()}

    def folders(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return [p.name for p in self.root.iterdir() if p.is_dir()]

    def size(self, key: str) -> int:
        return (self.root / key).stat().st_size

    def age(self, key: str) -> float:
        return time.time() - (self.root / key).stat().st_mtime
