"""Login throttling that cannot be turned against the account's owner, the warning about an
untrusted proxy, and the visitor's language carried into the account at login."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from app.accounts import views as account_views
from app.accounts.models import LoginFailure, User
from app.extensions import db
from tests.conftest import PASSWORD
from tests.test_accounts import is_logged_in, post_login

ATTACKER = "203.0.113.66"
VICTIM_HOME = "198.51.100.20"


def test_fifty_failures_from_an_attacker_do_not_lock_the_victim_out(app, world):
    victim = world.user("slachtoffer@example.org")
    attacker = app.test_client()
    answers = [post_login(attacker, victim.email, f"gok {n}", ip=ATTACKER).status_code
               for n in range(50)]
    assert answers[:5] == [400] * 5
    assert set(answers[5:]) == {429}  # the attacker's own address is throttled
    # Even the right password is refused from the attacker's address ...
    assert post_login(attacker, victim.email, PASSWORD, ip=ATTACKER).status_code == 429
    assert not is_logged_in(attacker)
    # ... while the victim, from their own address, logs in at once.
    victim_client = app.test_client()
    response = post_login(victim_client, victim.email, PASSWORD, ip=VICTIM_HOME)
    assert response.status_code == 302
    assert is_logged_in(victim_client)


def test_refused_attempts_are_not_recorded_so_the_attacker_cannot_grow_the_table(app, world):
    victim = world.user()
    attacker = app.test_client()
    for n in range(20):
        post_login(attacker, victim.email, f"gok {n}", ip=ATTACKER)
    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(LoginFailure))
    assert stored == 10  # five failures, each counted per (account, address) and per address


def test_the_address_limit_also_stops_guessing_across_many_accounts(app, world):
    app.config["LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE"] = 8
    person = world.user()
    guesser = app.test_client()
    for n in range(8):
        assert post_login(guesser, f"iemand{n}@example.org", "gok", ip=ATTACKER).status_code == 400
    assert post_login(guesser, person.email, PASSWORD, ip=ATTACKER).status_code == 429
    assert post_login(app.test_client(), person.email, PASSWORD, ip=VICTIM_HOME).status_code == 302


def test_the_limits_come_from_the_configuration(app, world):
    app.config["LOGIN_ATTEMPTS_PER_MINUTE"] = 2
    person = world.user()
    client = app.test_client()
    for _ in range(2):
        assert post_login(client, person.email, "fout", ip=ATTACKER).status_code == 400
    assert post_login(client, person.email, PASSWORD, ip=ATTACKER).status_code == 429


def test_limit_settings_can_be_set_from_the_environment(monkeypatch):
    from config import load_config

    monkeypatch.setenv("KRING_LOGIN_ATTEMPTS_PER_MINUTE", "3")
    monkeypatch.setenv("KRING_LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE", "12")
    settings = load_config("test")
    assert settings["LOGIN_ATTEMPTS_PER_MINUTE"] == 3
    assert settings["LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE"] == 12


# --- the warning about a proxy that is not trusted -----------------------------------------

PROXY_WARNING = "KRING_TRUSTED_PROXIES"


@pytest.fixture
def fresh_warning(monkeypatch):
    """Each test sees the process as if it had just started."""
    import threading

    monkeypatch.setattr(account_views, "_proxy_warning", threading.Event())


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.levelno == logging.WARNING and PROXY_WARNING in r.getMessage()]


def test_production_warns_once_about_forwarded_requests_without_trusted_proxies(app, caplog, fresh_warning):
    app.config["PRODUCTION"] = True
    client = app.test_client()
    with caplog.at_level(logging.WARNING):
        assert client.get("/login").status_code == 200
        assert _warnings(caplog) == []  # no proxy in sight: nothing to say
        for n in range(3):
            assert client.get("/login", headers={"X-Forwarded-For": f"192.0.2.{n}"}).status_code == 200
    messages = _warnings(caplog)
    assert len(messages) == 1
    assert "X-Forwarded-For" in messages[0]


def test_no_proxy_warning_when_proxies_are_trusted_or_outside_production(app, caplog, fresh_warning):
    client = app.test_client()
    with caplog.at_level(logging.WARNING):
        app.config["PRODUCTION"] = False
        client.get("/login", headers={"X-Forwarded-For": "192.0.2.1"})
        app.config.update(PRODUCTION=True, TRUSTED_PROXIES=1)
        client.get("/login", headers={"X-Forwarded-For": "192.0.2.1"})
    assert _warnings(caplog) == []


# --- the language chosen before logging in -------------------------------------------------

def _choose_language(client, locale: str) -> None:
    from tests.conftest import csrf_token

    token = csrf_token(client, "/login")
    response = client.post("/language", data={"csrf_token": token, "locale": locale, "next": "/login"})
    assert response.status_code == 302
    assert client.get_cookie("kring_lang").value == locale


def test_language_chosen_as_a_visitor_is_kept_after_login_and_saved(app, world):
    person = world.user(locale="nl")
    client = app.test_client()
    _choose_language(client, "en")
    assert 'lang="en"' in client.get("/login").get_data(as_text=True)
    assert post_login(client, person.email, PASSWORD).status_code == 302
    assert 'lang="en"' in client.get("/account").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, person.user_id).locale == "en"
    # The account holds the choice now; the visitor cookie is gone so it cannot undo a later
    # change made on another device.
    assert client.get_cookie("kring_lang") is None
    elsewhere = app.test_client()
    post_login(elsewhere, person.email, PASSWORD)
    assert 'lang="en"' in elsewhere.get("/account").get_data(as_text=True)


def test_login_without_a_language_choice_keeps_the_account_language(app, world):
    person = world.user(locale="en")
    client = app.test_client()
    assert post_login(client, person.email, PASSWORD).status_code == 302
    assert 'lang="en"' in client.get("/account").get_data(as_text=True)


def test_forged_language_cookie_is_ignored_at_login(app, world):
    person = world.user(locale="nl")
    client = app.test_client()
    client.set_cookie("kring_lang", "xx")
    assert post_login(client, person.email, PASSWORD).status_code == 302
    with app.app_context():
        assert db.session.get(User, person.user_id).locale == "nl"


def test_failed_login_does_not_change_the_account_language(app, world):
    person = world.user(locale="nl")
    client = app.test_client()
    _choose_language(client, "en")
    assert post_login(client, person.email, "fout wachtwoord").status_code == 400
    with app.app_context():
        assert db.session.get(User, person.user_id).locale == "nl"
    assert client.get_cookie("kring_lang").value == "en"


# --- statements per login ------------------------------------------------------------------

def _count_login(app, client, email: str, password: str, **kwargs) -> tuple[int, int]:
    from tests.conftest import QueryCounter, csrf_token

    token = csrf_token(client, "/login")
    with app.app_context():
        engine = db.engine
    with QueryCounter(engine) as counter:
        status = client.post("/login", data={"csrf_token": token, "email": email,
                                             "password": password}, **kwargs).status_code
    return status, counter.count


def test_a_login_takes_a_fixed_number_of_statements(app, world):
    person = world.user(locale="nl")
    # Right password: limits (1), user (1), update last login + locale (1), the audit event
    # (1); the session (app/accounts/sessions.py): the account's known browsers (1), the
    # session row (1) and, for a browser not known yet, its row (1).
    client = app.test_client()
    client.set_cookie("kring_lang", "en")
    assert _count_login(app, client, person.email, PASSWORD) == (302, 7)
    # Wrong password: limits, user, the two failure rows (one batched INSERT on PostgreSQL),
    # the audit event, the sweep of old rows.
    with app.app_context():
        failure_statements = {"sqlite": 6, "postgresql": 5}[db.engine.dialect.name]
    assert _count_login(app, app.test_client(), person.email, "fout") == (400, failure_statements)
    # Throttled: the limits are read, then the lockout's audit event (the account, an
    # earlier lockout event this minute, the insert)...
    for _ in range(4):
        _count_login(app, app.test_client(), person.email, "fout")
    assert _count_login(app, app.test_client(), person.email, PASSWORD) == (429, 4)
    # ...which is written once a minute: a guesser knocking on adds nothing.
    assert _count_login(app, app.test_client(), person.email, PASSWORD) == (429, 3)
