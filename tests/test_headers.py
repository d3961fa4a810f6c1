"""Security headers on every response, no third-party hosts in templates or static files,
/healthz, the production start-up checks and the session cookie flags."""
from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from app import create_app
from config import BASE_DIR, check_production, load_config
from tests.conftest import PASSWORD, csrf_token, login

SESSION_COOKIE = "kring_session"


NONCE = re.compile(r"'nonce-([A-Za-z0-9_-]{22,})'")


def csp_directives(response) -> dict[str, list[str]]:
    """The policy's directives, each response's nonce written as 'nonce-*'."""
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request.path}"
    directives = {}
    for part in NONCE.sub("'nonce-*'", header).split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def assert_security_headers(response) -> None:
    directives = csp_directives(response)
    script_src = directives.get("script-src", directives.get("default-src"))
    assert script_src is not None, "CSP restricts neither script-src nor default-src"
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert "*" not in script_src and "'self'" not in script_src  # only this response's nonce
    assert directives.get("frame-ancestors") == ["'none'"]
    assert "'self'" in directives.get("default-src", [])
    assert response.headers.get("Referrer-Policy") == "same-origin"
    assert response.headers.get("X-Content-Type-Options") == "nosniff"


def set_cookie_headers(response, name: str) -> list[str]:
    return [h for h in response.headers.getlist("Set-Cookie") if h.startswith(name + "=")]


def cookie_flags(header: str) -> dict[str, str]:
    flags = {}
    for part in header.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        flags[key.lower()] = value
    return flags


# --- headers on every kind of response ----------------------------------------------------

def test_login_page_has_security_headers(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert_security_headers(response)


def test_space_page_has_security_headers_and_no_store(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    response = client.get(f"/s/{slug}/")
    assert response.status_code == 200
    assert_security_headers(response)
    assert "no-store" in response.headers.get("Cache-Control", "")


def test_not_found_page_has_security_headers(client):
    response = client.get("/this/does/not/exist")
    assert response.status_code == 404
    assert_security_headers(response)


def test_gone_invitation_page_has_security_headers(client):
    response = client.get("/invite/not-a-real-token")
    assert response.status_code == 410
    assert_security_headers(response)


def test_csrf_failure_page_has_security_headers(client):
    response = client.post("/login", data={"email": "a@example.org", "password": "x"})
    assert response.status_code == 400
    assert_security_headers(response)


def test_healthz_has_security_headers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert_security_headers(response)


def test_static_file_has_security_headers(client):
    response = client.get("/static/css/kring.css")
    assert response.status_code == 200
    assert_security_headers(response)
    response.close()


@pytest.mark.parametrize("path", ["/", "/account", "/account/security", "/s/{slug}/",
                                  "/s/{slug}/members", "/s/{slug}/agreement",
                                  "/s/{slug}/t/{thread}?page=1"])
def test_authenticated_responses_are_not_stored(app, client, world, path):
    slug, lead = world.space()
    thread = world.thread(slug, lead)
    login(client, lead)
    response = client.get(path.format(slug=slug, thread=thread))
    assert response.status_code == 200
    assert "no-store" in response.headers.get("Cache-Control", "")
    assert_security_headers(response)
    response.close()


def test_rendered_pages_reference_no_other_host(app, client, world):
    slug, lead = world.space()
    thread = world.thread(slug, lead, body="[extern](https://www.nibud.nl/)")
    pages = [client.get("/login").get_data(as_text=True)]
    login(client, lead)
    pages += [client.get(p).get_data(as_text=True)
              for p in ("/", f"/s/{slug}/", f"/s/{slug}/t/{thread}?page=1", f"/s/{slug}/members")]
    for html in pages:
        for match in re.finditer(r'<(script|link|img|iframe|form|source|video|audio)\b[^>]*>', html):
            tag = match.group(0)
            assert not re.search(r'(?:src|href|action)\s*=\s*["\']?\s*(?:[a-z]+:)?//', tag, re.I), tag


# --- no third-party hosts in templates and static files ------------------------------------

_REMOTE_ATTR = re.compile(
    r"""\b(?:src|href|action|srcset|poster|data|formaction)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
_REMOTE_CSS = re.compile(r"""(?:url\(\s*["']?\s*|@import\s+["']?)(?:https?:)?//""", re.I)
_REMOTE_JS = re.compile(r"""(?:fetch|XMLHttpRequest|import|open)\s*\(\s*["'`](?:https?:)?//""", re.I)


def _files(*folders: str) -> list[Path]:
    found = []
    for folder in folders:
        found += sorted(p for p in (BASE_DIR / folder).rglob("*") if p.is_file())
    return found


def test_there_are_templates_and_static_files_to_scan():
    names = {p.name for p in _files("templates", "static")}
    assert {"base.html", "kring.css", "kring.js"} <= names


@pytest.mark.parametrize("path", _files("templates", "static"), ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_template_or_static_file_references_no_other_host(path):
    if path.suffix in {".png", ".jpg", ".jpeg", ".gif", ".ico", ".woff", ".woff2", ".ttf", ".mo"}:
        pytest.skip("binary file")
    content = path.read_text(encoding="utf-8")
    for pattern in (_REMOTE_ATTR, _REMOTE_CSS, _REMOTE_JS):
        match = pattern.search(content)
        assert match is None, f"{path}: {content[max(0, match.start() - 40):match.end() + 40]!r}"


# --- /healthz ------------------------------------------------------------------------------

def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_healthz_is_503_when_postgresql_is_unreachable():
    url = f"postgresql+psycopg://kring@127.0.0.1:{_closed_port()}/kring?connect_timeout=2"
    broken = create_app("test", DATABASE_URL=url)
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_data(as_text=True) != "ok"
    assert_security_headers(response)


def test_healthz_is_503_when_the_sqlite_file_cannot_be_opened(tmp_path):
    url = f"sqlite:///{tmp_path / 'missing' / 'folder' / 'kring.db'}"
    broken = create_app("test", DATABASE_URL=url)
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_data(as_text=True) != "ok"


# --- production refuses unsafe settings ----------------------------------------------------

GOOD_KEY = "k" * 48
PG_URL = "postgresql+psycopg://kring@127.0.0.1:5432/kring"


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("KRING_ENV", "KRING_SECRET_KEY", "KRING_DATABASE_URL",
                 "KRING_ALLOW_SQLITE_IN_PRODUCTION", "KRING_SESSION_COOKIE_SECURE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_production_refuses_to_start_without_a_secret_key(clean_env):
    with pytest.raises(RuntimeError):
        create_app("production", DATABASE_URL=PG_URL)


@pytest.mark.parametrize("key", ["", "dev-only-not-secret", "short-key-31-characters-long-xx"])
def test_production_refuses_a_placeholder_or_short_secret_key(clean_env, key):
    with pytest.raises(RuntimeError):
        create_app("production", SECRET_KEY=key, DATABASE_URL=PG_URL)


def test_production_refuses_sqlite_unless_allowed(clean_env, tmp_path):
    url = f"sqlite:///{tmp_path / 'kring.db'}"
    with pytest.raises(RuntimeError):
        create_app("production", SECRET_KEY=GOOD_KEY, DATABASE_URL=url)
    app = create_app("production", SECRET_KEY=GOOD_KEY, DATABASE_URL=url,
                     ALLOW_SQLITE_IN_PRODUCTION=True)
    assert app.config["PRODUCTION"] is True


def test_production_allows_sqlite_through_the_environment_variable(clean_env, tmp_path):
    url = f"sqlite:///{tmp_path / 'kring.db'}"
    clean_env.setenv("KRING_SECRET_KEY", GOOD_KEY)
    clean_env.setenv("KRING_DATABASE_URL", url)
    with pytest.raises(RuntimeError):
        check_production(load_config("production"))
    clean_env.setenv("KRING_ALLOW_SQLITE_IN_PRODUCTION", "1")
    check_production(load_config("production"))  # no exception
    assert create_app("production").config["DATABASE_URL"] == url


def test_production_starts_with_a_real_key_and_postgresql(clean_env):
    app = create_app("production", SECRET_KEY=GOOD_KEY, DATABASE_URL=PG_URL)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["PASSWORD_HASH_METHOD"] == "argon2id:m=19456,t=2,p=1"  # OWASP's values
    assert not app.config["DEBUG"] and not app.config["TESTING"]


def test_development_and_test_configs_are_not_checked_as_production(clean_env, tmp_path):
    import config

    # The default config makes its key in the instance folder: a temporary one, never the
    # repository's instance/secret_key.
    clean_env.setattr(config, "INSTANCE_DIR", tmp_path)
    check_production(load_config("default"))
    check_production(load_config("test"))
    assert (tmp_path / "secret_key").exists()


# --- session cookie ------------------------------------------------------------------------

def test_session_cookie_is_httponly_and_samesite_lax(client):
    response = client.get("/login")
    headers = set_cookie_headers(response, SESSION_COOKIE)
    assert headers, response.headers.getlist("Set-Cookie")
    flags = cookie_flags(headers[0])
    assert "httponly" in flags
    assert flags.get("samesite", "").lower() == "lax"


def test_session_cookie_after_login_is_httponly_and_samesite_lax(app, client, world):
    person = world.user()
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "email": person.email,
                                           "password": PASSWORD})
    assert response.status_code == 302
    headers = set_cookie_headers(response, SESSION_COOKIE)
    assert headers
    flags = cookie_flags(headers[-1])
    assert "httponly" in flags
    assert flags.get("samesite", "").lower() == "lax"
    assert "secure" not in flags  # off in the test config (plain http)


def test_session_cookie_is_secure_when_configured(app, client):
    app.config["SESSION_COOKIE_SECURE"] = True
    response = client.get("/login")
    headers = set_cookie_headers(response, SESSION_COOKIE)
    assert headers
    flags = cookie_flags(headers[0])
    assert "secure" in flags
    assert "httponly" in flags
    assert flags.get("samesite", "").lower() == "lax"


@pytest.mark.parametrize("path", ["/login", "/password/forgot", "/invite/{token}",
                                  "/password/reset/unknown-token", "/healthz"])
def test_pages_for_visitors_are_not_stored_either(app, client, world, path):
    """Invitation and reset pages show names and addresses to whoever holds the link: a shared
    computer must not keep them."""
    slug, lead = world.space()
    token = world.invite_token(slug, lead)
    response = client.get(path.format(token=token))
    assert "no-store" in response.headers.get("Cache-Control", "")


def test_static_files_may_be_cached(client):
    response = client.get("/static/css/kring.css")
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()
