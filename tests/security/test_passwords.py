"""Passwords (ASVS 5.0 V6.2, V11.4.2): at least 10 characters, the 10,000 most common refused
(also with digits or signs added at the end), no composition rules, a hint on every field
where one is chosen; stored with argon2id at OWASP's cost, older hashes upgraded at login."""
from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select, update
from werkzeug.security import generate_password_hash

from app.accounts import passwords
from app.accounts.models import User
from app.errors import ServiceError
from app.extensions import db
from tests.conftest import PASSWORD, csrf_token, login, reauth
from tests.test_accounts import post_login

LEAD_IN = "http://kring.test"


def _stored(app, user_id: int) -> str:
    with app.app_context():
        return db.session.scalar(select(User.password_hash).where(User.id == user_id))


def _set_stored(app, user_id: int, value: str) -> None:
    with app.app_context():
        db.session.execute(update(User).where(User.id == user_id).values(password_hash=value))
        db.session.commit()


# --- which passwords may be chosen ---------------------------------------------------------------

def test_the_list_holds_ten_thousand_passwords_lower_cased_and_is_read_once():
    listed = passwords.common_passwords()
    assert len(listed) == 10_000
    assert all(word == word.lower() for word in listed)
    assert passwords.common_passwords() is listed  # cached: one read per process


@pytest.mark.parametrize("password", [
    "1234567890", "qwertyuiop", "PASSWORD123", "Password1234", "welkom2024!!", "dragon123456",
    "iloveyou!!!", "Sunshine2026", "   superman12345", "kring2026!!", "monkey-12345",
])
def test_common_passwords_and_common_words_with_digits_or_signs_added_are_refused(app, password):
    with app.test_request_context():
        with pytest.raises(ServiceError) as refused:
            passwords.check_new_password(password)
    assert refused.value.field == "password"


@pytest.mark.parametrize("password", [
    "correct horse battery", "fietsen-langs-de-vecht", "mijn kat heet Pluis", "zonder hoofdletters",
    "ABCDEFGHIJKL-not-common", "één twee drie vier",
])
def test_long_uncommon_passwords_are_accepted_without_composition_rules(app, password):
    with app.test_request_context():
        passwords.check_new_password(password)  # no exception: no digit or capital needed


def test_nine_characters_are_too_few_and_ten_are_enough(app):
    with app.test_request_context():
        with pytest.raises(ServiceError):
            passwords.check_new_password("zqxwvkjhg")
        passwords.check_new_password("zqxwvkjhgf")


def test_the_account_address_is_no_password(app):
    with app.test_request_context():
        with pytest.raises(ServiceError):
            passwords.check_new_password("annemarie.devries", email="annemarie.devries@example.org")
        with pytest.raises(ServiceError):
            passwords.check_new_password("annemarie.devries@example.org2",
                                         email="annemarie.devries@example.org")


def test_a_common_password_is_refused_at_the_field_on_the_change_page(app, client, world):
    from tests.conftest import PASSWORD as CURRENT

    person = world.user()
    login(client, person)
    reauth(client)
    token = csrf_token(client, "/account/password")
    response = client.post("/account/password", data={
        "csrf_token": token, "current_password": CURRENT, "new_password": "Qwertyuiop123"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "een van de meest gebruikte wachtwoorden" in html
    assert 'id="new_password-error"' in html
    assert post_login(app.test_client(), person.email, CURRENT).status_code == 302


def test_a_common_password_is_refused_when_accepting_an_invitation(app, client, world):
    slug, lead = world.space()
    token = world.invite_token(slug, lead, email="nieuw@example.org")
    path = f"/invite/{token}"
    response = client.post(path, data={"csrf_token": csrf_token(client, path),
                                       "password": "iloveyou12345", "display_name": "Nieuw",
                                       "accept": "y"})
    assert response.status_code == 400
    assert "een van de meest gebruikte wachtwoorden" in response.get_data(as_text=True)


def test_the_operator_command_refuses_a_common_password(app):
    result = app.test_cli_runner().invoke(args=["kring", "create-admin", "beheer@example.org"],
                                          input="password12345\n")
    assert result.exit_code != 0
    assert "meest gebruikte" in result.output or "most used" in result.output


def test_every_new_password_field_has_the_hint_and_the_meter(app, client, world):
    """Reset, change and invitation pages: the rules in words, and the meter's element, whose
    script is this server's file (nothing of the list goes to the browser)."""
    slug, lead = world.space()
    pages = [client.get(f"/invite/{world.invite_token(slug, lead)}").get_data(as_text=True)]
    from tests.test_accounts import _forgot, _path, _reset_link

    person = world.user()
    _forgot(client, person.email)
    pages.append(client.get(_path(_reset_link(app, person.email))).get_data(as_text=True))
    login(client, person)
    reauth(client)
    pages.append(client.get("/account/password").get_data(as_text=True))
    for html in pages:
        assert 'autocomplete="new-password"' in html
        assert "Heel veel gebruikte wachtwoorden kun je niet kiezen" in html
        assert "Hoofdletters, cijfers of tekens zijn niet nodig" in html
        assert "data-password-strength=" in html
        assert re.search(r'<script src="/static/js/password\.js\?v=[0-9a-f]{12}" nonce="', html)
    script = client.get("/static/js/password.js")
    shipped = script.get_data()
    assert script.status_code == 200 and len(shipped) < 5000
    assert b"iloveyou" not in shipped and b"sunshine" not in shipped
    script.close()


# --- how they are stored -------------------------------------------------------------------------

def test_the_setting_names_argon2id_parameters_and_falls_back_to_owasps():
    assert passwords.argon2_parameters("argon2id") == {"m": 19456, "t": 2, "p": 1}
    assert passwords.argon2_parameters("argon2id:m=65536,t=3,p=4") == {"m": 65536, "t": 3, "p": 4}
    assert passwords.argon2_parameters("scrypt:32768:8:1") is None
    with pytest.raises(ValueError):
        passwords.argon2_parameters("argon2id:memory=5")


def test_production_hashes_with_owasps_argon2id_cost(app):
    app.config["PASSWORD_HASH_METHOD"] = "argon2id:m=19456,t=2,p=1"
    with app.app_context():
        stored = passwords.hash_password(PASSWORD)
        assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert passwords.verify_password(stored, PASSWORD)
        assert not passwords.verify_password(stored, PASSWORD + "x")
        assert not passwords.needs_rehash(stored)


def test_an_old_scrypt_hash_still_logs_in_and_is_replaced_by_argon2id(app, world):
    person = world.user()
    _set_stored(app, person.user_id, generate_password_hash(PASSWORD, method="scrypt:1024:8:1"))
    assert post_login(app.test_client(), person.email, "niet het wachtwoord").status_code == 400
    assert _stored(app, person.user_id).startswith("scrypt:")  # a failure changes nothing
    assert post_login(app.test_client(), person.email, PASSWORD).status_code == 302
    upgraded = _stored(app, person.user_id)
    assert upgraded.startswith("$argon2id$v=19$m=8,t=1,p=1$")  # TestConfig's cheap setting
    assert post_login(app.test_client(), person.email, PASSWORD).status_code == 302
    assert _stored(app, person.user_id) == upgraded  # nothing more to upgrade


def test_new_parameters_are_applied_at_the_next_login(app, world):
    person = world.user()
    app.config["PASSWORD_HASH_METHOD"] = "argon2id:m=16,t=2,p=1"
    assert post_login(app.test_client(), person.email, PASSWORD).status_code == 302
    assert _stored(app, person.user_id).startswith("$argon2id$v=19$m=16,t=2,p=1$")


def test_an_upgrade_never_overwrites_a_password_changed_meanwhile(app, world):
    from app.accounts import service

    person = world.user()
    old = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
    _set_stored(app, person.user_id, "$argon2id$changed-meanwhile")
    with app.app_context():
        user = db.session.get(User, person.user_id)
        service.upgrade_password_hash(user, old=old, new="$argon2id$from-the-old-password")
    assert _stored(app, person.user_id) == "$argon2id$changed-meanwhile"


def test_an_unknown_address_costs_a_real_hash_check_like_a_known_one(app, world):
    """The dummy hash is made with today's setting, so both paths do the same work."""
    app.config["PASSWORD_HASH_METHOD"] = "argon2id:m=19456,t=2,p=1"
    person = world.user()  # hashed with the setting above
    app.config["LOGIN_ATTEMPTS_PER_MINUTE"] = app.config["LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE"] = 100

    def timed(email):
        client = app.test_client()
        durations = []
        for n in range(5):
            start = time.perf_counter()
            assert post_login(client, email, f"fout {n}", ip=f"10.9.0.{n}").status_code == 400
            durations.append(time.perf_counter() - start)
        return min(durations)  # the least disturbed by whatever else the machine does

    timed(person.email)  # warm up (the dummy hash is made once)
    known, unknown = timed(person.email), timed("niemand@example.org")
    with app.app_context():
        assert passwords.dummy_hash().startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    # Without the dummy hash an unknown address would answer many times faster.
    assert 1 / 3 < unknown / known < 3, (known, unknown)
