"""Rate limits (ASVS 5.0 V2.4.1, V6.3.1): every limited action is refused on its real endpoint
once its configured rate is used up, with 429, Retry-After and a Dutch page that keeps the
text that was sent; other people and other addresses go on as before."""
from __future__ import annotations

import io
import re

import pytest

from tests.conftest import PASSWORD, csrf_token, login
from tests.intake import open_interest_page, post_registration
from tests.test_accounts import normalise, post_login

HOME, OTHER, THIRD = "198.51.100.7", "203.0.113.9", "192.0.2.44"


def assert_refused(response, *kept: str) -> str:
    """A 429 that says how long to wait (in Dutch) and still holds `kept`."""
    assert response.status_code == 429, response.status_code
    wait = response.headers.get("Retry-After", "")
    assert wait.isdigit() and 0 < int(wait) <= 24 * 3600, wait
    html = response.get_data(as_text=True)
    assert re.search(r"Wacht \d+ minu(u|t)t?(en)? en probeer het (dan )?opnieuw", html), html
    for text in kept:
        assert text in html, text
    return html


def _forgot(client, email: str, ip: str):
    token = csrf_token(client, "/password/forgot")
    return client.post("/password/forgot", data={"csrf_token": token, "email": email},
                       environ_overrides={"REMOTE_ADDR": ip})


# --- login ------------------------------------------------------------------------------------

def test_login_attempts_are_limited_per_address_whatever_the_account(app, world):
    app.config.update(RATELIMIT_LOGIN_ADDRESS="3 per minute",
                      LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE=100)
    person = world.user()
    guesser = app.test_client()
    for n in range(3):
        assert post_login(guesser, f"iemand{n}@example.org", "gok", ip=OTHER).status_code == 400
    refused = post_login(guesser, person.email, PASSWORD, ip=OTHER)
    html = assert_refused(refused, f'value="{person.email}"')  # the email stays in the form
    assert PASSWORD not in html
    assert post_login(app.test_client(), person.email, PASSWORD, ip=HOME).status_code == 302


def test_wrong_passwords_are_limited_per_account_from_every_address_together(app, world):
    app.config["RATELIMIT_LOGIN_ACCOUNT"] = "3 per hour"
    person, bystander = world.user(), world.user()
    for n, ip in enumerate(("10.0.0.1", "10.0.0.2", "10.0.0.3")):
        assert post_login(app.test_client(), person.email, f"gok {n}", ip=ip).status_code == 400
    assert_refused(post_login(app.test_client(), person.email, PASSWORD, ip="10.0.0.4"))
    # Another account from the same addresses is not affected.
    assert post_login(app.test_client(), bystander.email, PASSWORD, ip="10.0.0.1").status_code == 302


def test_an_unknown_address_is_limited_like_a_known_one(app, world):
    app.config["RATELIMIT_LOGIN_ACCOUNT"] = "2 per hour"
    answers = {}
    for email in (world.user().email, "niemand@example.org"):
        codes = [post_login(app.test_client(), email, "gok", ip=f"10.1.0.{n}").status_code
                 for n in range(3)]
        answers[email] = codes
    assert list(answers.values())[0] == list(answers.values())[1] == [400, 400, 429]


def test_right_passwords_do_not_use_up_the_account_limit(app, world):
    app.config["RATELIMIT_LOGIN_ACCOUNT"] = "2 per hour"
    person = world.user()
    for _ in range(4):
        assert post_login(app.test_client(), person.email, PASSWORD, ip=HOME).status_code == 302


def test_the_rate_limiter_and_the_failure_count_answer_a_login_the_same_way(app, world):
    """The database's count of failures (across processes) and the rate limiter (per process
    with memory://) refuse with the same page, status and kind of Retry-After."""
    person = world.user()
    app.config.update(LOGIN_ATTEMPTS_PER_MINUTE=2, RATELIMIT_LOGIN_ADDRESS="100 per minute")
    by_database = app.test_client()
    for _ in range(2):
        post_login(by_database, person.email, "fout", ip=OTHER)
    counted = post_login(by_database, person.email, "fout", ip=OTHER)
    assert_refused(counted, f'value="{person.email}"')
    app.config.update(LOGIN_ATTEMPTS_PER_MINUTE=100, RATELIMIT_LOGIN_ADDRESS="2 per minute")
    by_limiter = app.test_client()
    for _ in range(2):
        post_login(by_limiter, person.email, "fout", ip=THIRD)
    limited = post_login(by_limiter, person.email, "fout", ip=THIRD)
    assert_refused(limited, f'value="{person.email}"')
    assert normalise(counted.get_data(as_text=True)) == normalise(limited.get_data(as_text=True))


# --- confirming who you are, password resets -----------------------------------------------------

def test_wrong_passwords_on_the_confirmation_page_are_limited_per_account(app, client, world):
    app.config["RATELIMIT_CONFIRM"] = "2 per 15 minutes"
    person = world.user()
    login(client, person)
    token = csrf_token(client, "/account/confirm")
    for _ in range(2):
        response = client.post("/account/confirm", data={"csrf_token": token, "password": "fout"})
        assert response.status_code == 400
    refused = client.post("/account/confirm", data={"csrf_token": token, "password": PASSWORD})
    assert_refused(refused)
    assert 'name="password"' in refused.get_data(as_text=True)  # the form, to try later


def test_reset_requests_are_limited_per_address_with_the_address_kept(app, world):
    app.config["RATELIMIT_RESET"] = "2 per hour"
    client = app.test_client()
    for n in range(2):
        assert _forgot(client, f"vergeten{n}@example.org", OTHER).status_code == 302
    assert_refused(_forgot(client, "nog-een@example.org", OTHER), 'value="nog-een@example.org"')
    assert _forgot(app.test_client(), "ander@example.org", HOME).status_code == 302


# --- what members and facilitators send ----------------------------------------------------------

def _reply(client, slug, thread_id, body, *, files=()):
    path = f"/s/{slug}/t/{thread_id}"
    data = {"csrf_token": csrf_token(client, f"{path}?page=1"), "body": body}
    if files:
        data["files"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post(f"{path}/reply", data=data, content_type="multipart/form-data")


def test_posts_are_limited_per_person_and_the_refused_text_is_kept(app, world):
    app.config["RATELIMIT_POSTS"] = "2 per minute"
    slug, lead = world.space()
    member, other = world.member(slug, lead), world.member(slug, lead)
    thread_id = world.thread(slug, lead)
    client = app.test_client()
    login(client, member)
    token = csrf_token(client, f"/s/{slug}/t/new")
    started = client.post(f"/s/{slug}/t/new", data={
        "csrf_token": token, "kind": "discussion", "title": "Mijn vraag", "body": "Eerste"})
    assert started.status_code == 302
    assert _reply(client, slug, thread_id, "Tweede bericht").status_code == 302
    body = "Dit derde bericht\nmag niet verloren gaan"
    html = assert_refused(_reply(client, slug, thread_id, body), body)
    assert 'name="body"' in html and "Opnieuw versturen" in html
    # A new conversation counts against the same limit.
    token = csrf_token(client, f"/s/{slug}/t/new")
    assert_refused(client.post(f"/s/{slug}/t/new", data={
        "csrf_token": token, "kind": "discussion", "title": "Nog een", "body": "Tekst"}))
    # Someone else in the group posts on.
    other_client = app.test_client()
    login(other_client, other)
    assert _reply(other_client, slug, thread_id, "Ik mag nog").status_code == 302


def test_a_refused_post_is_not_counted(app, world):
    app.config["RATELIMIT_POSTS"] = "1 per minute"
    slug, lead = world.space()
    thread_id = world.thread(slug, lead)
    client = app.test_client()
    login(client, lead)
    assert _reply(client, slug, thread_id, "").status_code == 400  # empty: refused at the field
    assert _reply(client, slug, thread_id, "Nu wel iets").status_code == 302


def test_uploads_are_limited_per_person_and_messages_without_files_do_not_count(app, world):
    from tests import uploadfiles

    app.config.update(RATELIMIT_UPLOADS="1 per hour", RATELIMIT_POSTS="100 per minute")
    slug, lead = world.space()
    thread_id = world.thread(slug, lead)
    client = app.test_client()
    login(client, lead)
    pdf = (uploadfiles.pdf(), "schema.pdf")
    assert _reply(client, slug, thread_id, "Met bijlage", files=[pdf]).status_code == 302
    assert _reply(client, slug, thread_id, "Zonder bijlage").status_code == 302
    html = assert_refused(_reply(client, slug, thread_id, "Nog een bijlage", files=[pdf]),
                          "Nog een bijlage")
    assert "Bestanden die je had toegevoegd zijn niet bewaard" in html


def test_flags_are_limited_per_person_with_the_note_kept(app, client, world):
    app.config["RATELIMIT_FLAGS"] = "1 per hour"
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, lead, body="Eerste")
    second = world.reply(slug, thread_id, lead, "Tweede")
    login(client, member)

    def flag(post_id, note):
        path = f"/s/{slug}/p/{post_id}/flag"
        return client.post(path, data={"csrf_token": csrf_token(client, path),
                                       "reason": "hurtful", "note": note})

    assert flag(world.first_post_id(thread_id), "Niet aardig").status_code == 302
    assert_refused(flag(second, "Ook dit bericht vind ik niet aardig"),
                   "Ook dit bericht vind ik niet aardig")


def test_invitations_are_limited_per_person(app, client, world):
    app.config["RATELIMIT_INVITATIONS"] = "2 per hour"
    slug, lead = world.space()
    login(client, lead)

    def invite(email):
        token = csrf_token(client, f"/s/{slug}/invite")
        return client.post(f"/s/{slug}/invite",
                           data={"csrf_token": token, "email": email, "role": "member"})

    assert invite("een@example.org").status_code == 302
    assert invite("twee@example.org").status_code == 302
    assert_refused(invite("drie@example.org"), "drie@example.org")


def test_interest_registrations_are_limited_per_address(app, world):
    app.config.update(RATELIMIT_INTAKE="2 per hour", INTAKE_PER_HOUR_PER_ADDRESS=100)
    slug, lead = world.space()
    key = open_interest_page(world, slug, lead)
    client = app.test_client()
    for n in range(2):
        response = post_registration(client, key, email=f"sam{n}@example.org", ip=OTHER)
        assert response.status_code == 302
    assert_refused(post_registration(client, key, email="sam9@example.org",
                                     answers=("Rust en herkenning", "Nee"), ip=OTHER),
                   "sam9@example.org", "Rust en herkenning")
    assert post_registration(client, key, email="sam8@example.org", ip=HOME).status_code == 302


def test_ipv6_clients_are_counted_by_their_64_block(app, world):
    app.config["RATELIMIT_RESET"] = "2 per hour"
    client = app.test_client()
    assert _forgot(client, "a@example.org", "2001:db8:1:2::1").status_code == 302
    assert _forgot(client, "b@example.org", "2001:db8:1:2::ffff").status_code == 302
    assert _forgot(client, "c@example.org", "2001:db8:1:2:abcd::9").status_code == 429
    assert _forgot(client, "d@example.org", "2001:db8:1:3::1").status_code == 302


# --- settings ---------------------------------------------------------------------------------

def test_every_rate_can_be_set_from_the_environment(monkeypatch):
    from app.limits import SETTINGS
    from config import load_config

    for name in SETTINGS:
        monkeypatch.setenv(f"KRING_{name}", "7 per hour")
    settings = load_config("test")
    assert {settings[name] for name in SETTINGS} == {"7 per hour"}


@pytest.mark.parametrize("name", __import__("app.limits", fromlist=["SETTINGS"]).SETTINGS)
def test_every_rate_is_documented_in_the_readme(name):
    from config import BASE_DIR

    assert f"`KRING_{name}`" in (BASE_DIR / "README.md").read_text(encoding="utf-8")
