"""Kring with its files on an S3-compatible object store (moto's server on 127.0.0.1), end to
end through the web app: an attachment uploaded with a reply is an encrypted object in the
bucket, downloads back byte for byte, and goes with its post or its author's erasure; an
oversized file leaves no object behind."""
from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.forum.models import Post
from app.uploads.models import Upload
from tests import uploadfiles as files
from tests.conftest import csrf_token, login
from tests.erasure import erase, leave_traces


@pytest.fixture
def bucket(app, local_s3):
    name = local_s3.new_bucket("journey")
    app.config.update(local_s3.settings(name))
    return name


def _reply_with(client, slug, thread_id, body, data: bytes, name: str):
    path = f"/s/{slug}/t/{thread_id}"
    return client.post(f"{path}/reply", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, path), "body": body, "files": [(io.BytesIO(data), name)]})


def test_an_attachment_on_s3_downloads_back_and_goes_with_its_post(app, world, bucket, local_s3):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, lead, title="Huiswerk")
    client = app.test_client()
    login(client, member)
    pdf = files.pdf()
    response = _reply_with(client, slug, thread_id, "Met bijlage", pdf, "uitwerking.pdf")
    assert response.status_code == 302
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.body == "Met bijlage"))
        key = db.session.scalar(select(Upload.storage_key).where(Upload.post_id == post_id))
    assert local_s3.object_keys(bucket) == [key]
    assert local_s3.client().head_object(Bucket=bucket, Key=key)["ServerSideEncryption"]
    page = client.get(f"/s/{slug}/t/{thread_id}").get_data(as_text=True)
    url = re.search(r'href="(/s/[^"]+/files/\d+/uitwerking.pdf)"', page).group(1)
    download = client.get(url)
    assert download.status_code == 200 and download.data == pdf
    assert int(download.headers["Content-Length"]) == len(pdf)

    path = f"/s/{slug}/p/{post_id}/delete"
    response = client.post(path, data={"csrf_token": csrf_token(client, f"/s/{slug}/p/{post_id}/edit")})
    assert response.status_code == 302
    assert local_s3.object_keys(bucket) == []
    assert client.get(url).status_code == 404


def test_an_oversized_attachment_leaves_no_object(app, world, bucket, local_s3):
    slug, lead = world.space()
    thread_id = world.thread(slug, lead, title="Groot")
    app.config["UPLOAD_MAX_BYTES"] = 1000
    client = app.test_client()
    login(client, lead)
    response = _reply_with(client, slug, thread_id, "Te groot", b"x" * 5000, "groot.txt")
    assert response.status_code in (400, 413)
    assert local_s3.object_keys(bucket) == []


def test_an_erased_members_files_leave_the_bucket(app, client, world, bucket, local_s3):
    t = leave_traces(world)
    with app.app_context():
        theirs = set(db.session.scalars(select(Upload.storage_key)))
    assert len(theirs) == 2 and set(local_s3.object_keys(bucket)) == theirs
    response = erase(client, t.member, t.member.membership_id, "delete")
    assert response.status_code == 302
    assert local_s3.object_keys(bucket) == []
