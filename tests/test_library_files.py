"""File items in the library: a real file stored through app/uploads and shown as a
download card, refusals that keep the typed text and leave no file behind, a replaced or
removed item's file deleted, and a planned item's file a 404 for members."""
from __future__ import annotations

import io
import os
from datetime import timedelta

from sqlalchemy import func, select

from app.database import utcnow
from app.extensions import db
from app.library.models import LibraryItem
from app.uploads.models import Upload
from tests import uploadfiles as files
from tests.conftest import csrf_token, login


def _on_disk(app) -> list[str]:
    root = app.config["UPLOAD_FOLDER"]
    return sorted(os.path.relpath(os.path.join(d, f), root)
                  for d, _dirs, names in os.walk(root) for f in names)


def _new_file(client, slug, data: bytes, name: str, **fields):
    form = {"csrf_token": csrf_token(client, f"/s/{slug}/library/new"), "kind": "file",
            "title": "Het werkblad", "category": "assignments",
            "description": "Vul het in voor donderdag", "url": "",
            "file": (io.BytesIO(data), name), **fields}
    return client.post(f"/s/{slug}/library/new", data=form, content_type="multipart/form-data")


def _item_id() -> int:
    return db.session.scalar(select(func.max(LibraryItem.id)))


def test_facilitator_adds_a_pdf_that_members_see_as_a_download_card_and_can_open(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    login(client, lead)
    response = _new_file(client, slug, files.pdf(), "werkblad week 1.pdf", from_leads="y")
    assert response.status_code == 302
    with world.ctx():
        item = db.session.get(LibraryItem, _item_id())
        upload = db.session.get(Upload, item.upload_id)
        assert item.kind == "file" and upload.content_type == "application/pdf"
        url = f"/s/{slug}/files/{upload.id}/{upload.original_name}"
    login(client, member)
    page = client.get(f"/s/{slug}/library").get_data(as_text=True)
    assert "Het werkblad" in page and "werkblad week 1.pdf" in page and "PDF" in page
    served = client.get(url)
    assert served.status_code == 200 and served.data.startswith(b"%PDF")


def test_a_refused_file_keeps_the_typed_text_and_leaves_no_file_and_no_row(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    for data, name in ((files.html_page(), "brief.pdf"), (files.svg_with_script(), "logo.svg"),
                       (b"", "leeg.txt"), (files.plain_zip(), "map.zip")):
        response = _new_file(client, slug, data, name, title="Mijn titel blijft")
        page = response.get_data(as_text=True)
        assert response.status_code == 400, name
        assert 'id="file-error"' in page, name
        assert 'value="Mijn titel blijft"' in page and "Vul het in voor donderdag</textarea>" in page
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(LibraryItem)) == 0
        assert db.session.scalar(select(func.count()).select_from(Upload)) == 0
    assert _on_disk(app) == []


def test_a_file_item_without_a_file_is_refused_at_the_file_field(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    form = {"csrf_token": csrf_token(client, f"/s/{slug}/library/new"), "kind": "file",
            "title": "Zonder bestand", "category": "tips", "description": "", "url": ""}
    response = client.post(f"/s/{slug}/library/new", data=form)
    assert response.status_code == 400
    assert 'id="file-error"' in response.get_data(as_text=True)


def test_removing_a_file_item_deletes_its_file_and_its_link_stops_working(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    login(client, member)
    assert _new_file(client, slug, files.png(), "schema.png", category="group").status_code == 302
    with world.ctx():
        item_id = _item_id()
        upload = db.session.get(Upload, db.session.get(LibraryItem, item_id).upload_id)
        url = f"/s/{slug}/files/{upload.id}/{upload.original_name}"
    assert client.get(url).status_code == 200 and len(_on_disk(app)) == 1
    removed = client.post(f"/s/{slug}/library/{item_id}/remove",
                          data={"csrf_token": csrf_token(client, f"/s/{slug}/library")})
    assert removed.status_code == 302
    assert _on_disk(app) == []
    assert client.get(url).status_code == 404
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(Upload)) == 0


def test_another_file_in_its_place_replaces_and_deletes_the_old_one(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    _new_file(client, slug, files.pdf(), "oud.pdf")
    with world.ctx():
        item_id = _item_id()
    before = _on_disk(app)
    form = {"csrf_token": csrf_token(client, f"/s/{slug}/library"), "title": "Het werkblad",
            "category": "assignments", "description": "", "url": "",
            "file": (io.BytesIO(files.docx()), "nieuw.docx")}
    response = client.post(f"/s/{slug}/library/{item_id}/edit", data=form,
                           content_type="multipart/form-data")
    assert response.status_code == 302
    after = _on_disk(app)
    assert len(after) == 1 and after != before
    with world.ctx():
        assert db.session.scalar(select(Upload.original_name)) == "nieuw.docx"
    assert "nieuw.docx" in client.get(f"/s/{slug}/library/{item_id}").get_data(as_text=True)


def test_a_planned_items_file_is_404_for_members_until_its_time(app, client, world):
    from app.library import service

    slug, lead = world.space()
    member = world.member(slug, lead)
    with world.ctx():
        item = service.add_item(world.actor(lead.user_id), world.space_obj(slug), kind="file",
                                title="Later", category="tips",
                                file=files.storage_of(files.pdf(), "later.pdf"),
                                publish_at=utcnow() + timedelta(days=2))
        upload = db.session.get(Upload, item.upload_id)
        url, item_id = f"/s/{slug}/files/{upload.id}/later.pdf", item.id
    login(client, member)
    assert client.get(url).status_code == 404
    login(client, lead)
    assert client.get(url).status_code == 200
    with world.ctx():
        db.session.get(LibraryItem, item_id).publish_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    login(client, member)
    assert client.get(url).status_code == 200
