"""ASVS V7 (session management): a new session at login (no fixation), a copied cookie is
refused after logout, password change or reset, email change and an ended session; another
user's session cannot be ended; the session list never shows a full address."""
from __future__ import annotations

import re

from sqlalchemy import select

from app.accounts.security_models import UserSession
from app.extensions import db
from app.notify.models import OutboxMessage
from tests.conftest import PASSWORD, csrf_token, login, reauth
from tests.mail import rendered_mail
from tests.test_accounts import (
    NEW_PASSWORD, change_password, client_with_cookie, is_logged_in, post_login, session_cookie,
)


def _key(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("_user_id")


def test_a_session_planted_before_login_is_not_the_one_after(app, world):
    attacker, victim = world.user(), world.user()
    planted = app.test_client()
    post_login(planted, attacker.email, PASSWORD)  # the attacker's own valid session ...
    with planted.session_transaction() as session:
        session["marker"] = "planted"
    fixed_cookie, fixed_key = session_cookie(planted), _key(planted)
    victim_browser = client_with_cookie(app, fixed_cookie)  # ... planted in the victim's browser
    assert post_login(victim_browser, victim.email, PASSWORD).status_code == 302
    assert _key(victim_browser) not in (None, fixed_key)
    assert session_cookie(victim_browser) != fixed_cookie
    with victim_browser.session_transaction() as session:
        assert "marker" not in session  # nothing from before the login carries over
    # The planted cookie is still only the attacker's session, never the victim's.
    page = client_with_cookie(app, fixed_cookie).get("/account").get_data(as_text=True)
    assert attacker.email in page and victim.email not in page


def test_a_session_set_before_login_without_an_account_gets_a_new_key(app, world):
    person = world.user()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "a-key-the-attacker-chose"
    assert not is_logged_in(client)
    post_login(client, person.email, PASSWORD)
    assert _key(client) != "a-key-the-attacker-chose"
    assert is_logged_in(client_with_cookie(app, session_cookie(client)))


def test_a_copied_cookie_is_refused_after_logout(app, world):
    person = world.user()
    client = app.test_client()
    post_login(client, person.email, PASSWORD)
    stolen = session_cookie(client)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    assert not is_logged_in(client_with_cookie(app, stolen))


def test_a_copied_cookie_is_refused_after_a_password_change_even_of_this_browser(app, world):
    person = world.user()
    here, elsewhere = app.test_client(), app.test_client()
    post_login(here, person.email, PASSWORD)
    post_login(elsewhere, person.email, PASSWORD)
    stolen_here, stolen_elsewhere = session_cookie(here), session_cookie(elsewhere)
    assert change_password(here, PASSWORD, NEW_PASSWORD).status_code == 302
    assert is_logged_in(here)  # with a new key
    assert not is_logged_in(client_with_cookie(app, stolen_here))
    assert not is_logged_in(client_with_cookie(app, stolen_elsewhere))


def test_a_copied_cookie_is_refused_after_a_password_reset(app, world):
    person = world.user()
    client = app.test_client()
    post_login(client, person.email, PASSWORD)
    stolen = session_cookie(client)
    forgot = app.test_client()
    forgot.post("/password/forgot", data={"csrf_token": csrf_token(forgot, "/password/forgot"),
                                          "email": person.email})
    (mail,) = rendered_mail(app, OutboxMessage.kind == "password_reset")
    path = re.search(r"http://[^/\s]+(/password/reset/[\w-]+)", mail.body_text).group(1)
    forgot.post(path, data={"csrf_token": csrf_token(forgot, path), "password": NEW_PASSWORD})
    assert not is_logged_in(client_with_cookie(app, stolen))
    assert not is_logged_in(client)


def test_a_copied_cookie_of_an_ended_session_is_refused(app, world):
    person = world.user()
    here, lost_phone = app.test_client(), app.test_client()
    post_login(here, person.email, PASSWORD)
    post_login(lost_phone, person.email, PASSWORD)
    stolen = session_cookie(lost_phone)
    with app.app_context():
        phone_row = db.session.scalars(select(UserSession.id).order_by(UserSession.id)).all()[1]
    here.post(f"/account/sessions/{phone_row}/end",
              data={"csrf_token": csrf_token(here, "/account/security")})
    response = client_with_cookie(app, stolen).get("/account")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_another_users_session_cannot_be_ended(app, world):
    me, other = world.user(), world.user()
    mine, theirs = app.test_client(), app.test_client()
    login(mine, me)
    login(theirs, other)
    with app.app_context():
        their_row = db.session.scalar(select(UserSession.id)
                                      .where(UserSession.user_id == other.user_id))
    token = csrf_token(mine, "/account/security")
    assert mine.post(f"/account/sessions/{their_row}/end",
                     data={"csrf_token": token}).status_code == 404
    assert mine.post("/account/sessions/999999/end", data={"csrf_token": token}).status_code == 404
    assert is_logged_in(theirs)
    assert f"/account/sessions/{their_row}/end" not in mine.get("/account/security").get_data(as_text=True)


def test_the_session_list_shows_no_full_address_and_no_other_users_sessions(app, world):
    me, other = world.user(), world.user()
    mine = app.test_client()
    post_login(mine, me.email, PASSWORD, ip="192.0.2.201")
    post_login(app.test_client(), other.email, PASSWORD, ip="198.51.100.99")
    html = mine.get("/account/security").get_data(as_text=True)
    assert "192.0.2.201" not in html and "192.0.2.0/24" in html
    assert "198.51.100" not in html
    assert len(re.findall(r"/account/sessions/\d+/end", html)) == 1


def test_the_reauth_proof_is_not_in_the_cookie(app, world):
    person = world.user()
    client = app.test_client()
    login(client, person)
    reauth(client)
    with client.session_transaction() as session:
        assert "reauth_at" not in session
    with app.app_context():
        assert db.session.scalar(select(UserSession.reauth_at)) is not None


def test_logout_clears_the_browsers_cache_and_storage_of_kring(app, world):
    person = world.user()
    client = app.test_client()
    login(client, person)
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert not is_logged_in(client)
