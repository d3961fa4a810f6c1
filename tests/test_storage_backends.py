"""app/storage keeps one contract on both backends, the local folder and an S3-compatible
object store (moto's server on 127.0.0.1): files saved in chunks and read back, nothing left
behind by a refusal, a space's files listed and purged, exports kept apart, and a key that is
not Kring's refused."""
from __future__ import annotations

import io

import pytest

from app import storage

MB = 1024 * 1024


@pytest.fixture(params=["local", "s3"])
def store(request, sqlite_app):
    """An app context whose storage is the backend named by the parameter, empty."""
    if request.param == "s3":
        server = request.getfixturevalue("local_s3")
        sqlite_app.config.update(server.settings(server.new_bucket("contract")))
    with sqlite_app.app_context():
        yield request.param


class CountingStream(io.RawIOBase):
    """`size` bytes made as they are read; remembers the largest read asked for."""

    def __init__(self, size: int):
        self.left = size
        self.largest_read = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        self.largest_read = max(self.largest_read, n if n >= 0 else self.left)
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        return b"k" * n


def test_a_saved_file_reads_back_and_is_listed_under_its_space(store):
    key, size = storage.save(7, io.BytesIO(b"werkblad"))
    assert size == 8 and key.startswith("7/") and len(key) == 34
    with storage.open(key) as handle:
        assert handle.read() == b"werkblad"
    assert storage.keys(7) == [key]
    assert storage.space_ids() == [7]
    assert storage.space_usage(7) == 8
    assert 0 <= storage.age(key) < 60


def test_a_large_file_is_copied_in_bounded_pieces_never_whole(store):
    stream = CountingStream(18 * MB)
    key, size = storage.save(3, stream, limit=20 * MB)
    assert size == 18 * MB and storage.space_usage(3) == 18 * MB
    assert stream.largest_read <= 8 * MB  # the S3 backend's part size; locally 64 KB
    read = 0
    with storage.open(key) as handle:
        while chunk := handle.read(storage.CHUNK):
            read += len(chunk)
    assert read == 18 * MB


@pytest.mark.parametrize("size", [1000, 10 * MB])  # one request, and a multipart upload
def test_a_stream_over_the_limit_is_refused_and_nothing_is_left(store, size):
    with pytest.raises(storage.TooLarge):
        storage.save(4, CountingStream(size), limit=size - 1)
    assert storage.keys(4) == [] and storage.space_usage(4) == 0


def test_deleting_removes_the_file_and_a_file_already_gone_is_fine(store):
    key, _size = storage.save(5, io.BytesIO(b"weg"))
    storage.delete(key)
    storage.delete(key)
    assert storage.keys(5) == []
    with pytest.raises(FileNotFoundError):
        storage.open(key)
    with pytest.raises(FileNotFoundError):
        storage.age(key)


def test_purging_a_space_removes_its_files_only(store):
    gone = [storage.save(8, io.BytesIO(b"a"))[0] for _ in range(3)]
    kept, _size = storage.save(9, io.BytesIO(b"b"))
    export_key, handle = storage.create_export()
    with handle:
        handle.write(b"zip")
    storage.delete_space(8)
    assert storage.keys(8) == [] and storage.keys(9) == [kept]
    assert storage.space_ids() == [9]
    assert storage.export_keys() == [export_key]
    assert all(key not in storage.keys(8) for key in gone)


def test_an_export_is_kept_apart_and_read_back(store):
    import zipfile

    key, handle = storage.create_export()
    with handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", "{}")
    assert key.startswith("exports/") and key.endswith(".zip")
    assert storage.export_keys() == [key] and storage.space_ids() == []
    size = storage.export_size(key)
    with storage.open_export(key) as stored:
        data = stored.read()
    assert len(data) == size and zipfile.ZipFile(io.BytesIO(data)).read("data.json") == b"{}"
    assert 0 <= storage.export_age(key) < 60
    storage.delete_export(key)
    assert storage.export_keys() == []
    with pytest.raises(FileNotFoundError):
        storage.open_export(key)


def test_an_export_whose_writing_failed_is_not_kept(store):
    key, handle = storage.create_export()
    with pytest.raises(RuntimeError):
        with handle:
            handle.write(b"half a zip")
            raise RuntimeError("builder failed")
    storage.delete_export(key)  # what the builder does on failure
    assert storage.export_keys() == []


@pytest.mark.parametrize("key", ["../etc/passwd", "7/../../x", "exports/x.zip", "7/short", ""])
def test_a_key_that_is_not_krings_is_refused(store, key):
    for verb in (storage.open, storage.delete, storage.age):
        with pytest.raises(ValueError):
            verb(key)
    with pytest.raises(ValueError):
        storage.open_export(key)


def test_an_unknown_backend_is_named_in_the_refusal(sqlite_app):
    sqlite_app.config["STORAGE_BACKEND"] = "ftp"
    with sqlite_app.app_context(), pytest.raises(ValueError, match="'ftp'"):
        storage.save(1, io.BytesIO(b"x"))


def test_the_object_store_keeps_objects_encrypted_at_rest(sqlite_app, local_s3):
    bucket = local_s3.new_bucket("encrypted")
    sqlite_app.config.update(local_s3.settings(bucket))
    with sqlite_app.app_context():
        key, _size = storage.save(2, io.BytesIO("privé".encode()))
    head = local_s3.client().head_object(Bucket=bucket, Key=key)
    assert head["ServerSideEncryption"] == "AES256"
