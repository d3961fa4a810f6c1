"""Files attached to posts, through the real forms: images shown in the post, other files as a
download card, the limits stated on the forms, refusals that keep the text, and files that
go when their post is deleted or removed for good, or stay unreadable while it is hidden."""
from __future__ import annotations

import io
import os
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.forum.models import Post, Thread
from app.uploads.models import Upload
from tests import uploadfiles as files
from tests.conftest import csrf_token, login


@pytest.fixture
def group(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead, name="Sanne")
    thread_id = world.thread(slug, lead, title="Huiswerk week 1")
    client = app.test_client()
    login(client, member)
    return slug, lead, member, thread_id, client


def _on_disk(app) -> list[str]:
    root = app.config["UPLOAD_FOLDER"]
    return [f for _d, _s, names in os.walk(root) for f in names]


def _uploads() -> int:
    return db.session.scalar(select(func.count()).select_from(Upload))


def _reply(client, slug, thread_id, body, attachments, token=None):
    path = f"/s/{slug}/t/{thread_id}"
    data = {"csrf_token": token or csrf_token(client, path), "body": body,
            "files": [(io.BytesIO(data), name) for data, name in attachments]}
    return client.post(f"{path}/reply", data=data, content_type="multipart/form-data")


def _file_urls(page: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/s/[^"]+/files/\d+/[^"]+)"', page)


def test_a_reply_shows_its_photo_inline_and_its_pdf_as_a_download_card(app, group):
    slug, _lead, _member, thread_id, client = group
    pdf = files.pdf()
    response = _reply(client, slug, thread_id, "Mijn uitwerking", [
        (files.jpeg_with_gps(), "tuin.jpg"), (pdf, "uitwerking <week 1>.pdf")])
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r'<img src="/s/[^"]+/files/\d+/tuin.jpg" alt="tuin.jpg" width="300" '
                     r'height="400"', page)
    assert "uitwerking &lt;week 1&gt;.pdf</a>" in page  # escaped, never markup
    with app.test_request_context():
        from app.uploads.labels import file_size

        assert f"PDF-document · {file_size(len(pdf))}</span>" in page
    urls = _file_urls(page)
    assert len(set(urls)) == 2
    for url in set(urls):
        assert client.get(url.replace("&lt;", "<").replace("&gt;", ">")).status_code == 200
    assert len(_on_disk(app)) == 2


def test_a_new_thread_takes_attachments_and_the_form_states_the_limits(app, group, world):
    slug, lead, _member, _thread_id, client = group
    form = client.get(f"/s/{slug}/t/new").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in form
    assert "Hoogstens 4 bestanden, elk en samen hoogstens 20 MB" in form
    assert "pdf, doc, xls" in form and 'accept=".pdf,' in form
    response = client.post(f"/s/{slug}/t/new", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, f"/s/{slug}/t/new"), "kind": "discussion",
        "title": "Tips", "body": "Zie bijlage", "files": (io.BytesIO(files.docx()), "tips.docx")})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "tips.docx</a>" in page and "Word-document" in page
    thread_page = client.get(f"/s/{slug}/t/{_thread_id}?page=1").get_data(as_text=True)
    assert "Hoogstens 4 bestanden" in thread_page


def test_a_refused_file_keeps_the_text_and_stores_nothing(app, group):
    slug, _lead, _member, thread_id, client = group
    response = _reply(client, slug, thread_id, "Een lange tekst die ik niet kwijt wil",
                      [(files.svg_with_script(), "tekening.svg")])
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Een lange tekst die ik niet kwijt wil</textarea>" in page
    assert "SVG-afbeeldingen worden niet geaccepteerd" in page
    assert 'id="files-error"' in page
    with app.app_context():
        assert _uploads() == 0
        assert db.session.scalar(select(Thread.post_count).where(Thread.id == thread_id)) == 1
    assert _on_disk(app) == []


def test_a_refused_second_file_takes_the_first_one_back_too(app, group):
    slug, _lead, _member, thread_id, client = group
    response = _reply(client, slug, thread_id, "Twee bestanden",
                      [(files.pdf(), "goed.pdf"), (files.html_page(), "fout.pdf")])
    assert response.status_code == 400
    assert "fout.pdf" in response.get_data(as_text=True)
    with app.app_context():
        assert _uploads() == 0
    assert _on_disk(app) == []


def test_a_new_thread_with_a_refused_file_keeps_title_and_text(app, group):
    slug, _lead, _member, _thread_id, client = group
    response = client.post(f"/s/{slug}/t/new", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, f"/s/{slug}/t/new"), "kind": "discussion",
        "title": "Mijn vraag", "body": "Wat vinden jullie?",
        "files": (io.BytesIO(b""), "leeg.pdf")})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'value="Mijn vraag"' in page and "Wat vinden jullie?</textarea>" in page
    assert "is leeg (0 bytes)" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Thread)) == 1


def test_more_files_than_allowed_are_refused(app, group):
    slug, _lead, _member, thread_id, client = group
    response = _reply(client, slug, thread_id, "Veel", [(files.png(), f"{n}.png") for n in range(5)])
    assert response.status_code == 400
    assert "Hoogstens 4 bestanden per bericht" in response.get_data(as_text=True)
    assert _on_disk(app) == []


def test_a_multipart_post_without_csrf_token_stores_nothing(app, group):
    slug, _lead, _member, thread_id, client = group
    response = _reply(client, slug, thread_id, "Zonder token", [(files.pdf(), "a.pdf")],
                      token="vervalst")
    assert response.status_code == 400
    with app.app_context():
        assert _uploads() == 0
    assert _on_disk(app) == []


def _post_with_file(client, slug, thread_id) -> tuple[int, str]:
    response = _reply(client, slug, thread_id, "Met bijlage", [(files.pdf(), "adres.pdf")])
    assert response.status_code == 302
    with client.application.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.body == "Met bijlage"))
        upload = db.session.scalar(select(Upload).where(Upload.post_id == post_id))
        return post_id, f"/s/{slug}/files/{upload.id}/adres.pdf"


def test_deleting_a_post_deletes_its_files(app, group):
    slug, _lead, _member, thread_id, client = group
    post_id, url = _post_with_file(client, slug, thread_id)
    response = client.post(f"/s/{slug}/p/{post_id}/delete",
                           data={"csrf_token": csrf_token(client, f"/s/{slug}/p/{post_id}/edit")})
    assert response.status_code == 302
    with app.app_context():
        assert _uploads() == 0
    assert _on_disk(app) == []
    assert client.get(url).status_code == 404


def test_removing_a_post_for_good_removes_its_files(app, group):
    slug, lead, _member, thread_id, client = group
    post_id, url = _post_with_file(client, slug, thread_id)
    facilitator = app.test_client()
    login(facilitator, lead)
    path = f"/s/{slug}/p/{post_id}/erase"
    response = facilitator.post(path, data={"csrf_token": csrf_token(facilitator, path),
                                            "reason": "Adres gedeeld", "confirm": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Post, post_id).erased_at is not None
        assert _uploads() == 0
    assert _on_disk(app) == []
    assert facilitator.get(url).status_code == 404


def test_the_file_in_a_hidden_conversation_is_404_for_the_group_but_not_for_moderators(app, group, world):
    from app.moderation import takedown

    slug, lead, _member, thread_id, client = group
    post_id, url = _post_with_file(client, slug, thread_id)
    other = app.test_client()
    login(other, world.member(slug, lead))
    assert other.get(url).status_code == 200
    with world.ctx():
        thread = db.session.get(Thread, thread_id)
        takedown.hide_thread(world.actor(lead.user_id), thread, reason="Even niet")
    assert other.get(url).status_code == 404
    lead_client = app.test_client()
    login(lead_client, lead)
    assert lead_client.get(url).status_code == 200  # those who moderate still read it


def test_the_demo_has_attachments_and_a_reset_leaves_none_of_the_old_files(app):
    def seed(*args):
        result = app.test_cli_runner().invoke(args=["kring", "seed-demo", *args])
        assert result.exit_code == 0, result.output

    seed()
    with app.app_context():
        shown = db.session.execute(select(Upload.original_name, Upload.is_image)
                                   .where(Upload.post_id.is_not(None)).order_by(Upload.id)).all()
        stored = _uploads()  # the library's demo files too
    assert shown == [("Uitgavenlijst voor een week.txt", False), ("uitgaven per dag.png", True)]
    before = sorted(_on_disk(app))
    assert len(before) == stored
    seed("--reset")
    after = sorted(_on_disk(app))
    assert len(after) == stored and not set(before) & set(after)
