"""A facilitator's copy of the whole space (/s/<slug>/export): every conversation with the
names the group sees, the library with its files, the agreement history; the same job
machinery as a member's own export; allowed after the rental ends, during the grace period."""
from __future__ import annotations

import io
import json
from datetime import date, timedelta

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app.audit.models import AuditEvent
from app.extensions import db
from app.library import service as library
from app.notify.models import Notification
from tests import uploadfiles
from tests.conftest import login
from tests.exports import ask, build, confirm, download, unzip


def _space_zip(app, client, slug, person) -> dict:
    confirm(client, person)
    assert ask(client, f"/s/{slug}/export").status_code == 303
    assert build(app)["exports_built"] == 1
    _location, response = download(client, f"/s/{slug}/export")
    assert response.status_code == 200
    return unzip(response.data)


def test_facilitator_exports_threads_library_files_and_agreement_history(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead, name="Tamara")
    thread_id = world.thread(slug, member, title="Hoe gaat het", body="Goed, dank je")
    world.reply(slug, thread_id, lead, "Fijn om te horen")
    with world.ctx():
        library.add_item(world.actor(member.user_id), world.space_obj(slug), kind="file",
                         title="Werkblad", category="tips",
                         file=FileStorage(stream=io.BytesIO(uploadfiles.pdf()),
                                          filename="werkblad.pdf"))
    login(client, lead)
    files = _space_zip(app, client, slug, lead)
    data = json.loads(files["data.json"])
    thread = next(t for t in data["threads"] if t["id"] == thread_id)
    assert thread["title"] == "Hoe gaat het" and thread["started_by"] == "Tamara"
    assert [(p["author"], p["text"]) for p in thread["posts"]] == [
        ("Tamara", "Goed, dank je"), (lead.name, "Fijn om te horen")]
    assert data["library"][0]["title"] == "Werkblad"
    assert data["library"][0]["file"] in files
    assert [a["version"] for a in data["agreements"]] == [1]
    assert member.email.encode() not in b"".join(files.values())
    html = files["index.html"].decode()
    assert "Hoe gaat het" in html and "Tamara" in html
    with app.app_context():
        events = {e.event for e in db.session.scalars(select(AuditEvent))}
        notice = db.session.scalar(select(Notification).where(Notification.kind == "export_ready"))
    assert {"export_requested", "space_exported"} <= events
    assert notice is not None and notice.user_id == lead.user_id


def test_user_text_in_the_readable_page_is_escaped(app, client, world):
    slug, lead = world.space()
    world.thread(slug, lead, title="<script>alert(1)</script>", body="<img src=x onerror=alert(2)>")
    login(client, lead)
    html = _space_zip(app, client, slug, lead)["index.html"].decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<img src=x" not in html


def test_a_member_may_not_export_the_space(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    login(client, member)
    assert client.get(f"/s/{slug}/export").status_code == 403
    confirm(client, member)
    assert ask(client, f"/s/{slug}/export").status_code == 403


def test_another_spaces_facilitator_gets_404(app, client, world):
    slug, lead = world.space()
    other_slug, other_lead = world.space()
    login(client, lead)
    confirm(client, lead)
    ask(client, f"/s/{slug}/export")
    build(app)
    location, _response = download(client, f"/s/{slug}/export")
    login(client, other_lead)
    confirm(client, other_lead)
    assert client.get(f"/s/{slug}/export").status_code == 404
    assert client.get(location).status_code == 404
    # Their own space's address with this export's id and token: still nothing.
    assert client.get(location.replace(f"/s/{slug}/", f"/s/{other_slug}/")).status_code == 404


def test_the_space_export_works_after_the_rental_ended(app, client, world):
    slug, lead = world.space()
    world.thread(slug, lead, title="Laatste gesprek", body="Tot ziens")
    with world.ctx():
        space = world.space_obj(slug)
        space.rental_start = date.today() - timedelta(days=90)
        space.rental_end = date.today() - timedelta(days=1)
        db.session.commit()
    login(client, lead)
    # The closed-space banner leads the facilitator here.
    assert f'href="/s/{slug}/export"' in client.get(f"/s/{slug}/").get_data(as_text=True)
    data = json.loads(_space_zip(app, client, slug, lead)["data.json"])
    assert data["threads"][0]["title"] == "Laatste gesprek"
