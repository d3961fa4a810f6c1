"""Server-side sessions (app/accounts/sessions.py): rows per browser, the security page that
lists and ends them, last-seen bookkeeping, the re-auth proof on the row, new-device mail."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from app.accounts.devices import summarise
from app.accounts.models import User
from app.accounts.security_models import KnownDevice, UserSession
from app.audit import events
from app.audit.models import AuditEvent
from app.database import utcnow
from app.extensions import db
from app.notify.models import OutboxMessage
from tests.conftest import PASSWORD, QueryCounter, csrf_token, login
from tests.mail import rendered_mail
from tests.test_accounts import confirm, is_logged_in, post_login, session_cookie

FIREFOX_ANDROID = ("Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0")
SAFARI_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
                 "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")
CHROME_WINDOWS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
                  "Gecko) Chrome/126.0.0.0 Safari/537.36")
EDGE_MAC = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like "
            "Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0")


def browser_login(client, person, *, agent=FIREFOX_ANDROID, ip="192.0.2.55"):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"csrf_token": token, "email": person.email,
                                       "password": PASSWORD},
                       headers={"User-Agent": agent}, environ_overrides={"REMOTE_ADDR": ip})


def _rows(app, user_id):
    with app.app_context():
        rows = db.session.scalars(select(UserSession).where(UserSession.user_id == user_id)
                                  .order_by(UserSession.id)).all()
        db.session.expunge_all()
        return rows


def _events(app, name):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.event == name))


def test_device_summary_names_browser_and_system_only():
    assert summarise(FIREFOX_ANDROID) == "Firefox/Android"
    assert summarise(SAFARI_IPHONE) == "Safari/iPhone"
    assert summarise(CHROME_WINDOWS) == "Chrome/Windows"
    assert summarise(EDGE_MAC) == "Edge/macOS"
    assert summarise("curl/8.0") == ""
    assert summarise(None) == ""


def test_login_stores_a_session_row_with_a_hashed_key_device_and_network_only(app, client, world):
    person = world.user()
    assert browser_login(client, person).status_code == 302
    (row,) = _rows(app, person.user_id)
    assert row.device == "Firefox/Android"
    assert row.ip_prefix == "192.0.2.0/24"
    assert row.ended_at is None and row.reauth_at is None
    with client.session_transaction() as session:
        key = session["_user_id"]
    assert key not in row.key_hash and len(row.key_hash) == 64
    assert str(person.user_id) != key


def test_security_page_lists_my_sessions_and_marks_this_device(app, world):
    person = world.user()
    phone, laptop = app.test_client(), app.test_client()
    browser_login(phone, person)
    browser_login(laptop, person, agent=CHROME_WINDOWS, ip="198.51.100.23")
    page = laptop.get("/account/security")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Firefox op Android" in html and "Chrome op Windows" in html
    assert html.count("dit apparaat") == 1
    assert re.search(r"Chrome op Windows</strong> <span class=\"badge\">dit apparaat", html)
    assert "vandaag, rond" in html
    assert "Uitloggen op alle andere apparaten" in html


def test_security_page_never_shows_a_full_address(app, world):
    person = world.user()
    client = app.test_client()
    browser_login(client, person, ip="203.0.113.77")
    other = app.test_client()
    browser_login(other, person, ip="2001:db8:1234:5678::9")
    html = client.get("/account/security").get_data(as_text=True)
    assert "203.0.113.77" not in html and "2001:db8:1234:5678::9" not in html
    assert "203.0.113.0/24" in html and "2001:db8:1234::/48" in html


def test_ending_another_session_logs_that_browser_out(app, world):
    person = world.user()
    here, there = app.test_client(), app.test_client()
    browser_login(here, person)
    browser_login(there, person)
    _mine, theirs = _rows(app, person.user_id)  # in login order
    token = csrf_token(here, "/account/security")
    response = here.post(f"/account/sessions/{theirs.id}/end", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/account/security"
    assert not is_logged_in(there)
    assert is_logged_in(here)
    assert _events(app, events.SESSION_ENDED) == 1


def test_ending_one_session_leaves_the_others(app, world):
    person = world.user()
    here, there, third = app.test_client(), app.test_client(), app.test_client()
    for client in (here, there, third):
        browser_login(client, person)
    _here, there_row, _third = _rows(app, person.user_id)
    token = csrf_token(here, "/account/security")
    assert here.post(f"/account/sessions/{there_row.id}/end",
                     data={"csrf_token": token}).status_code == 302
    assert is_logged_in(here) and is_logged_in(third)
    assert not is_logged_in(there)
    assert there.get("/s/whatever/").headers["Location"].startswith("/login")


def test_ending_this_session_is_logging_out_here(app, world):
    person = world.user()
    here = app.test_client()
    browser_login(here, person)
    (row,) = _rows(app, person.user_id)
    token = csrf_token(here, "/account/security")
    response = here.post(f"/account/sessions/{row.id}/end", data={"csrf_token": token})
    assert response.headers["Location"] == "/login"
    assert not is_logged_in(here)


def test_log_out_everywhere_else_keeps_this_browser(app, world):
    person = world.user()
    clients = [app.test_client() for _ in range(3)]
    for client in clients:
        browser_login(client, person)
    token = csrf_token(clients[0], "/account/security")
    response = clients[0].post("/account/sessions/end-others", data={"csrf_token": token})
    assert response.status_code == 302
    assert is_logged_in(clients[0])
    assert not is_logged_in(clients[1]) and not is_logged_in(clients[2])
    assert _events(app, events.SESSION_ENDED) == 1


def test_ending_sessions_needs_a_post_with_a_csrf_token(app, world):
    person = world.user()
    here, there = app.test_client(), app.test_client()
    browser_login(here, person)
    browser_login(there, person)
    _mine, theirs = _rows(app, person.user_id)
    assert here.get(f"/account/sessions/{theirs.id}/end").status_code == 405
    assert here.post(f"/account/sessions/{theirs.id}/end").status_code == 400
    assert here.post("/account/sessions/end-others").status_code == 400
    assert is_logged_in(there)


def test_logout_ends_the_row_and_is_audited(app, world):
    person = world.user()
    client = app.test_client()
    browser_login(client, person)
    token = csrf_token(client, "/account")
    client.post("/logout", data={"csrf_token": token})
    (row,) = _rows(app, person.user_id)
    assert row.ended_at is not None
    assert _events(app, events.LOGOUT) == 1


def test_last_seen_is_written_at_most_every_few_minutes(app, world, clock):
    person = world.user()
    client = app.test_client()
    login(client, person)
    with app.app_context():
        engine = db.engine

    def updates():
        with QueryCounter(engine) as counter:
            assert client.get("/account").status_code == 200
        return sum(1 for s in counter.statements if s.lstrip().upper().startswith("UPDATE USER_SESSIONS"))

    assert updates() == 0
    clock.move(timedelta(minutes=4))
    assert updates() == 0
    clock.move(timedelta(minutes=2))
    assert updates() == 1
    assert updates() == 0
    (row,) = _rows(app, person.user_id)
    assert row.last_seen_at > row.created_at + timedelta(minutes=5)


def test_an_erased_account_is_not_logged_in(app, world):
    person = world.user()
    client = app.test_client()
    login(client, person)
    assert is_logged_in(client)
    with app.app_context():
        db.session.get(User, person.user_id).erased_at = utcnow()
        db.session.commit()
    assert not is_logged_in(client)


def test_the_session_of_a_request_is_loaded_with_its_user_in_one_statement(app, world):
    person = world.user()
    client = app.test_client()
    login(client, person)
    client.get("/account")
    with app.app_context():
        engine = db.engine
    with QueryCounter(engine) as counter:
        assert client.get("/account").status_code == 200
    sessions = [s for s in counter.statements if "user_sessions" in s.lower()]
    assert len(sessions) == 1 and "JOIN users" in sessions[0]


# --- re-authentication lives on the session row -----------------------------------------

def test_reauth_proof_belongs_to_this_session_only(app, world, clock):
    person = world.user()
    here, there = app.test_client(), app.test_client()
    post_login(here, person.email, PASSWORD)
    post_login(there, person.email, PASSWORD)
    assert here.get("/account/password").status_code == 302
    confirm(here)
    assert here.get("/account/password").status_code == 200
    assert there.get("/account/password").headers["Location"].startswith("/account/confirm")
    clock.move(timedelta(minutes=11))
    assert here.get("/account/password").headers["Location"].startswith("/account/confirm")


def test_reauth_proof_dies_with_the_session(app, world):
    person = world.user()
    client = app.test_client()
    post_login(client, person.email, PASSWORD)
    confirm(client)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    post_login(client, person.email, PASSWORD)
    assert client.get("/account/email").headers["Location"].startswith("/account/confirm")


# --- a login from a new browser --------------------------------------------------------------

def _notices(app, email):
    return rendered_mail(app, OutboxMessage.kind == "new_device", OutboxMessage.to_addr == email)


def test_a_login_from_a_new_browser_mails_a_content_free_notice(app, world):
    person = world.user()
    phone = app.test_client()
    browser_login(phone, person)
    assert _notices(app, person.email) == []  # the first browser is no news
    browser_login(phone, person)  # the same browser again (its device cookie)
    assert _notices(app, person.email) == []
    laptop = app.test_client()
    browser_login(laptop, person, agent=CHROME_WINDOWS, ip="198.51.100.7")
    (notice,) = _notices(app, person.email)
    assert "nieuw apparaat" in notice.subject.lower() or "nieuwe" in notice.subject.lower()
    for secret in ("198.51.100", "Chrome", "Windows"):
        assert secret not in notice.body_text and secret not in notice.body_html
    with app.app_context():
        hashes = db.session.scalars(select(KnownDevice.device_hash)).all()
    cookie = laptop.get_cookie("kring_device").value
    assert len(hashes) == 2 and cookie not in "".join(hashes)


def test_the_new_browser_notice_can_be_switched_off_on_the_account_page(app, world):
    person = world.user()
    browser_login(app.test_client(), person)
    client = app.test_client()
    login(client, person)
    page = client.get("/account").get_data(as_text=True)
    (box,) = re.findall(r'<input[^>]*name="notify"[^>]*>', page)
    assert "checked" in box  # on by default
    response = client.post("/account/new-device", data={
        "csrf_token": csrf_token(client, "/account")})  # unchecked: the box is not sent
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, person.user_id).notify_new_device is False
    browser_login(app.test_client(), person)
    assert _notices(app, person.email) == []
    assert "Je keuze is opgeslagen" in client.get("/account").get_data(as_text=True)


def test_the_notice_setting_needs_a_csrf_token(app, world):
    person = world.user()
    client = app.test_client()
    login(client, person)
    assert client.post("/account/new-device", data={"notify": "y"}).status_code == 400


def test_approximate_times_say_today_and_yesterday_around_the_half_hour(app):
    from app.dates import format_approximate, format_day

    now = datetime(2026, 12, 3, 15, 0, tzinfo=timezone.utc)  # 16:00 in Amsterdam
    with app.test_request_context():
        assert format_approximate(datetime(2026, 12, 3, 13, 7, tzinfo=timezone.utc), now) == \
            "vandaag, rond 14:00"
        assert format_approximate(datetime(2026, 12, 3, 13, 20, tzinfo=timezone.utc), now) == \
            "vandaag, rond 14:30"
        assert format_approximate(datetime(2026, 12, 2, 8, 50, tzinfo=timezone.utc), now) == \
            "gisteren, rond 10:00"
        assert format_approximate(datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc), now) == \
            format_day(datetime(2026, 11, 20).date())


def test_a_copied_cookie_of_an_ended_session_leads_to_the_login_page(app, world):
    person = world.user()
    client = app.test_client()
    browser_login(client, person)
    stolen = session_cookie(client)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    thief = app.test_client()
    thief.set_cookie("kring_session", stolen)
    response = thief.get("/account/security")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_session_left_unused_too_long_is_over(app, world, client, clock):
    person = world.user()
    app.config["SESSION_IDLE_HOURS"] = 12
    try:
        login(client, person)
        clock.move(timedelta(hours=11))
        assert is_logged_in(client)  # used after 11 hours: still on, and touched
        clock.move(timedelta(hours=11, minutes=59))
        assert is_logged_in(client)  # idle time counts from the last use
        clock.move(timedelta(hours=12, minutes=6))
        assert not is_logged_in(client)
        # and the security page of another browser no longer lists it
        other = app.test_client()
        login(other, person)
        listed = other.get("/account/security").get_data(as_text=True)
        assert listed.count('action="/account/sessions/') <= 1
    finally:
        app.config["SESSION_IDLE_HOURS"] = 0


def test_a_session_ends_after_its_longest_life_however_much_it_is_used(app, world, client, clock):
    person = world.user()
    app.config["SESSION_MAX_DAYS"] = 14
    try:
        login(client, person)
        for _ in range(13):
            clock.move(timedelta(days=1))
            assert is_logged_in(client)
        clock.move(timedelta(days=1, minutes=1))
        assert not is_logged_in(client)
        page = client.get("/account/security")
        assert page.status_code == 302 and "/login" in page.headers["Location"]
    finally:
        app.config["SESSION_MAX_DAYS"] = 0


def test_the_session_limits_are_on_outside_the_tests():
    from config import Config

    assert Config.SESSION_IDLE_HOURS == 12 and Config.SESSION_MAX_DAYS == 14
