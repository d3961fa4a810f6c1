"""The size limits at the door: a request over the limit gets 413 with a page that states the
limit, a file part over the per-file limit is cut off while it arrives, and uploaded files
are spooled to temporary files instead of being held in memory."""
from __future__ import annotations

import io

import pytest
from flask import request

from app.uploads.streams import LimitedSpool
from tests.conftest import csrf_token, login

MB = 1024 * 1024


@pytest.fixture
def thread(app, world):
    slug, lead = world.space()
    thread_id = world.thread(slug, lead)
    client = app.test_client()
    login(client, lead)
    path = f"/s/{slug}/t/{thread_id}"
    return client, path, csrf_token(client, path)


def test_a_request_over_the_limit_gets_413_stating_the_limit(app, thread):
    client, path, token = thread
    assert app.config["UPLOAD_MAX_BYTES"] == 20 * MB  # the default
    big = io.BytesIO(b"\x00" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    response = client.post(f"{path}/reply", data={"csrf_token": token, "body": "Kijk",
                                                  "files": (big, "groot.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "20 MB" in page and "21 MB" in page
    assert "te groot" in page


def test_a_file_over_the_per_file_limit_is_refused_while_it_arrives(app, thread):
    """Under the request limit (the file limit plus 1 MB for the rest), over the file limit:
    the spool refuses at the byte that passes it."""
    client, path, token = thread
    app.config["UPLOAD_MAX_BYTES"] = 1 * MB
    app.config["MAX_CONTENT_LENGTH"] = 3 * MB
    response = client.post(f"{path}/reply", data={
        "csrf_token": token, "body": "Kijk",
        "files": (io.BytesIO(b"a" * (MB + 1)), "net-te-groot.txt")},
        content_type="multipart/form-data")
    assert response.status_code == 413
    assert "1 MB" in response.get_data(as_text=True)


def test_uploaded_files_are_spooled_to_disk_not_held_in_memory(app):
    data = {"files": (io.BytesIO(b"b" * (2 * MB)), "groot.txt")}
    with app.test_request_context("/", method="POST", data=data,
                                  content_type="multipart/form-data"):
        stream = request.files["files"].stream
        assert isinstance(stream, LimitedSpool)
        assert stream._rolled  # moved from memory to a temporary file past 500 kB


def test_the_spool_stops_at_the_limit():
    from werkzeug.exceptions import RequestEntityTooLarge

    spool = LimitedSpool(10)
    spool.write(b"0123456789")
    with pytest.raises(RequestEntityTooLarge):
        spool.write(b"x")
