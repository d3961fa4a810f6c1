"""Host header poisoning: links in mail (password reset, invitations, the first facilitator's
invitation) and the invitation link shown once to the facilitator are built from BASE_URL
(app/urls.py), never from Host, X-Forwarded-Host or X-Forwarded-Proto, also behind a trusted
proxy (ProxyFix trusts only the client address and scheme, never the host)."""
from __future__ import annotations

import re

from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.notify.outbox import OutboxMessage
from tests.conftest import World, csrf_token, login
from tests.mail import rendered_mail

EVIL = "evil.example"
HOSTILE_HEADERS = [
    {"Host": EVIL},
    {"X-Forwarded-Host": EVIL},
    {"Host": f"{EVIL}:8443"},
    {"X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "https", "X-Forwarded-Port": "8443",
     "Forwarded": f"host={EVIL};proto=https", "X-Original-Host": EVIL, "X-Host": EVIL},
]
LINK = re.compile(r"https?://[^\s\"'<>]+")


def links(text: str) -> list[str]:
    return LINK.findall(text)


def assert_mail_links_from_base_url(app) -> int:
    """Every link in every queued mail starts with BASE_URL; nothing names the evil host."""
    base = app.config["BASE_URL"].rstrip("/") + "/"
    seen = 0
    for message in rendered_mail(app):
        for body in (message.body_text, message.body_html, message.subject):
            assert EVIL not in body
            for link in links(body):
                assert link.startswith(base), link
                seen += 1
    return seen


def with_session(client, headers: dict, **environ) -> dict:
    """`headers`, with the client's session cookie copied to the host they name: the test
    client sends cookies per host, and a browser tricked into another Host sends its own."""
    cookie = client.get_cookie("kring_session")
    if cookie is None:
        client.get("/login", **environ)
        cookie = client.get_cookie("kring_session")
    if "Host" in headers:
        client.set_cookie("kring_session", cookie.value, domain=headers["Host"].split(":")[0])
    return headers


def forgot(client, email: str, headers: dict, **environ):
    token = csrf_token(client, "/password/forgot")
    return client.post("/password/forgot", data={"csrf_token": token, "email": email},
                       headers=with_session(client, headers), **environ)


def test_reset_links_come_from_base_url_whatever_host_the_request_names(app, world):
    people = [world.user() for _ in HOSTILE_HEADERS]
    for person, headers in zip(people, HOSTILE_HEADERS):
        client = app.test_client()
        assert forgot(client, person.email, headers).status_code == 302
    with app.app_context():
        queued = db.session.scalars(select(OutboxMessage.kind)).all()
    assert queued == ["password_reset"] * len(HOSTILE_HEADERS)
    assert assert_mail_links_from_base_url(app) >= len(HOSTILE_HEADERS)


def test_invitation_links_come_from_base_url_in_the_mail_and_on_the_page(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    for number, headers in enumerate(HOSTILE_HEADERS):
        token = csrf_token(client, f"/s/{slug}/invite")
        response = client.post(f"/s/{slug}/invite", headers=with_session(client, headers),
                               follow_redirects=True,
                               data={"csrf_token": token, "email": f"gast{number}@example.org",
                                     "role": "member"})
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert EVIL not in page
        shown = [link for link in links(page) if "/invite/" in link]
        assert shown and all(link.startswith("http://kring.test/invite/") for link in shown)
    assert assert_mail_links_from_base_url(app) >= len(HOSTILE_HEADERS)


def test_first_facilitator_invitation_comes_from_base_url(app, client, world):
    slug, _lead = world.space()
    operator = world.operator
    login(client, operator)
    for headers in HOSTILE_HEADERS:
        token = csrf_token(client, f"/admin/spaces/{slug}")
        response = client.post(f"/admin/spaces/{slug}/first-facilitator/resend",
                               data={"csrf_token": token}, headers=with_session(client, headers))
        assert response.status_code in (302, 400, 403, 409)
    assert assert_mail_links_from_base_url(app) >= 1


def test_behind_a_trusted_proxy_the_forwarded_host_is_still_ignored(tmp_path):
    app = create_app("test", DATABASE_URL=f"sqlite:///{tmp_path / 'proxy.db'}",
                     TRUSTED_PROXIES=1, UPLOAD_FOLDER=str(tmp_path / "uploads"))
    with app.app_context():
        db.create_all()
    try:
        world = World(app)
        slug, lead = world.space()
        person = world.user()
        proxy = {"REMOTE_ADDR": "127.0.0.1"}
        headers = {"X-Forwarded-For": "198.51.100.9", "X-Forwarded-Proto": "https",
                   "X-Forwarded-Host": EVIL, "Host": EVIL,
                   # Over https Flask-WTF also checks that the form came from this host.
                   "Referer": f"https://{EVIL}/password/forgot"}
        client = app.test_client()
        assert forgot(client, person.email, headers, environ_overrides=proxy).status_code == 302
        login(client, lead)
        token = csrf_token(client, f"/s/{slug}/invite")
        response = client.post(f"/s/{slug}/invite", headers=with_session(client, headers),
                               environ_overrides=proxy,
                               follow_redirects=True,
                               data={"csrf_token": token, "email": "via-proxy@example.org",
                                     "role": "member"})
        assert EVIL not in response.get_data(as_text=True)
        assert assert_mail_links_from_base_url(app) >= 2
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
