"""The whole moderation journey through real HTTP (issue 8): the app served by waitress on a
local port, people as separate cookie-keeping HTTP clients. A facilitator makes a member
moderator; a member flags a message with "worried about someone" and is shown where to get
help now; the facilitators and the moderator get the urgent notice in the app and as a
content-free email through the outbox and a real SMTP server; the moderator picks it up,
hides the message and suspends its author; the flagger sees it handled; the log holds every
step."""
from __future__ import annotations

import re
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

import pyotp
import pytest
from sqlalchemy import select

from app.extensions import db
from app.moderation.models import ModerationCase, ModerationLog
from app.spaces.models import Membership
from tests.conftest import PASSWORD
from tests.second_factor import totp_code
from tests.served import serving
from tests.test_mail_worker import inbox, use_smtp  # noqa: F401 (the real SMTP fixture)

POST_TEXT = "Ik zie het echt niet meer zitten, ik weet niet hoe lang ik dit nog volhoud."
TITLE = "Hoe gaat het deze week?"


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # hand the 302 back to the caller, who checks where it points


class Person:
    """One person's browser, reduced to HTTP: cookies, GET, POST with the page's CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()), _NoRedirect())
        self.token = ""

    def _open(self, request) -> tuple[int, str, str]:
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.headers.get("Location", ""), \
                    response.read().decode()
        except HTTPError as exc:
            return exc.code, exc.headers.get("Location", ""), exc.read().decode()

    def get(self, path: str, expect: int = 200) -> str:
        status, _location, body = self._open(Request(self.base + path))
        assert status == expect, (path, status)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body)
        if token:
            self.token = token.group(1)
        return body

    def post(self, path: str, data: list[tuple[str, str]] | dict, expect: int = 302) -> str:
        fields = list(data.items()) if isinstance(data, dict) else list(data)
        body = urlencode([("csrf_token", self.token), *fields]).encode()
        status, location, _text = self._open(Request(self.base + path, data=body))
        assert status == expect, (path, status)
        return location.removeprefix(self.base)

    def log_in(self, email: str) -> None:
        self.get("/login")
        landing = self.post("/login", {"email": email, "password": PASSWORD})
        if landing == "/login/code":
            self.get(landing)
            landing = self.post(landing, {"code": totp_code(email)})
        assert landing in ("/", "")

    def set_up_second_factor(self) -> None:
        """Led to the setup: the password again, then the code of the app just set up."""
        assert self._open(Request(self.base + "/"))[1].endswith("/account/2fa/setup")
        self.get("/account/confirm?next=/account/2fa/setup")
        self.post("/account/confirm", {"password": PASSWORD, "next": "/account/2fa/setup"})
        page = self.get("/account/2fa/setup")
        secret = re.search(r'<code class="secret"[^>]*>([A-Z2-7 ]+)</code>', page).group(1)
        self.post("/account/2fa/setup", {"code": pyotp.TOTP(secret.replace(" ", "")).now()},
                  expect=200)


@pytest.fixture
def server(app):
    from waitress import create_server

    served = create_server(app, host="127.0.0.1", port=0, threads=4)
    with serving(served, "waitress-journey"):
        yield f"http://127.0.0.1:{served.effective_port}"


def test_worried_flag_to_handled_case_through_real_http(app, world, server, inbox):  # noqa: F811
    from app.notify.worker import run_once

    use_smtp(app, inbox.port)
    slug, lead_person = world.space()
    helper_person = world.member(slug, lead_person, name="Mo")
    author_person = world.member(slug, lead_person, name="Sam")
    flagger_person = world.member(slug, lead_person, name="Fatima")
    thread_id = world.thread(slug, lead_person, title=TITLE, body="Vertel maar.")
    post_id = world.reply(slug, thread_id, author_person, POST_TEXT)
    with world.ctx():
        run_once()  # the invitations and the reply notices leave the outbox first
        space_id = world.space_obj(slug).id
    inbox_before = len(inbox.received)

    world.enrol_second_factor(lead_person)
    lead, moderator, flagger, author = (Person(server) for _ in range(4))
    lead.log_in(lead_person.email)
    moderator.log_in(helper_person.email)
    flagger.log_in(flagger_person.email)
    author.log_in(author_person.email)

    # The facilitator makes Mo a moderator.
    members = lead.get(f"/s/{slug}/members")
    assert 'value="moderator"' in members
    lead.post(f"/s/{slug}/members/{helper_person.membership_id}/role", {"role": "moderator"})
    # As a moderator Mo sees more: Kring leads Mo to set up two-step login first.
    moderator.set_up_second_factor()

    # Fatima finds the report link under Sam's message and is worried about Sam.
    thread_page = flagger.get(f"/s/{slug}/t/{thread_id}?page=1")
    assert f"/s/{slug}/p/{post_id}/flag" in thread_page
    form = flagger.get(f"/s/{slug}/p/{post_id}/flag")
    assert "0800-0113" in form and "112" in form
    confirmation_path = flagger.post(f"/s/{slug}/p/{post_id}/flag", {"reason": "concern"})
    confirmation = flagger.get(confirmation_path)
    assert "0800-0113" in confirmation and "113.nl" in confirmation and "112" in confirmation
    assert "huisartsenpost" in confirmation

    # The facilitator and the moderator hear at once: in the app, and by email that says
    # nothing about the message, the conversation or the people.
    with world.ctx():
        run_once()
    mails = inbox.received[inbox_before:]
    to = sorted(rcpt for envelope in mails for rcpt in envelope.rcpt_tos)
    assert to == sorted([lead_person.email, helper_person.email])
    for envelope in mails:
        message = envelope.message
        assert message["Subject"] == "Dringende melding wacht in je groep"
        text = message.get_body(("plain",)).get_content() + message["Subject"]
        for secret in (POST_TEXT[:20], TITLE, "Sam", "Fatima", "Mo", slug):
            assert secret not in text, secret
    urgent = "Dringend: iemand maakt zich zorgen om een deelnemer"
    assert urgent in moderator.get("/notifications")
    assert urgent in lead.get("/notifications")
    assert urgent not in author.get("/notifications")
    assert urgent not in flagger.get("/notifications")
    queue_link = f"/s/{slug}/moderation"

    # Mo picks it up, hides the message and suspends Sam until further notice.
    queue = moderator.get(queue_link)
    case_id = int(re.search(rf"/s/{slug}/moderation/(\d+)", queue).group(1))
    moderator.get(f"/s/{slug}/moderation/{case_id}")
    moderator.post(f"/s/{slug}/moderation/{case_id}/claim", {})
    assert "Mo" in lead.get(f"/s/{slug}/moderation/{case_id}")
    moderator.get(f"/s/{slug}/moderation/{case_id}")
    moderator.post(f"/s/{slug}/moderation/{case_id}/resolve", [
        ("outcomes", "hide"), ("outcomes", "suspend"), ("indefinitely", "y"),
        ("reason", "We maken ons zorgen en nemen contact met je op."),
        ("note", "Begeleider belt Sam vandaag.")])

    # Fatima sees that it was handled, not how; the group no longer reads the message.
    status = flagger.get(f"/s/{slug}/p/{post_id}/flag")
    assert 'aria-current="step">✓ Afgehandeld' in status
    assert "We maken ons zorgen" not in status
    assert POST_TEXT not in flagger.get(f"/s/{slug}/t/{thread_id}?page=1")
    # Sam is suspended: the space says so and shows nothing else.
    suspended = author.get(f"/s/{slug}/", expect=403)
    assert POST_TEXT not in suspended and TITLE not in suspended

    # The log holds every step, readable by the facilitator.
    with world.ctx():
        assert db.session.get(ModerationCase, case_id).resolved_at is not None
        assert db.session.get(Membership, author_person.membership_id).suspended_at is not None
        steps = [(e.action, e.actor_name, e.subject_name) for e in db.session.scalars(
            select(ModerationLog).where(ModerationLog.space_id == space_id)
            .order_by(ModerationLog.id))]
    actions = [action for action, _by, _whom in steps]
    assert actions == ["role_change", "flag", "claim", "hide_post", "suspend", "resolve"]
    assert steps[0] == ("role_change", f"Begeleider {slug}", "Mo")
    assert steps[1][1] == ""  # the log never names a flagger
    assert all(by == "Mo" for action, by, _whom in steps[2:])
    assert steps[3][2] == steps[4][2] == "Sam"
    log = lead.get(f"/s/{slug}/moderation/log")
    for label in ("Melding ontvangen", "Opgepakt", "Bericht verborgen", "Afgehandeld"):
        assert label in log, label
    assert POST_TEXT not in log and "Fatima" not in log
