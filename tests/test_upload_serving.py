"""Serving stored files at /s/<slug>/files/<id>/<name>: only to members of that space (404 for
everyone else, for another space's id and for a wrong name), with the sniffed type, no
sniffing by the browser, inline only for images and PDF, in a sandbox, never cached."""
from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from PIL import Image

from app.extensions import db
from app.uploads.models import Upload
from app.uploads.service import store_upload
from tests import uploadfiles as files
from tests.conftest import login


def _upload(world, slug, person, data: bytes, name: str) -> str:
    """Store a file and return its URL."""
    with world.ctx():
        upload = store_upload(world.actor(person.user_id), world.space_obj(slug),
                              files.storage_of(data, name))
        return f"/s/{slug}/files/{upload.id}/{quote(upload.original_name)}"


@pytest.fixture
def group(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    client = app.test_client()
    login(client, member)
    return slug, lead, member, client


def test_a_member_gets_the_pdf_inline_with_the_safety_headers(group, world):
    slug, lead, _member, client = group
    data = files.pdf()
    response = client.get(_upload(world, slug, lead, data, "Werkblad week 1.pdf"))
    assert response.status_code == 200
    assert response.data == data
    headers = response.headers
    assert headers["Content-Type"] == "application/pdf"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Disposition"] == (
        "inline; filename=\"Werkblad week 1.pdf\"; filename*=UTF-8''Werkblad%20week%201.pdf")
    csp = headers["Content-Security-Policy"]
    assert "sandbox" in csp.split("; ") and "default-src 'none'" in csp
    assert "script-src" not in csp
    assert headers["Cache-Control"] == "no-store"
    assert "public" not in headers.get("Cache-Control", "")
    assert int(headers["Content-Length"]) == len(data)


def test_other_files_are_downloads_with_a_safe_utf8_name(group, world):
    slug, lead, _member, client = group
    url = _upload(world, slug, lead, files.docx(), 'Verslag "één"; x=y.docx')
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=\"Verslag _een_ x_y.docx\"; ")
    assert disposition.endswith("filename*=UTF-8''Verslag%20%22%C3%A9%C3%A9n%22%3B%20x%3Dy.docx")


def test_text_is_served_as_utf8_text_for_download(group, world):
    slug, lead, _member, client = group
    response = client.get(_upload(world, slug, lead, "Café <b>open</b>\n".encode(), "notitie.txt"))
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment;")


def test_the_served_photo_has_no_gps_left(group, world):
    slug, lead, _member, client = group
    response = client.get(_upload(world, slug, lead, files.jpeg_with_gps(), "thuis.jpg"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert b"Exif" not in response.data
    with Image.open(io.BytesIO(response.data)) as photo:
        assert not photo.getexif().get_ifd(files.GPS_IFD)
        assert not photo.getexif()


def test_an_outsider_a_former_member_and_a_wrong_name_get_404(app, group, world):
    from app.spaces.members import leave_space

    slug, lead, member, client = group
    url = _upload(world, slug, lead, files.pdf(), "alleen-voor-de-groep.pdf")
    assert client.get(url).status_code == 200
    upload_id = url.split("/")[4]
    assert client.get(f"/s/{slug}/files/{upload_id}/ander-naam.pdf").status_code == 404
    assert client.get(f"/s/{slug}/files/999999/alleen-voor-de-groep.pdf").status_code == 404

    other_slug, other_lead = world.space()
    outsider = app.test_client()
    login(outsider, other_lead)
    assert outsider.get(url).status_code == 404
    # Through their own space's address, the other space's file id does not exist.
    assert outsider.get(url.replace(slug, other_slug)).status_code == 404

    with world.ctx():
        leave_space(world.actor(member.user_id), world.space_obj(slug))
    assert client.get(url).status_code == 404


def test_someone_not_logged_in_is_sent_to_log_in(app, group, world):
    slug, lead, _member, _client = group
    response = app.test_client().get(_upload(world, slug, lead, files.pdf(), "a.pdf"))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_file_missing_on_disk_is_a_404_not_a_crash(app, group, world):
    from app import storage

    slug, lead, _member, client = group
    url = _upload(world, slug, lead, files.pdf(), "kwijt.pdf")
    with world.ctx():
        storage.delete(db.session.scalar(db.select(Upload.storage_key)))
    assert client.get(url).status_code == 404
