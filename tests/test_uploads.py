"""Storing uploads (app/uploads/service.py) with real files made in the test: what is accepted,
what is refused and why, images cleaned of their metadata, the per-space quota (also with
uploads at the same moment), and no file left behind by anything that did not commit."""
from __future__ import annotations

import io
import os
import threading

import pytest
from PIL import Image
from sqlalchemy import func, select

from app import storage
from app.database import transactional
from app.errors import ServiceError
from app.extensions import db
from app.uploads.models import Upload
from app.uploads.service import store_upload
from tests import uploadfiles as files


@pytest.fixture
def group(world):
    slug, lead = world.space()
    return slug, lead


def _store(world, slug, person, data: bytes, name: str):
    with world.ctx():
        upload = store_upload(world.actor(person.user_id), world.space_obj(slug),
                              files.storage_of(data, name))
        return upload.id, upload.storage_key


def _refusal(world, slug, person, data: bytes, name: str) -> str:
    with world.ctx():
        with pytest.raises(ServiceError) as refused:
            store_upload(world.actor(person.user_id), world.space_obj(slug),
                         files.storage_of(data, name))
        assert refused.value.field == "file"
        return refused.value.message


def _space_id(world, slug) -> int:
    with world.ctx():
        return world.space_obj(slug).id


def _on_disk(app) -> list[str]:
    """Every file anywhere under the upload folder."""
    root = app.config["UPLOAD_FOLDER"]
    return sorted(os.path.relpath(os.path.join(d, f), root)
                  for d, _dirs, names in os.walk(root) for f in names)


def _rows() -> int:
    return db.session.scalar(select(func.count()).select_from(Upload))


def test_a_real_pdf_is_stored_under_a_random_name_in_the_space_folder(app, world, group):
    slug, lead = group
    data = files.pdf()
    upload_id, key = _store(world, slug, lead, data, "Werkblad week 1.pdf")
    space_id = _space_id(world, slug)
    with world.ctx():
        upload = db.session.get(Upload, upload_id)
        assert (upload.original_name, upload.content_type, upload.size_bytes) == (
            "Werkblad week 1.pdf", "application/pdf", len(data))
        assert not upload.is_image
        with storage.open(key) as handle:
            assert handle.read() == data
        assert storage.space_usage(space_id) == len(data)
    assert _on_disk(app) == [key]
    assert key.startswith(f"{space_id}/") and "Werkblad" not in key and len(key) > 30
    assert "static" not in app.config["UPLOAD_FOLDER"]


@pytest.mark.parametrize("maker, name, content_type", [
    (files.docx, "verslag.docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (files.odt, "verslag.odt", "application/vnd.oasis.opendocument.text"),
    (lambda: "Boodschappen: brood, kaas\nMorgen bellen\n".encode(), "lijst.txt", "text/plain"),
    (lambda: files.png(), "schema.PNG", "image/png"),
])
def test_allowed_kinds_are_accepted_with_the_type_their_bytes_show(app, world, group, maker, name,
                                                                  content_type):
    slug, lead = group
    upload_id, _key = _store(world, slug, lead, maker(), name)
    with world.ctx():
        assert db.session.get(Upload, upload_id).content_type == content_type


@pytest.mark.parametrize("maker, name, says", [
    (files.svg_with_script, "logo.svg", "SVG"),
    (files.svg_with_script, "logo.png", "SVG"),
    (files.html_page, "factuur.pdf", "HTML"),
    (files.html_page, "pagina.html", "HTML"),
    (files.plain_zip, "fotos.zip", "ZIP"),
    (files.plain_zip, "fotos.docx", "ZIP"),
    (lambda: b"MZ\x90\x00" + b"\x00" * 200, "rapport.pdf", "Programma"),
    (lambda: b"#!/bin/sh\nrm -rf ~\n", "notities.txt", "Scripts"),
    (lambda: b"echo hallo", "start.sh", "Scripts"),
    (lambda: b"tekst\x00met nul", "tekst.txt", "beschadigd"),
    (lambda: "geen utf-8: caf\xe9".encode("latin-1"), "tekst.txt", "beschadigd"),
    (files.pdf, "werkblad.docx", "beschadigd"),
    (lambda: files.png(), "foto.jpg", "beschadigd"),
    (lambda: b"", "leeg.pdf", "leeg (0 bytes)"),
    (lambda: b"root:x:0:0:root:/root:/bin/bash\n", "../../etc/passwd", "geen soort bestand"),
    (lambda: b"GIF89a" + b"\x00" * 50, "plaatje.gif", "geen soort bestand"),
], ids=lambda value: value if isinstance(value, str) else "")
def test_refused_files_say_what_is_wrong_and_leave_nothing_behind(app, world, group, maker,
                                                                 name, says):
    slug, lead = group
    message = _refusal(world, slug, lead, maker(), name)
    assert says in message, message
    assert name.rsplit("/", 1)[-1] in message
    with world.ctx():
        assert _rows() == 0
    assert _on_disk(app) == []


def test_refusals_name_the_file_and_the_problem_in_dutch(app, world, group):
    slug, lead = group
    message = _refusal(world, slug, lead, files.html_page(), "factuur.pdf")
    assert message == ("“factuur.pdf” heet .pdf, maar is dat niet: Webpagina’s (HTML) worden "
                       "niet geaccepteerd, omdat ze scripts kunnen bevatten. Sla de pagina op "
                       "als PDF.")


def test_a_file_name_with_path_parts_keeps_only_its_last_part(app, world, group):
    slug, lead = group
    upload_id, key = _store(world, slug, lead, b"gewone tekst\n", "../../etc/\u202enotities.txt")
    with world.ctx():
        assert db.session.get(Upload, upload_id).original_name == "notities.txt"
    assert _on_disk(app) == [key]


def test_a_photo_loses_its_gps_and_exif_and_is_turned_upright(app, world, group):
    slug, lead = group
    original = files.jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as photo:  # the test file really carries GPS
        assert photo.getexif().get_ifd(files.GPS_IFD)
    upload_id, key = _store(world, slug, lead, original, "vakantie.jpg")
    with world.ctx():
        upload = db.session.get(Upload, upload_id)
        stored = storage.open(key).read()
    assert upload.is_image and (upload.width, upload.height) == (300, 400)  # turned
    assert b"Exif" not in stored and b"Telefoonmerk" not in stored
    with Image.open(io.BytesIO(stored)) as clean:
        assert clean.format == "JPEG"
        assert not clean.getexif() and not clean.getexif().get_ifd(files.GPS_IFD)
        assert clean.size == (300, 400)
        # The red half is on top now: orientation 6 turned the picture a quarter clockwise.
        red, _g, blue = clean.convert("RGB").getpixel((150, 40))
        assert red > 150 and blue < 100


def test_a_large_image_is_scaled_down_to_the_configured_side(app, world, group):
    slug, lead = group
    app.config["IMAGE_MAX_SIDE"] = 100
    upload_id, _key = _store(world, slug, lead, files.png((500, 250)), "breed.png")
    with world.ctx():
        upload = db.session.get(Upload, upload_id)
        assert (upload.width, upload.height) == (100, 50)


def test_a_png_decompression_bomb_is_refused_without_decoding_it(app, world, group):
    slug, lead = group
    bomb = files.png_bomb()
    assert len(bomb) < 1024 * 1024
    message = _refusal(world, slug, lead, bomb, "bom.png")
    assert "bom.png" in message and "pixels" in message
    # Over our own limit but under Pillow's hard stop: refused by our check, same words.
    app.config["IMAGE_MAX_PIXELS"] = 1000
    message = _refusal(world, slug, lead, files.png((40, 40)), "klein-maar-te-groot.png")
    assert "40 × 40" in message
    assert _on_disk(app) == []


def test_a_file_over_the_limit_is_refused_and_its_partial_copy_removed(app, world, group):
    slug, lead = group
    app.config["UPLOAD_MAX_BYTES"] = 1000
    message = _refusal(world, slug, lead, b"a" * 1001 + b"\n", "lang.txt")
    assert "lang.txt" in message
    assert _on_disk(app) == []


def test_the_quota_of_a_space_refuses_what_does_not_fit(app, world, group):
    slug, lead = group
    data = files.pdf()
    app.config["SPACE_QUOTA_BYTES"] = len(data) * 2
    _store(world, slug, lead, data, "een.pdf")
    _store(world, slug, lead, data, "twee.pdf")
    message = _refusal(world, slug, lead, data, "drie.pdf")
    assert "drie.pdf" in message
    with world.ctx():
        assert _rows() == 2
    assert len(_on_disk(app)) == 2
    other_slug, other_lead = world.space()  # the quota is per space
    _store(world, other_slug, other_lead, data, "elders.pdf")


def test_uploads_at_the_same_moment_cannot_pass_the_quota_together(app, world, group):
    slug, lead = group
    member = world.member(slug, lead)
    data = files.pdf()
    app.config["SPACE_QUOTA_BYTES"] = len(data) * 3 + len(data) // 2
    people = [lead, member, lead, member, lead, member]
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []

    def upload(person, n):
        with app.app_context():
            actor, space = world.actor(person.user_id), world.space_obj(slug)
            db.session.commit()  # end the read transaction: each upload starts fresh
            barrier.wait(timeout=10)
            try:
                store_upload(actor, space, files.storage_of(data, f"gelijk-{n}.pdf"))
                outcomes.append("stored")
            except ServiceError:
                outcomes.append("refused")

    threads = [threading.Thread(target=upload, args=(p, n)) for n, p in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["refused"] * 3 + ["stored"] * 3
    with world.ctx():
        assert _rows() == 3
        assert db.session.scalar(select(func.sum(Upload.size_bytes))) <= app.config[
            "SPACE_QUOTA_BYTES"]
    assert len(_on_disk(app)) == 3


def test_a_transaction_that_fails_after_the_upload_leaves_no_file_and_no_row(app, world, group):
    slug, lead = group

    @transactional
    def upload_then_fail(actor, space):
        store_upload(actor, space, files.storage_of(files.pdf(), "halverwege.pdf"))
        assert len(_on_disk(app)) == 1  # written before its row...
        raise RuntimeError("something after the upload went wrong")

    with world.ctx():
        with pytest.raises(RuntimeError):
            upload_then_fail(world.actor(lead.user_id), world.space_obj(slug))
        assert _rows() == 0
    assert _on_disk(app) == []  # ...and removed with the rollback


def test_a_refusal_caught_by_the_caller_still_leaves_no_file(app, world, group):
    slug, lead = group
    app.config["SPACE_QUOTA_BYTES"] = 10

    @transactional
    def try_upload(actor, space):
        with pytest.raises(ServiceError):
            store_upload(actor, space, files.storage_of(files.pdf(), "te-groot.pdf"))

    with world.ctx():
        try_upload(world.actor(lead.user_id), world.space_obj(slug))  # commits
        assert _rows() == 0
    assert _on_disk(app) == []


def test_a_removed_upload_loses_its_file_once_that_commits(app, world, group):
    from app.uploads.service import remove_upload

    slug, lead = group
    upload_id, key = _store(world, slug, lead, files.pdf(), "weg.pdf")

    @transactional
    def remove_then_fail(upload):
        remove_upload(upload)
        raise RuntimeError("changed my mind")

    with world.ctx():
        with pytest.raises(RuntimeError):
            remove_then_fail(db.session.get(Upload, upload_id))
    assert _on_disk(app) == [key]  # the removal did not commit: the file stays
    with world.ctx():
        remove_upload(db.session.get(Upload, upload_id))
        assert _rows() == 0
    assert _on_disk(app) == []


def test_the_sweep_removes_old_files_without_a_row_and_nothing_else(app, world, group):
    from app.uploads.sweep import sweep_orphan_files

    slug, lead = group
    _id, kept = _store(world, slug, lead, files.pdf(), "blijft.pdf")
    space_id = _space_id(world, slug)
    with world.ctx():
        orphan, _size = storage.save(space_id, io.BytesIO(b"achtergebleven"))
        fresh, _size = storage.save(space_id, io.BytesIO(b"upload bezig"))
        two_hours_ago = os.stat(storage.root() / orphan).st_mtime - 7200
        os.utime(storage.root() / orphan, (two_hours_ago, two_hours_ago))
        os.utime(storage.root() / kept, (two_hours_ago, two_hours_ago))
    result = app.test_cli_runner().invoke(args=["kring", "sweep-uploads"])
    assert result.exit_code == 0 and "1 orphan" in result.output
    assert sorted(_on_disk(app)) == sorted([kept, fresh])
    with world.ctx():
        assert sweep_orphan_files() == 0
