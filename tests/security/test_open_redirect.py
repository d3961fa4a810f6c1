"""ASVS 5.0 V3 (web frontend) / open redirects: every `next` Kring follows (after login, after a
language choice, after confirming one's identity) stays on this site, whatever the visitor
puts in it: absolute URLs, scheme-relative `//host`, backslashes (browsers read them as
slashes), control characters, percent-encoded and unicode forms."""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from app.extensions import limiter
from tests.conftest import PASSWORD, csrf_token, login

SITE = "kring.test"  # the test client's host is localhost; resolved against this base
BASE = f"http://{SITE}/login"

HOSTILE = [
    "https://evil.example/", "http://evil.example", "HTTPS://EVIL.EXAMPLE", "//evil.example",
    "//evil.example/s/x/", "///evil.example", "////evil.example", "/\\evil.example",
    "\\\\evil.example", "\\/evil.example", "/\\/evil.example", " //evil.example",
    "\t//evil.example", "/\t/evil.example", "/\n/evil.example", "/\r/evil.example",
    "https:/evil.example", "https:evil.example", "evil.example", "javascript:alert(1)",
    "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "%2F%2Fevil.example", "/%2F%2Fevil.example", "/%5Cevil.example", "%5C%5Cevil.example",
    "/%09/evil.example", "/%0d%0aSet-Cookie:x=1", "\u3002evil.example", "\uff0f\uff0fevil.example",
    "/\u2215evil.example", "//evil.example@kring.test", "http://kring.test@evil.example/",
    "/login?next=//evil.example",
]


def resolved(location: str) -> tuple[str, str]:
    """Where a browser goes with this Location header: WHATWG URL parsing strips leading C0
    controls and spaces, drops tabs and newlines anywhere and reads a backslash as a slash
    for http(s) URLs; then it is resolved against the page's address."""
    cleaned = re.sub(r"[\t\n\r]", "", location.lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08"
                                                      "\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14"
                                                      "\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d"
                                                      "\x1e\x1f ")).replace("\\", "/")
    target = urlsplit(urljoin(BASE, cleaned))
    return target.scheme, target.netloc


def leaves_site(response) -> str | None:
    """None when the answer is a redirect that stays on this site, else what is wrong."""
    if response.status_code != 302:
        return f"status {response.status_code}"
    location = response.headers["Location"]
    if resolved(location) != ("http", SITE) or "\r" in location or "\n" in location:
        return f"redirect leaves the site: {location!r}"
    return None


def test_login_next_never_leads_to_another_site(app, world):
    person = world.user()
    wrong = {}
    for target in HOSTILE:
        limiter.reset()  # this test is about the redirect, not about the rate limits
        client = app.test_client()
        token = csrf_token(client, "/login")
        response = client.post("/login", data={"csrf_token": token, "email": person.email,
                                               "password": PASSWORD, "next": target})
        if problem := leaves_site(response):
            wrong[target] = problem
    assert wrong == {}


def test_login_next_in_the_query_string_is_escaped_in_the_form(app, client):
    html = client.get('/login?next="><script>alert(1)</script>').get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&#34;&gt;&lt;script&gt;" in html or "&quot;&gt;&lt;script&gt;" in html


def test_login_next_to_a_path_on_this_site_is_followed(app, client, world):
    person = world.user()
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "email": person.email,
                                           "password": PASSWORD, "next": "/account?x=1"})
    assert response.headers["Location"] == "/account?x=1"


def test_language_next_never_leads_to_another_site(app, client):
    token = csrf_token(client, "/login")
    wrong = {}
    for target in HOSTILE:
        response = client.post("/language", data={"csrf_token": token, "locale": "en",
                                                  "next": target})
        if problem := leaves_site(response):
            wrong[target] = problem
    assert wrong == {}


def test_language_next_to_a_path_on_this_site_is_followed(app, client):
    token = csrf_token(client, "/login")
    response = client.post("/language", data={"csrf_token": token, "locale": "en",
                                              "next": "/password/forgot"})
    assert response.headers["Location"] == "/password/forgot"


def test_confirm_identity_next_never_leads_to_another_site(app, client, world):
    person = world.user()
    login(client, person)
    token = csrf_token(client, "/account/confirm")
    wrong = {}
    for target in HOSTILE:
        limiter.reset()  # this test is about the redirect, not about the rate limits
        response = client.post("/account/confirm", data={
            "csrf_token": token, "password": PASSWORD, "next": target})
        if problem := leaves_site(response):
            wrong[target] = problem
    assert wrong == {}


def test_confirm_identity_next_to_a_path_on_this_site_is_followed(app, client, world):
    person = world.user()
    login(client, person)
    token = csrf_token(client, "/account/confirm?next=/account")
    response = client.post("/account/confirm", data={"csrf_token": token, "password": PASSWORD,
                                                      "next": "/account"})
    assert response.headers["Location"] == "/account"


def test_the_resolver_of_this_test_sees_the_tricks_a_browser_falls_for():
    """The helper itself: without the site check these would leave the site."""
    assert resolved("/\\evil.example")[1] == "evil.example"
    assert resolved("/\t/evil.example")[1] == "evil.example"
    assert resolved(" //evil.example")[1] == "evil.example"
    assert resolved("/account")[1] == SITE
