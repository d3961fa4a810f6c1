"""A member's own export (/account/export): asked for after re-authentication, built by the
worker with progress, downloaded through a link that works for EXPORT_HOURS, then gone."""
from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import func, select

from app import storage
from app.audit.models import AuditEvent
from app.exports import service
from app.exports.models import DataExport
from app.extensions import db
from app.notify.outbox import OutboxMessage
from tests.conftest import login
from tests.exports import ask, build, confirm, download, latest, unzip


def _export_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(DataExport))


def test_asking_for_an_export_needs_the_password_again(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    login(client, member)
    response = ask(client)
    assert response.status_code == 302
    assert "/account/confirm" in response.headers["Location"]
    assert _export_count(app) == 0


def test_member_downloads_a_zip_with_a_readable_page_and_their_data(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead, name="Wieke")
    thread_id = world.thread(slug, member, title="Mijn eerste gesprek", body="Hallo allemaal")
    login(client, member)
    confirm(client, member)
    assert ask(client).status_code == 303
    page = client.get("/account/export").get_data(as_text=True)
    assert "Vernieuwen" in page and "Wachten" in page
    assert build(app)["exports_built"] == 1
    export = latest(app, member.user_id)
    assert export.status == "ready" and export.progress == 100
    assert export.expires_at - export.finished_at == timedelta(hours=24)
    location, response = download(client)
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    files = unzip(response.data)
    data = json.loads(files["data.json"])
    assert data["profile"]["email"] == member.email
    assert data["memberships"][0]["display_name"] == "Wieke"
    assert data["posts"][0]["text"] == "Hallo allemaal"
    assert data["posts"][0]["thread_title"] == "Mijn eerste gesprek"
    assert data["posts"][0]["thread"] == thread_id
    html = files["index.html"].decode()
    assert "Hallo allemaal" in html and "Jouw berichten" in html
    assert "http" not in html.replace("http-equiv", "")  # nothing from anywhere else
    with app.app_context():
        events = [e.event for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
        mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "export_ready"))
    assert "export_requested" in events and "export_downloaded" in events
    assert mail is not None and mail.to_addr == member.email
    assert "Hallo" not in (mail.context or "")


def test_a_double_submit_makes_one_job(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    login(client, member)
    confirm(client, member)
    ask(client)
    ask(client)
    assert _export_count(app) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.event == "export_requested")) == 1


def test_only_one_worker_claims_a_job(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    with app.app_context():
        export = service.request_personal_export(world.actor(member.user_id))
        export_id = export.id
    with app.app_context():
        first = service.claim(export_id)
    with app.app_context():
        second = service.claim(export_id)
    assert (first, second) == (True, False)
    assert build(app)["exports_built"] == 0  # running already: not queued for anyone else


def test_progress_is_written_while_the_export_is_made(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    seen = []
    with app.app_context():
        export_id = service.request_personal_export(world.actor(member.user_id)).id
        original = service.report_progress

        def spy(export_id_, progress):
            original(export_id_, progress)
            seen.append(db.session.scalar(select(DataExport.progress)
                                          .where(DataExport.id == export_id_)))
        service.report_progress = spy
        try:
            build(app)
        finally:
            service.report_progress = original
    assert seen == sorted(seen) and len(seen) >= 4 and 0 < seen[0] < seen[-1] < 100


def test_the_link_stops_working_after_export_hours_and_the_file_is_removed(app, client, world, clock):
    slug, lead = world.space()
    member = world.member(slug, lead)
    login(client, member)
    confirm(client, member)
    ask(client)
    build(app)
    location, response = download(client)
    assert response.status_code == 200
    key = latest(app, member.user_id).file_key
    clock.move(timedelta(hours=24, minutes=1))
    assert client.get(location).status_code == 404
    build(app)  # the worker's sweep
    export = latest(app, member.user_id)
    assert export.status == "expired" and export.file_key == ""
    with app.app_context():
        assert key not in storage.export_keys()
        assert storage.export_keys() == []


def test_a_new_download_link_replaces_the_old_one(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    login(client, member)
    confirm(client, member)
    ask(client)
    build(app)
    first, _response = download(client)
    second, response = download(client)
    assert response.status_code == 200
    assert client.get(first).status_code == 404


def test_someone_elses_export_id_or_token_is_404(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    other = world.member(slug, lead)
    login(client, member)
    confirm(client, member)
    ask(client)
    build(app)
    location, _response = download(client)
    export_id = latest(app, member.user_id).id
    wrong = location.rsplit("/", 1)[0] + "/not-the-token"
    assert client.get(wrong).status_code == 404
    login(client, other)
    assert client.get(location).status_code == 404
    assert client.get(f"/account/export/{export_id}/status").status_code == 404
    confirm(client, other)
    response = client.post(f"/account/export/{export_id}/download",
                           data={"csrf_token": _token(client)})
    assert response.status_code == 404


def _token(client) -> str:
    from tests.conftest import csrf_token

    return csrf_token(client, "/account/export")


def test_the_page_works_without_javascript_and_the_status_answers_json(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    login(client, member)
    confirm(client, member)
    ask(client)
    export_id = latest(app, member.user_id).id
    page = client.get("/account/export").get_data(as_text=True)
    assert 'href="/account/export"' in page  # the refresh link
    assert "<progress" in page and "<script>" not in page
    state = client.get(f"/account/export/{export_id}/status").get_json()
    assert state == {"status": "queued", "progress": 0, "label": "Wachten op de start"}


def test_with_two_step_login_the_code_is_asked_too_before_an_export(app, client, world):
    from app.accounts.models import User
    from app.accounts.security_models import TwoFactor
    from app.accounts.twofactor import new_secret, seal
    from app.database import utcnow
    from tests.conftest import PASSWORD, csrf_token

    slug, lead = world.space()
    member = world.member(slug, lead)
    with app.app_context():
        db.session.add(TwoFactor(user_id=member.user_id, secret=seal(new_secret()),
                                 confirmed_at=utcnow()))
        db.session.get(User, member.user_id).two_factor_on = True
        db.session.commit()
    login(client, member)
    refused = client.post("/account/confirm", data={
        "csrf_token": csrf_token(client, "/account/confirm"), "password": PASSWORD,
        "code": "000000", "next": "/account/export"})
    assert refused.status_code == 400
    assert "/account/confirm" in ask(client).headers["Location"]
    confirm(client, member)
    assert ask(client).status_code == 303
    assert _export_count(app) == 1
