"""Walks app.url_map, so a new route is covered the day it is added. ASVS 5.0 V8
(authorization): every route needs a login unless it is on the explicit public list below,
with its reason. ASVS 5.0 V3.5 (browser origin separation): every POST needs the session's
CSRF token; without it (or with another session's) the answer is 400 and nothing changes in
the database. Who may do what once logged in: tests/test_policy_matrix.py."""
from __future__ import annotations

from flask import url_for
from sqlalchemy import select, text

from app.extensions import csrf, db
from tests.conftest import csrf_token, login

# endpoint: why a visitor without an account may open it.
PUBLIC = {
    "spaces.index": "the landing page for visitors, the member's spaces once logged in",
    "accounts.login": "logging in",
    "accounts.login_code": "the login's second step: only for five minutes after the right "
                           "password in this session, otherwise back to the login",
    "accounts.forgot_password": "asking for a reset link",
    "accounts.reset_password": "the reset link from the mail (the token is the credential)",
    "accounts.confirm_email": "the link mailed to a new email address, perhaps opened on "
                              "another device (the token is the credential)",
    "accounts.language": "a visitor's language choice (a cookie, nothing stored)",
    "spaces.invitation": "the invitation link from the mail (the token is the credential)",
    "interest.page": "a space's public interest page, off unless the facilitators open it",
    "interest.sent": "the interest page's thank-you",
    "interest.confirm": "the confirmation link from the mail (the token is the credential)",
    "calendar.feed": "a calendar app fetches the feed with its secret link, without cookies",
    "notify.unsubscribe": "one-click unsubscribe from a mail (the signed token is the credential)",
    "help.crisis": "where to get help now: must never be behind a login",
    "erasure.done": "says the account was erased, to someone who was just logged out by it",
    "privacy.privacy": "what Kring keeps, how long and where: readable before anyone logs in",
    "healthz": "the load balancer's health check",
    "static": "CSS, JavaScript, fonts, images",
}
# endpoint: why it takes a POST without the CSRF token.
CSRF_EXEMPT = {
    "notify.unsubscribe": "RFC 8058 one-click unsubscribe: mail clients POST without a form; "
                          "the signed token in the path is the credential",
}
DUMMY = {"slug": "groep", "token": "not-a-token", "key": "not-a-key", "filename": "f.txt",
         "kind": "t", "path": "css/kring.css"}


def routes(app, values: dict | None = None):
    """(endpoint, method, url) for every route and method, arguments filled in."""
    values = {**DUMMY, **(values or {})}
    found = []
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
            args = {name: values.get(name, 1) for name in rule.arguments}
            url = url_for(rule.endpoint, **args)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((rule.endpoint, method, url))
    return found


def test_the_public_list_names_only_routes_that_exist(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(PUBLIC) - endpoints == set()
    assert set(CSRF_EXEMPT) - endpoints == set()


def test_every_route_not_on_the_public_list_sends_a_visitor_to_the_login(app, client):
    token = csrf_token(client, "/login")  # a visitor's session has a token too
    wrong = {}
    for endpoint, method, url in routes(app):
        if endpoint in PUBLIC:
            continue
        data = {"csrf_token": token} if method == "POST" else None
        response = client.open(url, method=method, data=data)
        location = response.headers.get("Location", "")
        if response.status_code != 302 or not location.startswith("/login?next="):
            wrong[f"{method} {url}"] = (response.status_code, location)
    assert wrong == {}


def test_public_routes_answer_a_visitor_without_an_error(app, client):
    token = csrf_token(client, "/login")
    crashed = {}
    for endpoint, method, url in routes(app):
        if endpoint not in PUBLIC:
            continue
        data = {"csrf_token": token} if method == "POST" else None
        response = client.open(url, method=method, data=data)
        if response.status_code >= 500:
            crashed[f"{method} {url}"] = response.status_code
        response.close()
    assert crashed == {}


def database_contents() -> dict[str, list]:
    """Every row of every table, in a stable order."""
    contents = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table)).all()
        contents[table.name] = sorted((tuple(map(repr, row)) for row in rows))
    db.session.rollback()
    return contents


def seeded_values(world) -> tuple[dict, object]:
    """A space with a thread, a post and members, and route arguments pointing at them."""
    slug, lead = world.space()
    member = world.member(slug, lead, name="Lid")
    thread_id = world.thread(slug, lead, title="Gesprek", body="Bericht")
    post_id = world.reply(slug, thread_id, member, "Antwoord")
    values = {"slug": slug, "thread_id": thread_id, "post_id": post_id,
              "membership_id": member.membership_id, "member_id": member.membership_id}
    return values, lead


def test_every_post_without_the_csrf_token_is_refused_and_changes_nothing(app, client, world):
    values, lead = seeded_values(world)
    login(client, lead)
    with app.app_context():
        before = database_contents()
    accepted = {}
    for endpoint, method, url in routes(app, values):
        if method != "POST" or endpoint in CSRF_EXEMPT:
            continue
        response = client.post(url, data={"body": "x", "title": "x", "confirm": "y",
                                          "email": "a@example.org", "locale": "en"})
        if response.status_code != 400:
            accepted[url] = response.status_code
    assert accepted == {}
    with app.app_context():
        assert database_contents() == before


def test_a_csrf_token_of_another_session_is_refused(app, client, world):
    values, lead = seeded_values(world)
    stranger = app.test_client()
    foreign = csrf_token(stranger, "/login")
    login(client, lead)
    with app.app_context():
        before = database_contents()
    accepted = {}
    for endpoint, method, url in routes(app, values):
        if method != "POST" or endpoint in CSRF_EXEMPT:
            continue
        response = client.post(url, data={"csrf_token": foreign, "body": "x", "title": "x",
                                          "email": "a@example.org", "locale": "en"})
        if response.status_code != 400:
            accepted[url] = response.status_code
    assert accepted == {}
    with app.app_context():
        assert database_contents() == before


def test_only_the_listed_views_are_exempt_from_csrf(app):
    exempt = set(csrf._exempt_views) | set(csrf._exempt_blueprints)
    expected = {f"{app.view_functions[e].__module__}.{app.view_functions[e].__name__}"
                for e in CSRF_EXEMPT}
    assert exempt == expected


def test_csrf_protection_is_on_in_every_configuration(app):
    from config import load_config

    for name in ("default", "test"):
        assert load_config(name).get("WTF_CSRF_ENABLED", True) is True
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    assert "csrf" in app.extensions


def test_the_walk_covers_every_blueprint(app):
    """A sanity check of the walk itself: it reaches routes of every blueprint."""
    seen = {endpoint.split(".")[0] for endpoint, _m, _u in routes(app)}
    assert set(app.blueprints) <= seen
    with app.app_context():
        assert db.session.execute(text("SELECT 1")).scalar() == 1


def test_every_page_for_every_role_carries_the_security_headers_and_never_crashes(app, world):
    """Every GET route, as a member, a facilitator and an operator, with arguments pointing at
    real rows: never a 500, and every answer (page, refusal or redirect) carries the CSP,
    nosniff, the frame ban and no-store."""
    from tests.test_headers import assert_security_headers

    values, lead = seeded_values(world)
    member = world.member(values["slug"], lead, name="Nog een lid")
    people = {"member": member, "facilitator": lead, "operator": world.operator}
    wrong = {}
    for role, person in people.items():
        client = app.test_client()
        login(client, person)
        for endpoint, method, url in routes(app, values):
            if method != "GET" or endpoint == "static":
                continue
            response = client.get(url)
            try:
                assert response.status_code < 500, response.status_code
                assert_security_headers(response)
                assert "no-store" in response.headers.get("Cache-Control", "")
            except AssertionError as exc:
                wrong[f"{role} {url}"] = str(exc)[:120]
            finally:
                response.close()
    assert wrong == {}
