"""A local S3-compatible server for the tests (moto's server mode on 127.0.0.1, in a thread),
and the settings that point Kring's storage at a fresh private bucket on it."""
from __future__ import annotations

import itertools

import pytest

REGION = "eu-central-1"
_buckets = itertools.count(1)


class LocalS3:
    def __init__(self):
        from moto.server import ThreadedMotoServer

        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.server.start()
        host, port = self.server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.endpoint, region_name=REGION,
                            aws_access_key_id="test", aws_secret_access_key="test",
                            config=Config(s3={"addressing_style": "path"}))

    def new_bucket(self, prefix: str = "kring") -> str:
        name = f"{prefix}-{next(_buckets)}"
        self.client().create_bucket(Bucket=name, CreateBucketConfiguration={
            "LocationConstraint": REGION})
        return name

    def settings(self, bucket: str) -> dict:
        """Kring's settings for `bucket` (as create_app overrides or app.config entries)."""
        return {"STORAGE_BACKEND": "s3", "S3_ENDPOINT_URL": self.endpoint, "S3_BUCKET": bucket,
                "S3_REGION": REGION, "S3_ACCESS_KEY_ID": "test", "S3_SECRET_ACCESS_KEY": "test",
                "S3_ADDRESSING_STYLE": "path"}

    def environment(self, bucket: str) -> dict:
        """The same as KRING_* variables, for a server started as its own process."""
        return {f"KRING_{name}": value for name, value in self.settings(bucket).items()}

    def object_keys(self, bucket: str) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def stop(self) -> None:
        self.server.stop()


def start_local_s3() -> LocalS3:
    try:
        import boto3  # noqa: F401
        import moto.server  # noqa: F401
    except ImportError:
        pytest.skip("boto3 and moto not installed: `pip install -r requirements-dev.txt` to "
                    "run the S3 storage tests")
    return LocalS3()
