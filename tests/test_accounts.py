"""Accounts over HTTP: real login, throttling, safe `next`, sessions that really end, password
reset through the outbox, the CLI commands and how passwords are stored."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text, update

from app.accounts.models import LoginFailure, PasswordReset, User
from app.accounts.security_models import UserSession
from app.database import utcnow
from app.extensions import db
from app.forum.models import Post, Thread
from app.notify.models import OutboxMessage
from app.spaces.models import Membership, Space
from tests.conftest import PASSWORD, Person, csrf_token, login
from tests.mail import Rendered, rendered_mail

SESSION_COOKIE = "kring_session"
NEW_PASSWORD = "een heel nieuw wachtwoord"


def post_login(client, email: str, password: str, *, next_: str | None = None, ip: str | None = None):
    token = csrf_token(client, "/login")
    data = {"csrf_token": token, "email": email, "password": password}
    if next_ is not None:
        data["next"] = next_
    kwargs = {"environ_overrides": {"REMOTE_ADDR": ip}} if ip else {}
    return client.post("/login", data=data, **kwargs)


def confirm(client, password: str = PASSWORD):
    """Re-authenticate on /account/confirm, as a sensitive page asks first."""
    token = csrf_token(client, "/account/confirm")
    response = client.post("/account/confirm", data={"csrf_token": token, "password": password})
    assert response.status_code == 302, response.status_code


def change_password(client, current: str, new: str):
    confirm(client)
    token = csrf_token(client, "/account/password")
    return client.post("/account/password", data={
        "csrf_token": token, "current_password": current, "new_password": new})


def is_logged_in(client) -> bool:
    response = client.get("/account")
    if response.status_code == 200:
        return True
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    return False


def normalise(html: str, *replacements: str) -> str:
    html = re.sub(r'name="csrf_token"[^>]*value="[^"]+"', 'name="csrf_token"', html)
    html = re.sub(r'nonce="[^"]+"', 'nonce=""', html)  # every response has its own
    for value in replacements:
        html = html.replace(value, "EMAIL")
    return html


def session_cookie(client) -> str:
    cookie = client.get_cookie(SESSION_COOKIE)
    assert cookie is not None
    return cookie.value


def client_with_cookie(app, value: str):
    other = app.test_client()
    other.set_cookie(SESSION_COOKIE, value)
    return other


# --- logging in ----------------------------------------------------------------------------

def test_real_login_with_email_and_password_starts_a_session(app, client, world):
    person = world.user()
    response = post_login(client, person.email, PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert is_logged_in(client)
    with app.app_context():
        assert db.session.get(User, person.user_id).last_login_at is not None


def test_login_email_is_case_and_space_insensitive(app, client, world):
    person = world.user()
    response = post_login(client, "  " + person.email.upper() + " ", PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_wrong_password_and_unknown_email_get_the_same_answer(app, world):
    person = world.user("bekend@example.org")
    unknown = "onbekend@example.org"
    first, second = app.test_client(), app.test_client()
    wrong = post_login(first, person.email, "not the password at all")
    missing = post_login(second, unknown, "not the password at all")
    assert wrong.status_code == missing.status_code == 400
    assert normalise(wrong.get_data(as_text=True), person.email) == \
        normalise(missing.get_data(as_text=True), unknown)
    assert not is_logged_in(first) and not is_logged_in(second)


def test_failed_login_does_not_reveal_the_password_in_the_page(app, client, world):
    person = world.user()
    response = post_login(client, person.email, "mijn-geheime-poging")
    assert "mijn-geheime-poging" not in response.get_data(as_text=True)


# --- throttling ----------------------------------------------------------------------------

def test_sixth_attempt_for_one_account_from_one_address_is_refused_even_with_the_right_password(app, world):
    person = world.user()
    client = app.test_client()
    spellings = [person.email, person.email.upper(), " " + person.email, person.email,
                 person.email.title()]
    for spelling in spellings:
        # Every spelling counts for the same account.
        response = post_login(client, spelling, "fout wachtwoord", ip="10.0.0.1")
        assert response.status_code == 400
    response = post_login(client, person.email, PASSWORD, ip="10.0.0.1")
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html  # the reason is shown on the login form
    assert 'name="email"' in html
    assert not is_logged_in(client)


def test_account_limit_ends_after_a_minute(app, world):
    person = world.user()
    client = app.test_client()
    for _ in range(5):
        post_login(client, person.email, "fout wachtwoord", ip="10.1.0.1")
    assert post_login(client, person.email, PASSWORD, ip="10.1.0.1").status_code == 429
    with app.app_context():
        db.session.execute(update(LoginFailure).values(at=utcnow() - timedelta(seconds=61)))
        db.session.commit()
    response = post_login(client, person.email, PASSWORD, ip="10.1.0.1")
    assert response.status_code == 302
    assert is_logged_in(client)


def test_four_failures_do_not_block_the_account(app, world):
    person = world.user()
    client = app.test_client()
    for _ in range(4):
        post_login(client, person.email, "fout wachtwoord", ip="10.2.0.1")
    assert post_login(client, person.email, PASSWORD, ip="10.2.0.1").status_code == 302


def test_thirty_first_attempt_from_one_address_is_refused_for_any_account(app, world):
    person = world.user()
    client = app.test_client()
    for n in range(30):
        response = post_login(client, f"gok{n}@example.org", "fout wachtwoord", ip="192.0.2.7")
        assert response.status_code == 400
    response = post_login(client, person.email, PASSWORD, ip="192.0.2.7")
    assert response.status_code == 429
    assert 'role="alert"' in response.get_data(as_text=True)
    assert not is_logged_in(client)
    # The same person from another address is not punished for the guesser.
    elsewhere = app.test_client()
    assert post_login(elsewhere, person.email, PASSWORD, ip="198.51.100.8").status_code == 302
    assert is_logged_in(elsewhere)


def test_login_failures_are_stored_without_the_email_address(app, world):
    person = world.user("geheim-adres@example.org")
    post_login(app.test_client(), person.email, "fout wachtwoord", ip="10.3.0.1")
    with app.app_context():
        keys = db.session.scalars(select(LoginFailure.key)).all()
    assert len(keys) == 2
    assert all("geheim-adres" not in key for key in keys)


# --- the `next` parameter ------------------------------------------------------------------

def test_next_same_site_path_is_followed(app, client, world):
    person = world.user()
    response = post_login(client, person.email, PASSWORD, next_="/s/x/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/s/x/"


def test_login_required_page_round_trips_through_next(app, client, world):
    person = world.user()
    response = client.get("/account/security")
    assert response.status_code == 302
    login_page = response.headers["Location"]
    assert login_page.startswith("/login?next=")
    html = client.get(login_page).get_data(as_text=True)
    assert re.search(r'name="next"[^>]*value="/account/security"', html) or \
        re.search(r'value="/account/security"[^>]*name="next"', html)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    response = client.post("/login", data={"csrf_token": token, "email": person.email,
                                           "password": PASSWORD, "next": "/account/security"})
    assert response.headers["Location"] == "/account/security"


@pytest.mark.parametrize("target", [
    "//evil.com", "//evil.com/s/x/", "https://evil.com", "http://evil.com/", "/\\evil.com",
    "\\\\evil.com", "/\\/evil.com", "javascript:alert(1)", "JavaScript:alert(1)",
    " //evil.com", "/\t/evil.com", "///evil.com", "https:/evil.com", "evil.com",
])
def test_next_to_another_site_redirects_home(app, client, world, target):
    person = world.user()
    response = post_login(client, person.email, PASSWORD, next_=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


# --- sessions that really end --------------------------------------------------------------

def test_logout_makes_a_copied_session_cookie_useless(app, client, world):
    person = world.user()
    assert post_login(client, person.email, PASSWORD).status_code == 302
    stolen = session_cookie(client)
    assert is_logged_in(client_with_cookie(app, stolen))  # the copy works before logout
    token = csrf_token(client, "/account")
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert not is_logged_in(client)
    assert not is_logged_in(client_with_cookie(app, stolen))


def test_logout_needs_a_post_with_csrf_token(app, client, world):
    person = world.user()
    post_login(client, person.email, PASSWORD)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert is_logged_in(client)


def test_changing_the_password_ends_other_sessions_but_keeps_this_one(app, world):
    person = world.user()
    here, there = app.test_client(), app.test_client()
    post_login(here, person.email, PASSWORD)
    post_login(there, person.email, PASSWORD)
    copied_before = session_cookie(here)
    response = change_password(here, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(here)
    assert not is_logged_in(there)
    assert not is_logged_in(client_with_cookie(app, copied_before))


def test_changing_the_password_with_a_wrong_current_password_changes_nothing(app, world):
    person = world.user()
    here, there = app.test_client(), app.test_client()
    post_login(here, person.email, PASSWORD)
    post_login(there, person.email, PASSWORD)
    response = change_password(here, "niet mijn wachtwoord", NEW_PASSWORD)
    assert response.status_code < 500 and response.status_code != 302
    assert is_logged_in(there)
    assert post_login(app.test_client(), person.email, PASSWORD).status_code == 302


def _member_action(app, world, action: str, data: dict):
    slug, lead = world.space()
    member = world.member(slug, lead)
    member_client = app.test_client()
    post_login(member_client, member.email, PASSWORD)
    assert member_client.get(f"/s/{slug}/").status_code == 200
    lead_client = app.test_client()
    login(lead_client, lead)
    token = csrf_token(lead_client, f"/s/{slug}/members")
    response = lead_client.post(f"/s/{slug}/members/{member.membership_id}/{action}",
                                data={"csrf_token": token, **data})
    assert response.status_code == 302
    return slug, member, member_client


def _two_spaces_member(app, world):
    """A member of two spaces, logged in, and the lead of the first space, logged in."""
    first, lead = world.space()
    second, other_lead = world.space()
    member = world.member(first, lead)
    token = world.invite_token(second, other_lead, email=member.email)
    world.accept(token, display_name="Zelfde persoon", email_user=member)
    thread = world.thread(second, other_lead)
    member_client = app.test_client()
    assert post_login(member_client, member.email, PASSWORD).status_code == 302
    for path in (f"/s/{first}/", f"/s/{second}/", f"/s/{second}/t/{thread}"):
        assert member_client.get(path).status_code == 200
    lead_client = app.test_client()
    login(lead_client, lead)
    return first, second, thread, member, member_client, lead_client


def _manage(lead_client, slug: str, member: Person, action: str, data: dict) -> None:
    token = csrf_token(lead_client, f"/s/{slug}/members")
    response = lead_client.post(f"/s/{slug}/members/{member.membership_id}/{action}",
                                data={"csrf_token": token, **data})
    assert response.status_code == 302


def test_suspension_in_one_space_keeps_the_member_logged_in_for_the_other(app, world):
    first, second, thread, member, member_client, lead_client = _two_spaces_member(app, world)
    phone = app.test_client()  # the same person on another device
    assert post_login(phone, member.email, PASSWORD).status_code == 302
    _manage(lead_client, first, member, "suspend", {"until": ""})
    for device in (member_client, phone):
        assert is_logged_in(device)
        # At once refused in the space that suspended them, on every page of it ...
        response = device.get(f"/s/{first}/")
        assert response.status_code == 403
        assert f'href="/s/{first}/leave"' in response.get_data(as_text=True)  # the suspension page
        assert device.get(f"/s/{first}/members").status_code == 403
        # ... while the other group works as before.
        assert device.get(f"/s/{second}/").status_code == 200
        assert device.get(f"/s/{second}/t/{thread}").status_code == 200


def test_removal_from_one_space_keeps_the_member_logged_in_for_the_other(app, world):
    first, second, thread, member, member_client, lead_client = _two_spaces_member(app, world)
    _manage(lead_client, first, member, "remove", {"confirm": "1"})
    assert is_logged_in(member_client)
    assert member_client.get(f"/s/{first}/").status_code == 404
    assert member_client.get(f"/s/{second}/t/{thread}").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UserSession)
                                 .where(UserSession.ended_at.is_not(None))) == 0


# --- password reset ------------------------------------------------------------------------

def _forgot(client, email: str, **kwargs):
    page = client.get("/password/forgot", **kwargs).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    return client.post("/password/forgot", data={"csrf_token": token, "email": email}, **kwargs)


def _reset_mail(app, email: str) -> Rendered:
    message, = rendered_mail(app, OutboxMessage.to_addr == email)
    return message


def _reset_link(app, email: str) -> str:
    message = _reset_mail(app, email)
    match = re.search(r"(\S+/password/reset/\S+)", message.body_text)
    assert match, message.body_text
    return match.group(1)


def _path(link: str) -> str:
    return link.removeprefix("http://kring.test")


def test_forgot_password_answers_the_same_for_known_and_unknown_addresses(app, world):
    person = world.user("weet-ik@example.org")
    unknown = "niemand@example.org"
    first, second = app.test_client(), app.test_client()
    known_response = _forgot(first, person.email)
    unknown_response = _forgot(second, unknown)
    assert known_response.status_code == unknown_response.status_code
    assert known_response.headers.get("Location") == unknown_response.headers.get("Location")
    assert known_response.get_data() == unknown_response.get_data()
    known_page = first.get(known_response.headers["Location"]).get_data(as_text=True)
    unknown_page = second.get(unknown_response.headers["Location"]).get_data(as_text=True)
    assert normalise(known_page) == normalise(unknown_page)
    with app.app_context():
        recipients = db.session.scalars(select(OutboxMessage.to_addr)).all()
        resets = db.session.scalar(select(func.count()).select_from(PasswordReset))
    assert recipients == [person.email]
    assert resets == 1


def test_reset_link_is_built_from_base_url_not_from_the_host_header(app, client, world):
    person = world.user()
    response = _forgot(client, person.email, headers={"Host": "evil.example"})
    assert response.request.host == "evil.example"
    assert response.status_code == 302
    link = _reset_link(app, person.email)
    assert link.startswith("http://kring.test/password/reset/")
    message = _reset_mail(app, person.email)
    assert "evil.example" not in message.body_text
    assert "evil.example" not in message.body_html
    assert link in message.body_html


def test_reset_link_is_stored_only_as_a_hash(app, client, world):
    person = world.user()
    _forgot(client, person.email)
    raw = _path(_reset_link(app, person.email)).rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.scalar(select(PasswordReset.token_hash))
    assert raw not in stored and stored != raw


def test_reset_link_works_once_and_the_new_password_replaces_the_old(app, client, world):
    person = world.user()
    logged_in_elsewhere = app.test_client()
    post_login(logged_in_elsewhere, person.email, PASSWORD)
    _forgot(client, person.email)
    path = _path(_reset_link(app, person.email))
    assert client.get(path).status_code == 200
    token = csrf_token(client, path)
    response = client.post(path, data={"csrf_token": token, "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    # Used: the link is gone, for reading and for posting.
    assert client.get(path).status_code == 410
    response = client.post(path, data={"csrf_token": token, "password": "weer een ander wachtwoord"})
    assert response.status_code == 410
    # The new password works, the old one does not, and old sessions ended.
    assert post_login(app.test_client(), person.email, PASSWORD).status_code == 400
    fresh = app.test_client()
    assert post_login(fresh, person.email, NEW_PASSWORD).status_code == 302
    assert is_logged_in(fresh)
    assert not is_logged_in(logged_in_elsewhere)


def test_reset_with_too_short_password_keeps_the_link_usable(app, client, world):
    person = world.user()
    _forgot(client, person.email)
    path = _path(_reset_link(app, person.email))
    token = csrf_token(client, path)
    response = client.post(path, data={"csrf_token": token, "password": "kort"})
    assert 400 <= response.status_code < 500 or response.status_code == 200
    assert 'name="password"' in response.get_data(as_text=True)
    assert client.get(path).status_code == 200
    assert post_login(app.test_client(), person.email, PASSWORD).status_code == 302


def test_reset_link_expires_after_one_hour(app, client, world):
    person = world.user()
    _forgot(client, person.email)
    path = _path(_reset_link(app, person.email))
    with app.app_context():
        reset = db.session.scalar(select(PasswordReset))
        lifetime = reset.expires_at - reset.created_at
        assert timedelta(minutes=59) < lifetime <= timedelta(hours=1, seconds=5)
        reset.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.get(path).status_code == 410
    token = csrf_token(client, "/password/forgot")
    response = client.post(path, data={"csrf_token": token, "password": NEW_PASSWORD})
    assert response.status_code == 410
    assert post_login(app.test_client(), person.email, NEW_PASSWORD).status_code == 400
    assert post_login(app.test_client(), person.email, PASSWORD).status_code == 302


@pytest.mark.parametrize("token", ["nope", "A" * 43, "x" * 500, "%C3%A9%00", "%ED%A0%80"])
def test_unknown_reset_token_is_gone_not_an_error(client, token):
    # A token with a NUL character is refused before it reaches the database (400).
    assert client.get(f"/password/reset/{token}").status_code == (400 if "%00" in token else 410)


# --- command line --------------------------------------------------------------------------

def test_create_admin_reads_the_password_from_stdin_and_the_operator_can_log_in(app, client):
    result = app.test_cli_runner().invoke(args=["kring", "create-admin", "Baas@Example.org"],
                                          input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert NEW_PASSWORD not in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "baas@example.org"))
        assert user is not None and user.is_operator
    response = post_login(client, "baas@example.org", NEW_PASSWORD)
    assert response.status_code == 302
    # A new operator is led to set up two-step login before anything else.
    assert client.get("/admin/spaces").headers["Location"] == "/account/2fa/setup"
    assert client.get("/account/2fa/setup").status_code == 200


def test_create_admin_refuses_a_short_password(app):
    result = app.test_cli_runner().invoke(args=["kring", "create-admin", "baas@example.org"],
                                          input="kort\n")
    assert result.exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_create_admin_makes_an_existing_account_operator_and_ends_its_sessions(app, world):
    person = world.user()
    old = app.test_client()
    post_login(old, person.email, PASSWORD)
    result = app.test_cli_runner().invoke(args=["kring", "create-admin", person.email],
                                          input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert not is_logged_in(old)
    fresh = app.test_client()
    assert post_login(fresh, person.email, NEW_PASSWORD).status_code == 302
    assert fresh.get("/admin/spaces").headers["Location"] == "/account/2fa/setup"


def test_outbox_command_lists_pending_mail_without_its_link(app, world):
    runner = app.test_cli_runner()
    empty = runner.invoke(args=["kring", "outbox"])
    assert empty.exit_code == 0
    assert "@" not in empty.output
    slug, lead = world.space()
    world.invite_token(slug, lead, email="nieuw-lid@example.org")
    result = runner.invoke(args=["kring", "outbox"])
    assert result.exit_code == 0, result.output
    assert "nieuw-lid@example.org" in result.output
    assert "/invite/" not in result.output  # the link is single-use: never on a terminal


def test_outbox_command_leaves_out_sent_mail(app, world):
    slug, lead = world.space()
    world.invite_token(slug, lead, email="al-verstuurd@example.org")
    with app.app_context():
        db.session.execute(update(OutboxMessage).values(status="sent"))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["kring", "outbox"])
    assert result.exit_code == 0
    assert "al-verstuurd@example.org" not in result.output


def _counts(app) -> tuple[int, ...]:
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (User, Space, Membership, Thread, Post))


def test_seed_demo_is_idempotent_and_prints_the_logins(app, client):
    from app.demo import DEMO_PASSWORD, demo_logins

    runner = app.test_cli_runner()
    first = runner.invoke(args=["kring", "seed-demo"])
    assert first.exit_code == 0, first.output
    after_first = _counts(app)
    users, spaces, memberships, threads, posts = after_first
    assert spaces == 1 and users >= 3 and threads >= 1 and posts > threads
    second = runner.invoke(args=["kring", "seed-demo"])
    assert second.exit_code == 0, second.output
    assert _counts(app) == after_first
    for output in (first.output, second.output):
        for email, password, _who in demo_logins():
            assert email in output
        assert DEMO_PASSWORD in output
    # The printed logins really work.
    email = demo_logins()[1][0]
    assert post_login(client, email, DEMO_PASSWORD).status_code == 302


# --- password storage ----------------------------------------------------------------------

def test_passwords_are_stored_as_argon2id_hashes_not_in_clear(app, world):
    person = world.user()
    with app.app_context():
        stored = db.session.execute(text("SELECT password_hash FROM users WHERE id = :id"),
                                    {"id": person.user_id}).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert len(stored) > 60


def test_same_password_gets_a_different_hash_per_user(app, world):
    first, second = world.user(), world.user()
    with app.app_context():
        hashes = db.session.scalars(select(User.password_hash).where(
            User.id.in_([first.user_id, second.user_id]))).all()
    assert len(set(hashes)) == 2


def test_new_password_after_reset_is_stored_hashed(app, client, world):
    person = world.user()
    _forgot(client, person.email)
    path = _path(_reset_link(app, person.email))
    client.post(path, data={"csrf_token": csrf_token(client, path), "password": NEW_PASSWORD})
    with app.app_context():
        stored = db.session.get(User, person.user_id).password_hash
    assert stored.startswith("$argon2id$") and NEW_PASSWORD not in stored


def test_reset_requests_are_throttled_per_account_without_telling(app, world):
    person = world.user("veel-vergeten@example.org")
    for number in range(5):
        response = _forgot(app.test_client(), person.email,
                           environ_overrides={"REMOTE_ADDR": f"10.0.0.{number}"})
        assert response.status_code == 302  # the same answer every time
    with app.app_context():
        mails = db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                  .where(OutboxMessage.to_addr == person.email))
    assert mails == 3  # RESETS_PER_HOUR_PER_ACCOUNT: the mailbox is not flooded


def test_reset_requests_are_throttled_per_client_address(app):
    client = app.test_client()
    for number in range(10):
        assert _forgot(client, f"onbekend{number}@example.org").status_code == 302
    response = _forgot(client, "nog-een@example.org")
    assert response.status_code == 429
    assert 'value="nog-een@example.org"' in response.get_data(as_text=True)  # text kept
    other = app.test_client()
    assert _forgot(other, "ander@example.org",
                   environ_overrides={"REMOTE_ADDR": "192.0.2.7"}).status_code == 302


def test_behind_a_trusted_proxy_each_client_has_its_own_login_limit(tmp_path):
    from app import create_app
    from app.extensions import db as database

    app = create_app("test", DATABASE_URL=f"sqlite:///{tmp_path / 'proxy.db'}", TRUSTED_PROXIES=1)
    with app.app_context():
        database.create_all()
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(5):
        client = app.test_client()
        token = csrf_token(client, "/login")
        client.post("/login", data={"csrf_token": token, "email": "x@example.org", "password": "fout"},
                    headers={"X-Forwarded-For": "198.51.100.1"}, environ_overrides=proxy)
    client = app.test_client()
    token = csrf_token(client, "/login")
    blocked = client.post("/login", data={"csrf_token": token, "email": "x@example.org", "password": "fout"},
                          headers={"X-Forwarded-For": "198.51.100.1"}, environ_overrides=proxy)
    other = client.post("/login", data={"csrf_token": token, "email": "x@example.org", "password": "fout"},
                        headers={"X-Forwarded-For": "198.51.100.2"}, environ_overrides=proxy)
    assert blocked.status_code == 429
    assert other.status_code == 400  # refused as a wrong password, not locked out
    with app.app_context():
        database.engine.dispose()
