"""The S3-compatible backend (an EU object store, or MinIO): each key is an object in one
private bucket, written with server-side encryption. Streams stay streams: uploads go up in
parts of PART_BYTES at most, downloads come down as the object's body. Keys arrive checked
(app/storage/__init__.py)."""
from __future__ import annotations

import tempfile
import time
from typing import BinaryIO

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config as ClientConfig
from botocore.exceptions import ClientError

from app.storage.common import LimitedReader

# An upload larger than this goes up as a multipart upload, one part of this size in memory
# at a time (S3's smallest part is 5 MB). No threads: a refusal (TooLarge) raised while
# reading surfaces here as itself, and the multipart upload is aborted.
PART_BYTES = 8 * 1024 * 1024
TRANSFER = TransferConfig(multipart_threshold=PART_BYTES, multipart_chunksize=PART_BYTES,
                          use_threads=False)
_MISSING = {"NoSuchKey", "404", "NotFound"}


class ObjectStore:
    def __init__(self, client, bucket: str, *, encryption: str = "AES256"):
        self.client = client
        self.bucket = bucket
        self.extra = {"ServerSideEncryption": encryption} if encryption else {}

    @classmethod
    def from_config(cls, config) -> "ObjectStore":
        if not config.get("S3_BUCKET"):
            raise ValueError("KRING_STORAGE_BACKEND=s3 needs KRING_S3_BUCKET")
        # Empty keys: boto3 finds credentials itself (environment, instance role).
        client = boto3.client(
            "s3",
            endpoint_url=config.get("S3_ENDPOINT_URL") or None,
            region_name=config.get("S3_REGION") or None,
            aws_access_key_id=config.get("S3_ACCESS_KEY_ID") or None,
            aws_secret_access_key=config.get("S3_SECRET_ACCESS_KEY") or None,
            config=ClientConfig(s3={"addressing_style": config.get("S3_ADDRESSING_STYLE") or "auto"},
                                retries={"max_attempts": 3, "mode": "standard"}))
        return cls(client, config["S3_BUCKET"],
                   encryption=config.get("S3_SERVER_SIDE_ENCRYPTION", "AES256"))

    def write(self, key: str, stream: BinaryIO, *, limit: int | None) -> int:
        reader = LimitedReader(stream, limit)
        try:
            self.client.upload_fileobj(reader, self.bucket, key, ExtraArgs=self.extra,
                                       Config=TRANSFER)
        except BaseException:
            # Whatever reached the store (nothing, usually: a refused multipart upload is
            # aborted) must not stay.
            self.delete(key)
            raise
        return reader.size

    def create(self, key: str) -> BinaryIO:
        return _UploadOnClose(self, key)

    def open(self, key: str) -> BinaryIO:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"]
        except ClientError as error:
            raise _missing_or(error, key) from None

    def delete(self, key: str) -> None:
        # Deleting an object that is not there succeeds in S3: "already gone is fine".
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def delete_folder(self, folder: str) -> None:
        names = list(self.sizes(folder))
        for start in range(0, len(names), 1000):  # S3 deletes at most 1000 per request
            batch = [{"Key": f"{folder}/{name}"} for name in names[start:start + 1000]]
            self.client.delete_objects(Bucket=self.bucket,
                                       Delete={"Objects": batch, "Quiet": True})

    def sizes(self, folder: str) -> dict[str, int]:
        found = {}
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=f"{folder}/", Delimiter="/")
        for page in pages:
            for item in page.get("Contents", []):
                found[item["Key"].split("/", 1)[1]] = item["Size"]
        return found

    def folders(self) -> list[str]:
        found = []
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Delimiter="/")
        for page in pages:
            found += [prefix["Prefix"].rstrip("/") for prefix in page.get("CommonPrefixes", [])]
        return found

    def _head(self, key: str) -> dict:
        try:
            return self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            raise _missing_or(error, key) from None

    def size(self, key: str) -> int:
        return self._head(key)["ContentLength"]

    def age(self, key: str) -> float:
        return time.time() - self._head(key)["LastModified"].timestamp()


def _missing_or(error: ClientError, key: str) -> Exception:
    if error.response.get("Error", {}).get("Code") in _MISSING:
        return FileNotFoundError(key)
    return error


class _UploadOnClose:
    """An export being written: a temporary file on local disk (a zip is written with
    seeks, which an object cannot take), sent to the store as it is closed. A `with` that
    ends in an error sends nothing."""

    def __init__(self, store: ObjectStore, key: str):
        self._store = store
        self._key = key
        self._file = tempfile.TemporaryFile(prefix="kring-export-")

    def __getattr__(self, name):
        return getattr(self._file, name)

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace):
        if kind is None:
            self.close()
        else:
            self._file.close()

    def close(self) -> None:
        if self._file.closed:
            return
        try:
            self._file.seek(0)
            self._store.client.upload_fileobj(self._file, self._store.bucket, self._key,
                                              ExtraArgs=self._store.extra, Config=TRANSFER)
        finally:
            self._file.close()
