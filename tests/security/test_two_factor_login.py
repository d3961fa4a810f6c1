"""The login's second step (/login/code): after the right password an account with two-step
login is not logged in until a code is accepted; codes are never replayed, recovery codes
work once, wrong codes are throttled with the wrong passwords, the step expires."""
from __future__ import annotations

import time
from datetime import timedelta

import pyotp
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.extensions import db
from tests.conftest import login
from tests.second_factor import TEST_TOTP_SECRET
from tests.test_accounts import is_logged_in
from tests.twofactor_steps import code_step, password_step, set_up

ATTACKER = "203.0.113.66"


def _enrolled(world):
    person = world.user()
    world.enrol_second_factor(person)
    return person


def _now_code() -> str:
    return pyotp.TOTP(TEST_TOTP_SECRET).now()


def _events(app):
    with app.app_context():
        return db.session.scalars(select(AuditEvent.event).order_by(AuditEvent.id)).all()


def test_the_right_password_alone_does_not_log_in_an_account_with_two_step_login(app, world, client):
    person = _enrolled(world)
    response = password_step(client, person.email)
    assert response.headers["Location"] == "/login/code"
    assert not is_logged_in(client)
    with client.session_transaction() as session:  # only the pending step, nothing more
        assert set(session) - {"csrf_token", "_flashes"} == {"login_pending"}
    response = code_step(client, _now_code())
    assert response.status_code == 302 and is_logged_in(client)


def test_the_login_is_recorded_only_once_the_code_step_is_passed(app, world, client):
    """The audit trail's "login" and the account's last login mean a complete login: the
    right password with a wrong code (or none) is not one."""
    from app.accounts.models import User

    person = _enrolled(world)
    password_step(client, person.email)
    with app.app_context():
        assert db.session.get(User, person.user_id).last_login_at is None
    assert "login" not in _events(app)
    code_step(client, _now_code())
    assert _events(app).count("login") == 1
    with app.app_context():
        assert db.session.get(User, person.user_id).last_login_at is not None


def test_the_code_step_goes_where_the_login_was_asked_to_go(app, world, client):
    person = _enrolled(world)
    from tests.conftest import csrf_token
    client.post("/login", data={"csrf_token": csrf_token(client, "/login"), "email": person.email,
                                "password": "correct horse battery", "next": "/account"})
    assert code_step(client, _now_code()).headers["Location"] == "/account"


def test_a_wrong_code_is_refused_at_the_field_with_400(app, world, client):
    person = _enrolled(world)
    password_step(client, person.email)
    wrong = "000000" if _now_code() != "000000" else "111111"
    response = code_step(client, wrong)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and 'id="code-error"' in html
    assert not is_logged_in(client)
    assert "2fa_failed" in _events(app)


def test_an_authenticator_code_cannot_be_replayed_within_its_window(app, world):
    person = _enrolled(world)
    first, second = app.test_client(), app.test_client()
    code = _now_code()
    password_step(first, person.email)
    assert code_step(first, code).status_code == 302
    password_step(second, person.email)
    assert code_step(second, code).status_code == 400  # the same code, seconds later
    assert not is_logged_in(second)


def test_a_recovery_code_logs_in_once_and_is_recorded(app, world):
    person = world.user()
    client = app.test_client()
    login(client, person)
    _secret, codes = set_up(client)
    fresh = app.test_client()
    password_step(fresh, person.email)
    response = code_step(fresh, codes[0].upper())
    assert response.status_code == 302 and is_logged_in(fresh)
    again = app.test_client()
    password_step(again, person.email)
    assert code_step(again, codes[0]).status_code == 400
    assert "recovery_used" in _events(app)


def test_the_code_step_expires_after_five_minutes(app, world, client, clock):
    person = _enrolled(world)
    password_step(client, person.email)
    clock.move(timedelta(minutes=5, seconds=5))
    response = code_step(client, _now_code())
    assert response.headers["Location"] == "/login"
    assert not is_logged_in(client)


def test_the_code_step_without_a_password_step_leads_to_the_login(app, world, client):
    assert client.get("/login/code").headers["Location"] == "/login"
    with client.session_transaction() as session:  # a forged pending step is no way in
        session["login_pending"] = {"user": "1", "at": "x"}
    assert client.get("/login/code").headers["Location"] == "/login"


def test_guessing_codes_is_throttled_with_the_passwords(app, world):
    app.config["LOGIN_ATTEMPTS_PER_MINUTE"] = 5
    person = _enrolled(world)
    guesser = app.test_client()
    password_step(guesser, person.email, environ_overrides={"REMOTE_ADDR": ATTACKER})
    totp = pyotp.TOTP(TEST_TOTP_SECRET)
    valid = {totp.at(time.time() + offset) for offset in (-60, -30, 0, 30, 60)}
    guesses = [c for c in (f"{n:06d}" for n in range(20)) if c not in valid][:8]
    answers = [code_step(guesser, guess, environ_overrides={"REMOTE_ADDR": ATTACKER}).status_code
               for guess in guesses]
    assert answers == [400] * 5 + [429] * 3
    # The right code is refused too while the throttle is full ...
    assert code_step(guesser, _now_code(), environ_overrides={"REMOTE_ADDR": ATTACKER}).status_code == 429
    assert not is_logged_in(guesser)
    # ... and a wrong password counts in the same throttle.
    assert password_step(app.test_client(), person.email,
                         environ_overrides={"REMOTE_ADDR": ATTACKER}).status_code == 429


def test_changing_the_second_factor_ends_the_other_sessions(app, world):
    person = world.user()
    here, elsewhere = app.test_client(), app.test_client()
    login(here, person)
    login(elsewhere, person)
    set_up(here)
    assert is_logged_in(here)
    assert not is_logged_in(elsewhere)


def test_codes_in_other_scripts_or_absurd_lengths_are_refused_not_a_crash(app, world, client):
    app.config["LOGIN_ATTEMPTS_PER_MINUTE"] = 20
    person = _enrolled(world)
    password_step(client, person.email)
    for bad in ["\u0661\u0662\u0663\u0664\u0665\u0666", "１２３４５６", "x" * 5000, " ", "-----"]:
        assert code_step(client, bad).status_code == 400, bad
    assert code_step(client, _now_code()).status_code == 302
