"""Changing the account's email address (/account/email): re-authentication, a single-use
link to the new address, a notice to the old one, other sessions ended, an audit event."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from app.accounts.models import User
from app.accounts.security_models import EmailChange
from app.audit import events
from app.audit.models import AuditEvent
from app.extensions import db
from app.notify.models import OutboxMessage
from tests.conftest import PASSWORD, csrf_token, login, reauth
from tests.mail import rendered_mail
from tests.test_accounts import confirm, is_logged_in, post_login

NEW = "nieuw.adres@example.org"


def _request(client, email=NEW):
    token = csrf_token(client, "/account/email")
    return client.post("/account/email", data={"csrf_token": token, "email": email})


def _link(app, email=NEW) -> str:
    (mail,) = rendered_mail(app, OutboxMessage.kind == "email_change", OutboxMessage.to_addr == email)
    return re.search(r"http://[^/\s]+(/account/email/confirm/[\w-]+)", mail.body_text).group(1)


def _confirm_link(client, path):
    token = csrf_token(client, path)
    return client.post(path, data={"csrf_token": token})


def _email_of(app, person) -> str:
    with app.app_context():
        return db.session.get(User, person.user_id).email


def test_the_email_page_asks_for_the_password_first(app, world):
    person = world.user()
    client = app.test_client()
    post_login(client, person.email, PASSWORD)
    response = client.get("/account/email")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/confirm?next=/account/email")
    assert client.post("/account/email", data={"csrf_token": csrf_token(client, "/account"),
                                               "email": NEW}).status_code == 302
    assert rendered_mail(app, OutboxMessage.kind == "email_change") == []
    confirm(client)
    assert client.get("/account/email").status_code == 200


def test_an_email_change_happens_only_when_the_link_to_the_new_address_is_used(app, world):
    person = world.user()
    here, there = app.test_client(), app.test_client()
    post_login(here, person.email, PASSWORD)
    post_login(there, person.email, PASSWORD)
    confirm(here)
    assert _request(here).status_code == 302
    assert _email_of(app, person) == person.email  # not yet
    path = _link(app)
    page = here.get(path)
    assert page.status_code == 200 and NEW in page.get_data(as_text=True)
    assert _email_of(app, person) == person.email  # opening the link changes nothing
    assert _confirm_link(here, path).headers["Location"] == "/account/security"
    assert _email_of(app, person) == NEW
    assert is_logged_in(here) and not is_logged_in(there)
    (notice,) = rendered_mail(app, OutboxMessage.kind == "email_changed")
    assert notice.to_addr == person.email
    assert NEW not in notice.body_text and NEW not in notice.body_html  # content-free
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.event == events.EMAIL_CHANGED,
            AuditEvent.subject_user_id == person.user_id)) == 1
    assert post_login(app.test_client(), NEW, PASSWORD).status_code == 302
    assert post_login(app.test_client(), person.email, PASSWORD).status_code == 400


def test_the_link_works_once(app, world):
    person = world.user()
    client = app.test_client()
    login(client, person)
    reauth(client)
    _request(client)
    path = _link(app)
    token = csrf_token(client, path)
    assert client.post(path, data={"csrf_token": token}).status_code == 302
    assert client.get(path).status_code == 410
    assert client.post(path, data={"csrf_token": token}).status_code == 410


def test_the_link_expires(app, world, clock):
    person = world.user()
    client = app.test_client()
    login(client, person)
    reauth(client)
    _request(client)
    path = _link(app)
    clock.move(timedelta(hours=app.config["EMAIL_CHANGE_HOURS"], minutes=1))
    assert app.test_client().get(path).status_code == 410
    assert _email_of(app, person) == person.email


def test_a_newer_request_replaces_the_older_link(app, world):
    person = world.user()
    client = app.test_client()
    login(client, person)
    reauth(client)
    _request(client, "eerste@example.org")
    _request(client, "tweede@example.org")
    assert app.test_client().get(_link(app, "eerste@example.org")).status_code == 410
    assert app.test_client().get(_link(app, "tweede@example.org")).status_code == 200


def test_the_link_works_from_another_browser_and_ends_every_session(app, world):
    person = world.user()
    client = app.test_client()
    login(client, person)
    reauth(client)
    _request(client)
    mailbox = app.test_client()
    assert _confirm_link(mailbox, _link(app)).headers["Location"] == "/login"
    assert _email_of(app, person) == NEW
    assert not is_logged_in(client)


def test_an_address_in_use_or_malformed_is_refused_at_the_field_with_the_text_kept(app, world):
    person, other = world.user(), world.user()
    client = app.test_client()
    login(client, person)
    reauth(client)
    for email in (other.email, "geen-adres", person.email):
        response = _request(client, email)
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert 'aria-invalid="true"' in html and f'value="{email}"' in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EmailChange)) == 0
    assert rendered_mail(app, OutboxMessage.kind == "email_change") == []


def test_an_address_taken_after_the_request_is_refused_when_the_link_is_used(app, world):
    person = world.user()
    client = app.test_client()
    login(client, person)
    reauth(client)
    _request(client)
    path = _link(app)
    world.user(NEW)
    response = _confirm_link(client, path)
    assert response.status_code == 400
    assert _email_of(app, person) == person.email
