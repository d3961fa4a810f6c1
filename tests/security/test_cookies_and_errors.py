"""ASVS 5.0 V3.3 (cookie setup): in the production configuration every cookie Kring sets is
Secure, HttpOnly, SameSite, host-only with Path=/ and the __Host- prefix. ASVS 5.0 V13.4 and
V16.5 (unintended information leakage, error handling): error pages show no stack trace,
exception text, file path or version, in production and in development; debug mode is off."""
from __future__ import annotations

import re

import pytest

from app import create_app
from app.extensions import db

GOOD_KEY = "k" * 48
HTTPS = "https://kring.example"
# What a stack trace, a debugger or a version banner would put in a page.
LEAKS = re.compile(r"Traceback|File \"|\.py\b|line \d+|Werkzeug|werkzeug|Flask/|Python/|"
                   r"SQLAlchemy|sqlalchemy|psycopg|waitress|ZeroDivisionError|RuntimeError|"
                   r"geheime-fout|/work/|site-packages|Debugger|__debugger__", re.I)


@pytest.fixture
def production(tmp_path, monkeypatch):
    for name in ("KRING_ENV", "KRING_SESSION_COOKIE_SECURE", "KRING_SESSION_COOKIE_NAME"):
        monkeypatch.delenv(name, raising=False)
    app = create_app("production", SECRET_KEY=GOOD_KEY, ALLOW_SQLITE_IN_PRODUCTION=True,
                     DATABASE_URL=f"sqlite:///{tmp_path / 'kring.db'}",
                     UPLOAD_FOLDER=str(tmp_path / "uploads"))
    with app.app_context():
        db.create_all()

    @app.route("/crash-for-test")
    def crash():
        raise RuntimeError("geheime-fout in /work/app/secret.py line 12")

    @app.route("/crash-in-database-for-test")
    def crash_in_database():
        from sqlalchemy import text

        db.session.execute(text("SELECT * FROM geheime_tabel"))

    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def set_cookies(response) -> list[dict[str, str]]:
    cookies = []
    for header in response.headers.getlist("Set-Cookie"):
        name, _, rest = header.partition("=")
        flags = {"name": name}
        for part in rest.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            flags[key.lower()] = value
        cookies.append(flags)
    return cookies


def https_form(client, path: str) -> str:
    page = client.get(path, base_url=HTTPS).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def test_production_names_the_session_cookie_with_the_host_prefix(production):
    assert production.config["SESSION_COOKIE_NAME"] == "__Host-kring_session"
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert production.config["SESSION_COOKIE_HTTPONLY"] is True
    assert production.config["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert production.config.get("SESSION_COOKIE_DOMAIN") in (None, False)


def test_the_host_prefix_follows_the_secure_setting(tmp_path):
    app = create_app("test", DATABASE_URL=f"sqlite:///{tmp_path / 'kring.db'}")
    assert app.config["SESSION_COOKIE_NAME"] == "kring_session"
    secure = create_app("test", DATABASE_URL=f"sqlite:///{tmp_path / 'kring.db'}",
                        SESSION_COOKIE_SECURE=True)
    assert secure.config["SESSION_COOKIE_NAME"] == "__Host-kring_session"


def test_every_cookie_set_in_production_is_secure_httponly_samesite_and_host_only(production):
    from tests.conftest import PASSWORD, World

    person = World(production).user()
    client = production.test_client()
    responses = [client.get("/login", base_url=HTTPS)]
    token = https_form(client, "/login")
    referer = {"Referer": f"{HTTPS}/login"}
    responses.append(client.post("/language", base_url=HTTPS, headers=referer,
                                 data={"csrf_token": token, "locale": "en", "next": "/login"}))
    token = https_form(client, "/login")
    responses.append(client.post("/login", base_url=HTTPS, headers=referer,
                                 data={"csrf_token": token, "email": person.email,
                                       "password": PASSWORD}))
    responses.append(client.get("/account", base_url=HTTPS))
    cookies = [cookie for response in responses for cookie in set_cookies(response)]
    assert any(c["name"] == "__Host-kring_session" for c in cookies), cookies
    wrong = []
    for cookie in cookies:
        if "max-age" in cookie and cookie["max-age"] == "0" or cookie.get("expires", "").startswith(
                "Thu, 01 Jan 1970"):
            continue  # a deletion carries no value
        problems = [flag for flag in ("secure", "httponly") if flag not in cookie]
        if cookie.get("samesite", "").lower() not in ("lax", "strict"):
            problems.append("samesite")
        if "domain" in cookie or cookie.get("path") != "/":
            problems.append("domain/path")
        if not cookie["name"].startswith("__Host-"):
            problems.append("no __Host- prefix")
        if problems:
            wrong.append((cookie["name"], problems))
    assert wrong == []


def test_the_session_cookie_is_never_readable_by_scripts_in_any_configuration(app, client):
    response = client.get("/login")
    session, = [c for c in set_cookies(response) if c["name"] == app.config["SESSION_COOKIE_NAME"]]
    assert "httponly" in session
    assert session.get("samesite", "").lower() == "lax"


# --- error pages ---------------------------------------------------------------------------

def assert_no_leak(response) -> None:
    html = response.get_data(as_text=True)
    match = LEAKS.search(html)
    assert match is None, html[max(0, match.start() - 80):match.end() + 80]
    assert "Server" not in response.headers or not re.search(
        r"\d", response.headers["Server"]), response.headers.get("Server")
    assert "X-Powered-By" not in response.headers


def test_a_crash_in_production_shows_the_error_page_without_details(production):
    response = production.test_client().get("/crash-for-test", base_url=HTTPS)
    assert response.status_code == 500
    assert_no_leak(response)
    assert "<h1>" in response.get_data(as_text=True)


def test_a_database_error_in_production_shows_no_sql(production):
    response = production.test_client().get("/crash-in-database-for-test", base_url=HTTPS)
    assert response.status_code == 500
    assert_no_leak(response)
    assert "geheime_tabel" not in response.get_data(as_text=True)


@pytest.mark.parametrize("method, path, status", [
    ("GET", "/does-not-exist", 404), ("DELETE", "/login", 405), ("POST", "/login", 400),
    ("GET", "/password/reset/unknown", 410), ("GET", "/s/../../etc/passwd", 404),
    ("GET", "/s/x/t/99999999999999999999", 404), ("GET", "/%ff%fe", 404),
])
def test_error_answers_in_production_carry_no_details(production, method, path, status):
    response = production.test_client().open(path, method=method, base_url=HTTPS)
    assert response.status_code == status
    assert_no_leak(response)


def test_a_crash_in_development_shows_no_details_either(sqlite_app):
    @sqlite_app.route("/crash-for-test")
    def crash():
        raise RuntimeError("geheime-fout in /work/app/secret.py line 12")

    sqlite_app.config["PROPAGATE_EXCEPTIONS"] = False
    response = sqlite_app.test_client().get("/crash-for-test")
    assert response.status_code == 500
    assert_no_leak(response)


def test_debug_mode_is_off_in_every_shipped_configuration():
    from config import load_config

    for name in ("default", "test"):
        assert load_config(name)["DEBUG"] is False
    app = create_app("production", SECRET_KEY=GOOD_KEY,
                     DATABASE_URL="postgresql+psycopg://kring@127.0.0.1:5432/kring")
    assert app.debug is False
    assert app.config["PROPAGATE_EXCEPTIONS"] in (None, False)
