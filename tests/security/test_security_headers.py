"""Security headers (ASVS 5.0 V3.4): a Content-Security-Policy with this response's nonce on
every page type, the nonce on every script and style element and new for every response,
object-src/base-uri none, no data: images, HSTS in production only, no Server banner."""
from __future__ import annotations

import io
import re
import socket
import urllib.request
from pathlib import Path

import pytest

from config import BASE_DIR
from tests.conftest import csrf_token, login, reauth

NONCE = re.compile(r"'nonce-([A-Za-z0-9_-]{22,})'")


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    return {words[0]: words[1:] for part in header.split(";") if (words := part.split())}


def assert_strict_policy(response) -> str:
    """The policy every page gets; returns its nonce."""
    directives = policy(response)
    nonce = NONCE.fullmatch(directives["script-src"][0]).group(1)
    assert directives["script-src"] == [f"'nonce-{nonce}'"]  # not even 'self'
    assert directives["style-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["img-src"] == ["'self'"]  # no data: (no page needs it)
    assert directives["default-src"] == ["'self'"]
    headers = response.headers
    assert headers["Permissions-Policy"].startswith("camera=(), microphone=(), geolocation=()")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers  # not in development and tests
    return nonce


def element_nonces(html: str) -> list[str]:
    """The nonce of every <script>, <style> and stylesheet <link> (None where missing)."""
    found = []
    for tag in re.findall(r"<(?:script|style)\b[^>]*>|<link\b[^>]*rel=\"stylesheet\"[^>]*>", html):
        match = re.search(r'\bnonce="([^"]*)"', tag)
        found.append(match.group(1) if match else None)
    return found


# --- every page type -----------------------------------------------------------------------------

def test_every_kind_of_page_has_the_strict_policy_and_its_elements_carry_its_nonce(
        app, client, world):
    from tests.intake import open_interest_page

    slug, lead = world.space()
    thread = world.thread(slug, lead)
    key = open_interest_page(world, slug, lead)
    public = [client.get(path) for path in
              ("/login", "/password/forgot", "/hulp", f"/aanmelden/{key}", "/nergens",
               f"/invite/{world.invite_token(slug, lead)}", "/invite/verlopen")]
    login(client, lead)
    reauth(client)
    member = [client.get(path) for path in
              ("/", "/account", "/account/security", "/account/confirm", "/account/password",
               f"/s/{slug}/",
               f"/s/{slug}/t/{thread}?page=1", f"/s/{slug}/t/new", f"/s/{slug}/library",
               f"/s/{slug}/members", f"/s/{slug}/invite", f"/s/{slug}/moderation",
               "/s/bestaat-niet/")]
    statuses = [r.status_code for r in public + member]
    assert {200, 404, 410} == set(statuses), statuses
    for response in public + member:
        nonce = assert_strict_policy(response)
        nonces = element_nonces(response.get_data(as_text=True))
        assert nonces and set(nonces) == {nonce}, (response.request.path, nonces)


def test_the_429_and_the_refused_write_pages_have_the_policy_too(app, client, world):
    app.config["RATELIMIT_RESET"] = "1 per hour"
    for _ in range(2):
        response = client.post("/password/forgot", data={
            "csrf_token": csrf_token(client, "/password/forgot"), "email": "x@example.org"})
    assert response.status_code == 429
    nonce = assert_strict_policy(response)
    assert set(element_nonces(response.get_data(as_text=True))) == {nonce}


def test_static_files_and_healthz_have_the_policy(client):
    for path in ("/static/css/kring.css", "/static/js/password.js", "/healthz"):
        response = client.get(path)
        assert response.status_code == 200
        assert_strict_policy(response)
        response.close()


def test_a_served_file_keeps_its_own_sandboxed_policy(app, client, world):
    from tests import uploadfiles

    slug, lead = world.space()
    thread = world.thread(slug, lead)
    login(client, lead)
    path = f"/s/{slug}/t/{thread}"
    client.post(f"{path}/reply", data={
        "csrf_token": csrf_token(client, f"{path}?page=1"), "body": "Bijlage",
        "files": [(io.BytesIO(uploadfiles.pdf()), "schema.pdf")]},
        content_type="multipart/form-data")
    page = client.get(f"{path}?page=1").get_data(as_text=True)
    url = re.search(r'href="(/s/[^"]+/files/\d+/schema\.pdf)"', page).group(1)
    served = client.get(url)
    assert served.status_code == 200
    assert "sandbox" in served.headers["Content-Security-Policy"]
    assert "'nonce-" not in served.headers["Content-Security-Policy"]
    served.close()


def test_the_nonce_is_new_for_every_response(client):
    nonces = {assert_strict_policy(client.get("/login")) for _ in range(20)}
    assert len(nonces) == 20
    assert all(len(nonce) >= 22 for nonce in nonces)  # 18 random bytes


@pytest.mark.parametrize("path", sorted((BASE_DIR / "templates").rglob("*.html")),
                         ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_every_script_and_style_element_in_the_templates_carries_the_nonce(path: Path):
    source = path.read_text(encoding="utf-8")
    if "email" in path.parts or 'http-equiv="Content-Security-Policy"' in source:
        pytest.skip("mail, or a file made for a zip with a policy of its own: no web page")
    for tag in re.findall(r"<(?:script|style)\b[^>]*>|<link\b[^>]*stylesheet[^>]*>", source):
        assert 'nonce="{{ csp_nonce() }}"' in tag, f"{path.name}: {tag}"
    assert not re.search(r"\sstyle=", source), f"{path.name}: a style attribute (CSP blocks it)"
    assert not re.search(r"\son[a-z]+=", source), f"{path.name}: an inline handler (CSP blocks it)"


# --- production only: HSTS ----------------------------------------------------------------------

def _production_app(tmp_path, **settings):
    from app import create_app
    from app.extensions import db

    app = create_app("production", SECRET_KEY="k" * 48, ALLOW_SQLITE_IN_PRODUCTION=True,
                     DATABASE_URL=f"sqlite:///{tmp_path / 'kring.db'}", **settings)
    with app.app_context():
        db.create_all()
    return app


def test_production_sends_hsts_for_a_year_and_can_be_told_not_to(tmp_path):
    response = _production_app(tmp_path).test_client().get("/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    off = _production_app(tmp_path, HSTS_SECONDS=0).test_client().get("/login")
    assert "Strict-Transport-Security" not in off.headers


# --- no server banner ----------------------------------------------------------------------------

def test_the_server_says_neither_its_name_nor_its_version(sqlite_app):
    from app.server import make_server
    from tests.served import serving

    server = make_server(sqlite_app, host="127.0.0.1", port=0)
    with serving(server, "waitress-banner"):
        base = f"http://127.0.0.1:{server.effective_port}"
        ok = urllib.request.urlopen(f"{base}/healthz", timeout=10)
        assert ok.status == 200 and ok.headers.get("Server") is None
        assert "waitress" not in str(ok.headers).lower()
        # A request waitress refuses itself (before Kring sees it) names no software either.
        with socket.create_connection(("127.0.0.1", server.effective_port), timeout=10) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n")
            answer = b""
            while chunk := sock.recv(4096):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 400")
        assert b"waitress" not in answer.lower() and b"\r\nserver:" not in answer.lower()
