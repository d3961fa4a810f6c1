"""Static files are linked with their content's digest, so a proxy may let browsers keep them
for a year (deploy/nginx/kring.conf) and a new release is still fetched at once."""
from __future__ import annotations

import hashlib
import re

from flask import url_for

from config import BASE_DIR


def test_pages_link_static_files_with_the_digest_of_their_content(sqlite_app):
    html = sqlite_app.test_client().get("/login").get_data(as_text=True)
    found = dict(re.findall(r'/static/(css/kring\.css|js/kring\.js)\?v=([0-9a-f]{12})"', html))
    for name, version in found.items():
        content = (BASE_DIR / "static" / name).read_bytes()
        assert version == hashlib.sha256(content).hexdigest()[:12]
    assert set(found) == {"css/kring.css", "js/kring.js"}


def test_a_changed_file_gets_a_new_address_and_a_missing_one_none(sqlite_app, tmp_path):
    sqlite_app.static_folder = str(tmp_path)
    (tmp_path / "a.css").write_text("p{}")
    with sqlite_app.test_request_context():
        before = url_for("static", filename="a.css")
        (tmp_path / "a.css").write_text("p{color:red}")
        after = url_for("static", filename="a.css")
        assert before != after and after.startswith("/static/a.css?v=")
        assert url_for("static", filename="missing.css") == "/static/missing.css"


def test_a_versioned_address_serves_the_file(sqlite_app):
    client = sqlite_app.test_client()
    with sqlite_app.test_request_context():
        address = url_for("static", filename="css/kring.css")
    assert client.get(address).status_code == 200
