"""ASVS 5.0 V1.2/V1.3 (output encoding, sanitisation) and V3.4 (CSP) in a real browser: hostile
text at every place Kring shows user text (post body, thread title, display name, library
title, description and file name, agreement, meeting topic and place, notification, line
message, intake name and answers, the emails) executes nothing and loads nothing from
another host. One Chromium, one seeded world, every payload at every point: a page fails on a
dialog, `window.__pwned`, an uncaught script error, a CSP violation (the sanitiser, not the
CSP, must stop it), a dangerous element or attribute left in the DOM, or any request that
does not go to the test server (every request is recorded; other hosts are never reached)."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"Chromium not installed at {CHROMIUM}: install the 'chromium' package to run "
                "the browser suite", allow_module_level=True)
try:
    from playwright.sync_api import sync_playwright
except ImportError as exc:  # pragma: no cover - depends on the environment
    pytest.skip(f"Python package 'playwright' cannot be imported ({exc}): install "
                "requirements-dev.txt to run the browser suite", allow_module_level=True)

from flask_babel import force_locale  # noqa: E402
from sqlalchemy import select  # noqa: E402
from werkzeug.datastructures import FileStorage  # noqa: E402

from app.errors import ServiceError  # noqa: E402
from app.extensions import db  # noqa: E402
from tests.conftest import Person, World, login  # noqa: E402
from tests.served import served_site, site_app  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--disable-features=Translate,OptimizationHints"]
TIMEOUT_MS = 10_000
MAIL_ORIGIN = "mail.test"

# At most 60 characters each (a display name's limit), so every payload fits every field.
PAYLOADS = [
    "<script>__pwned=1</script>",
    "<img src=x onerror=__pwned=1>",
    "<svg onload=__pwned=1>",
    "<svg><script>alert(1)</script></svg>",
    '"><img src=x onerror=alert(1)>',
    "'><script>alert(1)</script>",
    "<a href=javascript:__pwned=1>klik</a>",
    "[klik](javascript:__pwned=1)",
    "[klik](JaVaScRiPt:alert%281%29)",
    "[k](data:text/html,<script>alert(1)</script>)",
    "[x](&#106;avascript:alert(1))",
    '<a href="&#106;avascript:alert(1)">x</a>',
    "![x](http://evil.example/a.png)",
    "![x](//evil.example/b.png)",
    "[![x](//evil.example/h.png)](javascript:alert(1))",
    '![x](/static/x.png" onerror="alert(1))',
    "<img src=http://evil.example/c.png>",
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    "<iframe src=http://evil.example/f></iframe>",
    '<div style="width:expression(alert(1))">css</div>',
    '<p style="background:url(//evil.example/d.png)">x</p>',
    "<style>@import '//evil.example/e.css'</style>",
    "<link rel=stylesheet href=//evil.example/g.css>",
    '<meta http-equiv=refresh content="0;url=//evil.example">',
    "<base href=//evil.example/>",
    "<object data=//evil.example/o></object>",
    "<video src=//evil.example/v autoplay></video>",
    "<input autofocus onfocus=__pwned=1>",
    "<details open ontoggle=__pwned=1>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    "\u202ecod.exe<script>alert(1)</script>",
    "j\u0430vascript:alert(1) \u200b<scr\u200bipt>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "{{ 7*7 }} {% raw %} ${7*7}",
]
assert all(len(p) <= 60 for p in PAYLOADS)
ALL = "\n\n".join(PAYLOADS)
# Lists show every payload at once; of the pages showing one object, those whose payload
# tries to break out of an element or an attribute are opened (plain-text escaping is the same
# code path for the others, and every page costs time).
BREAKOUTS = [0, 1, 2, 4, 5, 29, 31]

# Run in the page after it loaded: what must never be in a page built from user text.
DOM_CHECK = """() => {
  const bad = [];
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster',
                    'background', 'srcset'];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      const value = a.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
      if (name.startsWith('on')) bad.push(tag + ' ' + name);
      if (urlAttrs.includes(name) && /^(javascript|vbscript|data):/.test(value))
        bad.push(tag + ' ' + name + '=' + value.slice(0, 40));
      if (name === 'style' && /(expression\\(|url\\(|@import)/.test(value))
        bad.push(tag + ' style=' + value.slice(0, 40));
    }
    if (['iframe', 'object', 'embed', 'base', 'frame', 'frameset', 'applet'].includes(tag))
      bad.push('<' + tag + '>');
    const equiv = (el.getAttribute('http-equiv') || '').toLowerCase();
    if (tag === 'meta' && equiv && !['content-security-policy', 'content-type'].includes(equiv))
      bad.push('meta http-equiv=' + equiv);
    if (tag === 'script' && !el.getAttribute('src') && /pwned|alert/.test(el.textContent))
      bad.push('inline script: ' + el.textContent.slice(0, 40));
    if (tag === 'style' && /evil|@import/.test(el.textContent)) bad.push('style element');
    if (tag === 'link' && /evil/.test(el.getAttribute('href') || '')) bad.push('link to evil');
  }
  return bad;
}"""


@dataclass
class Findings:
    """What went wrong, per page visited."""
    problems: dict[str, list[str]] = field(default_factory=dict)
    visited: list[str] = field(default_factory=list)

    def add(self, where: str, problem: str) -> None:
        self.problems.setdefault(where, []).append(problem)


class Seeder:
    """Puts every payload at every render point through the real services; a payload a
    service refuses (a ServiceError) is recorded, never silently dropped."""

    def __init__(self, world: World):
        self.world = world
        self.stored: dict[str, int] = {}
        self.refused: dict[str, list[str]] = {}

    def attempt(self, point: str, action) -> object | None:
        try:
            with self.world.ctx():
                result = action()
                db.session.commit()
        except ServiceError as exc:
            self.refused.setdefault(point, []).append(exc.message)
            return None
        self.stored[point] = self.stored.get(point, 0) + 1
        return result


def _create_space(world: World, slug: str) -> tuple[str, Person]:
    """A space whose name, theme, description and renter are hostile too."""
    from app.spaces import service as spaces

    operator = world.user(operator=True)
    with world.ctx():
        _space, token = spaces.create_space(
            world.actor(operator.user_id), name="Groep <script>alert(1)</script>", slug=slug,
            theme="<img src=x onerror=alert(1)>", description=ALL[:500],
            renter='Welzijn "><svg onload=alert(1)>', rental_start=date.today(),
            rental_end=date.today() + timedelta(days=365), seat_limit=200,
            facilitator_email=f"lead-{slug}@example.org")
    world.operator = operator
    return slug, world.accept(token, display_name=PAYLOADS[0])


def seed(app) -> dict:
    from app.forum import service as forum
    from app.forum.models import Thread
    from app.intake import register, setup
    from app.library import service as library
    from app.library.models import FILE, LINK, TIPS
    from app.line import service as line
    from app.meetings import service as meetings
    from app.notify.outbox import OutboxMessage
    from app.spaces import agreements
    from app.spaces.models import Membership

    world = World(app)
    seeder = Seeder(world)
    slug, lead = _create_space(world, "vijandig")
    actor = lambda person: world.actor(person.user_id)  # noqa: E731
    space = lambda: world.space_obj(slug)  # noqa: E731

    # The agreement first: everyone who joins afterwards accepts this version.
    seeder.attempt("agreement", lambda: agreements.update_agreement(
        actor(lead), space(), body=ALL))
    first = world.thread(slug, lead, title="Alles tegelijk", body=ALL)

    members = []
    for number, payload in enumerate(PAYLOADS[1:], start=1):
        token = world.invite_token(slug, lead, email=f"vijand{number}@example.org")
        try:
            members.append(world.accept(token, display_name=payload))
            seeder.stored["display name"] = seeder.stored.get("display name", 0) + 1
        except ServiceError as exc:
            seeder.refused.setdefault("display name", []).append(exc.message)
    member = members[0]
    for person, payload in zip(members, PAYLOADS[1:]):
        seeder.attempt("post body", lambda: forum.reply(
            actor(person), db.session.get(Thread, first), body=payload))

    threads = []
    for payload in PAYLOADS:
        created = seeder.attempt("thread title", lambda: forum.start_thread(
            actor(member), space(), kind="discussion", title=payload, body=payload))
        if created is not None:
            threads.append(created.id)

    items = []
    for number, payload in enumerate(PAYLOADS):
        # The contents are plain text (markup in a file is refused at upload); the hostile
        # part is the file's name, and the type the browser claimed.
        upload = FileStorage(io.BytesIO(b"Gewone tekst, nummer %d.\n" % number),
                             filename=f"{payload}.txt", content_type="text/html")
        created = seeder.attempt("library file", lambda: library.add_item(
            actor(member), space(), kind=FILE, title=payload, description=ALL,
            category=TIPS, file=upload))
        if created is not None:
            items.append(created.id)
        if number < 6:
            created = seeder.attempt("library link", lambda: library.add_item(
                actor(member), space(), kind=LINK, title=payload, description=payload,
                category=TIPS, url="https://example.org/gids"))
            if created is not None:
                items.append(created.id)

    meeting_ids = []
    tomorrow = datetime.combine(date.today() + timedelta(days=1), time(18), tzinfo=timezone.utc)
    for number, payload in enumerate(PAYLOADS):
        starts = tomorrow + timedelta(days=number)
        created = seeder.attempt("meeting topic and place", lambda: meetings.plan_meeting(
            actor(lead), space(), starts_at=starts, ends_at=starts + timedelta(hours=1),
            topic=payload, place=payload))
        if created is not None:
            meeting_ids.append(created.id)

    seeder.attempt("line message", lambda: line.write_to_facilitators(
        actor(member), space(), body=ALL))
    for payload in PAYLOADS[:8]:
        seeder.attempt("line message", lambda: line.write_to_facilitators(
            actor(member), space(), body=payload))
    with world.ctx():
        membership = db.session.get(Membership, member.membership_id)
    seeder.attempt("line message", lambda: line.write_to_member(
        actor(lead), space(), membership, body=ALL))

    questions = PAYLOADS[:8]
    key = seeder.attempt("intake questions", lambda: setup.save_intake_page(
        actor(lead), space(), is_open=True, introduction=ALL, rhythm=PAYLOADS[1],
        questions="\n".join(questions), decline_message=ALL).public_key)
    registrations = 0
    if key:
        for number, payload in enumerate(PAYLOADS[:12]):
            seeder.attempt("intake registration", lambda: register.register(
                key, name=payload, email=f"aanmelder{number}@example.org",
                answers=[ALL] * len(questions), client_ip=f"192.0.2.{number + 1}"))
        with world.ctx():
            links = [re.search(r"/aanmelden/bevestigen/([A-Za-z0-9_\-]+)", m.context or "")
                     for m in db.session.scalars(select(OutboxMessage).where(
                         OutboxMessage.kind == "intake_confirm"))]
        for match in filter(None, links):
            if seeder.attempt("intake registration", lambda: register.confirm_registration(
                    match.group(1))) is not None:
                registrations += 1

    from app.intake.models import Registration
    with world.ctx():
        registration_ids = list(db.session.scalars(select(Registration.id)))
    return {"slug": slug, "lead": lead, "member": member, "first": first, "threads": threads,
            "items": items, "meetings": meeting_ids, "registrations": registration_ids,
            "seeder": seeder, "world": world}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    app = site_app(folder, UPLOAD_FOLDER=str(folder / "uploads"))
    seeded = seed(app)
    with served_site(app, "waitress-hostile") as served:
        yield {**served, **seeded}


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def session_cookie(app, person: Person) -> str:
    """A logged-in session made the way the rest of the suite makes one (tests/conftest.py)."""
    client = app.test_client()
    login(client, person)
    client.get("/account")
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value


class Visitor:
    """One browser context; every page it opens is checked the same way."""

    def __init__(self, browser, site, findings: Findings, person: Person | None):
        self.site, self.findings = site, findings
        self.origin = site["origin"]
        self.context = browser.new_context(locale="nl-NL", service_workers="block")
        self.context.set_default_timeout(TIMEOUT_MS)
        if person is not None:
            self.context.add_cookies([{
                "name": site["app"].config["SESSION_COOKIE_NAME"],
                "value": session_cookie(site["app"], person), "url": site["base"]}])
        self.where = "?"
        # Other hosts are never contacted: recorded (below), then aborted.
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        page = self.page
        page.on("request", self._request)
        page.on("dialog", lambda dialog: (self.findings.add(self.where, f"dialog: {dialog.message}"),
                                          dialog.dismiss()))
        page.on("pageerror", lambda error: self.findings.add(self.where, f"script error: {error}"))
        page.on("console", lambda message: message.type == "error" and self.findings.add(
            self.where, f"console error: {message.text[:200]}"))
        page.expose_function("__kringCspViolation", lambda text: self.findings.add(
            self.where, f"CSP had to block: {text}"))
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', function (e) {"
            "  window.__kringCspViolation(e.violatedDirective + ' ' + e.blockedURI); });")
        self.mail: dict[str, tuple[str, str]] = {}

    def _route(self, route):
        host = urlsplit(route.request.url).netloc
        if host == MAIL_ORIGIN:
            found = self.mail.get(urlsplit(route.request.url).path)
            if found is None:
                route.fulfill(status=404, body="", content_type="text/plain")
            else:
                route.fulfill(status=200, body=found[0], content_type=found[1])
        elif host == self.origin:
            route.continue_()
        else:
            route.abort()

    def _request(self, request):
        parts = urlsplit(request.url)
        allowed = {self.origin, MAIL_ORIGIN} if self.where.startswith("mail") else {self.origin}
        if parts.scheme not in ("http", "https") or parts.netloc not in allowed:
            self.findings.add(self.where, f"request to another host: {request.url[:120]}")

    def visit(self, path: str, *, expect_text: str | None = None, shows: int = 0) -> None:
        """Open `path` and check it; `shows`: at least this many payloads must be on the page
        as literal text (proof that the render point was reached and escaped, not dropped)."""
        self.where = path
        url = path if path.startswith("http") else self.site["base"] + path
        response = self.page.goto(url, wait_until="load")
        self.findings.visited.append(path)
        if response is None or response.status >= 400:
            self.findings.add(path, f"status {response.status if response else None}")
            return
        self.inspect(path, expect_text)
        if shows:
            text = self.page.inner_text("body")
            found = sum(payload in text for payload in PAYLOADS)
            if found < shows:
                self.findings.add(path, f"only {found} payloads shown as text, expected {shows}")

    def inspect(self, path: str, expect_text: str | None = None) -> None:
        page = self.page
        page.wait_for_timeout(30)  # let onload/onerror handlers of broken images fire
        if page.evaluate("() => window.__pwned !== undefined"):
            self.findings.add(path, "window.__pwned was set")
        for problem in page.evaluate(DOM_CHECK):
            self.findings.add(path, f"dangerous markup: {problem}")
        if expect_text is not None and expect_text not in page.inner_text("body"):
            self.findings.add(path, f"the hostile text is not shown as text: {expect_text!r}")

    def close(self):
        self.context.close()


def report(findings: Findings) -> str:
    lines = [f"{where}: {problem}" for where, problems in findings.problems.items()
             for problem in problems]
    return "\n".join(lines[:80])


@pytest.mark.browser
def test_every_render_point_stores_the_hostile_text(site):
    """The seeding itself: every render point got its payloads (a refusal would hide a
    render point from the browser test below)."""
    stored, refused = site["seeder"].stored, site["seeder"].refused
    for point in ("agreement", "display name", "post body", "thread title", "library file",
                  "library link", "meeting topic and place", "line message",
                  "intake questions", "intake registration"):
        assert stored.get(point, 0) > 0, (point, refused.get(point))
    assert stored["display name"] == len(PAYLOADS) - 1, refused.get("display name")
    assert stored["thread title"] == len(PAYLOADS), refused.get("thread title")
    assert stored["meeting topic and place"] == len(PAYLOADS), refused.get("meeting topic and place")
    assert stored["library file"] == len(PAYLOADS), refused.get("library file")
    assert site["registrations"], "no intake registration was confirmed"


@pytest.mark.browser
def test_no_hostile_text_runs_or_loads_anything_on_the_facilitators_pages(site, browser):
    findings = Findings()
    lead = Visitor(browser, site, findings, site["lead"])
    slug = site["slug"]
    try:
        lead.visit(f"/s/{slug}/?page=1", shows=25)
        for number in (2, 3):
            lead.visit(f"/s/{slug}/?page={number}")
        lead.visit("/")
        lead.visit(f"/s/{slug}/t/{site['first']}", expect_text="<script>__pwned=1</script>",
                   shows=30)
        for thread_id in [site["threads"][n] for n in BREAKOUTS]:
            lead.visit(f"/s/{slug}/t/{thread_id}")
        lead.visit(f"/s/{slug}/members", expect_text="<svg onload=__pwned=1>", shows=30)
        lead.visit(f"/s/{slug}/agreement", expect_text="<img src=x onerror=__pwned=1>", shows=25)
        lead.visit(f"/s/{slug}/library?page=1", shows=15)
        for number in (2, 3):
            lead.visit(f"/s/{slug}/library?page={number}")
        for item_id in [site["items"][n] for n in BREAKOUTS]:
            lead.visit(f"/s/{slug}/library/{item_id}")
        lead.visit(f"/s/{slug}/meetings", expect_text="<svg onload=__pwned=1>", shows=30)
        lead.visit(f"/s/{slug}/meetings/programme")
        for meeting_id in [site["meetings"][n] for n in BREAKOUTS]:
            lead.visit(f"/s/{slug}/meetings/{meeting_id}")
        lead.visit("/notifications", shows=5)
        lead.visit(f"/s/{slug}/line")
        lead.visit(f"/s/{slug}/line/{site['member'].membership_id}",
                   expect_text="<svg onload=__pwned=1>", shows=25)
        lead.visit(f"/s/{slug}/intake", shows=10)
        for registration_id in site["registrations"]:
            lead.visit(f"/s/{slug}/intake/{registration_id}", shows=25)
        lead.visit(f"/s/{slug}/intake/setup")
        lead.visit(f"/s/{slug}/overview")
        lead.visit(f"/s/{slug}/settings")
        lead.visit(f"/s/{slug}/invite")
        lead.visit(f"/s/{slug}/members/{site['member'].membership_id}/notes")
    finally:
        lead.close()
    assert len(findings.visited) > 30
    assert findings.problems == {}, report(findings)


@pytest.mark.browser
def test_no_hostile_text_runs_or_loads_anything_on_a_members_pages(site, browser):
    findings = Findings()
    member = Visitor(browser, site, findings, site["member"])
    slug = site["slug"]
    try:
        member.visit(f"/s/{slug}/")
        member.visit(f"/s/{slug}/t/{site['first']}?page=1")
        member.visit("/notifications", shows=20)
        member.visit(f"/s/{slug}/line", expect_text="<script>__pwned=1</script>")
        member.visit(f"/s/{slug}/meetings")
        member.visit(f"/s/{slug}/library")
        member.visit(f"/s/{slug}/members")
        with site["world"].ctx():
            from app.intake.setup import page_of

            key = page_of(site["world"].space_obj(slug)).public_key
        anonymous = Visitor(browser, site, findings, None)
        try:
            anonymous.visit(f"/aanmelden/{key}")
            anonymous.visit("/login?next=%22%3E%3Cscript%3Ealert(1)%3C/script%3E")
        finally:
            anonymous.close()
    finally:
        member.close()
    assert findings.problems == {}, report(findings)


@pytest.mark.browser
def test_an_uploaded_file_with_markup_is_never_run_as_a_page(site, browser):
    """The file itself, opened in the browser: text/plain (never the type the uploader's
    browser claimed, text/html), nosniff, its hostile name harmless."""
    from app.uploads.models import Upload

    with site["world"].ctx():
        upload = db.session.scalars(select(Upload).order_by(Upload.id)).first()
        path = f"/s/{site['slug']}/files/{upload.id}/{upload.original_name}"
    findings = Findings()
    member = Visitor(browser, site, findings, site["member"])
    try:
        response = member.context.request.get(site["base"] + path)
        assert response.status == 200
        assert response.headers["content-type"].startswith("text/plain")
        assert response.headers["x-content-type-options"] == "nosniff"
        member.where = path
        try:
            member.page.goto(site["base"] + path, wait_until="load")
            member.inspect(path)
        except Exception as exc:  # a download is not a page: nothing could run
            assert "Download is starting" in str(exc), exc
    finally:
        member.close()
    assert findings.problems == {}, report(findings)


def _mail_bodies(app, site) -> tuple[list[tuple[str, str, str]], int]:
    """(name, html, text): every queued mail of the seeded world rendered as the mailer does,
    and each mail template rendered with every payload in each user-text variable; the
    renders of one kind of mail are read as one page (a browser reads documents one after
    the other in one page as one document: every payload still meets the parser)."""
    from flask import render_template

    from app.notify import kinds
    from app.notify.outbox import OutboxMessage, render

    bodies = []
    with app.app_context():
        for message in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)):
            _subject, text, html = render(message)
            bodies.append((f"outbox {message.id} {message.kind}", html, text))
        kind = next(iter(kinds.KINDS))
        with app.test_request_context(), force_locale("nl"):
            for number, payload in enumerate(PAYLOADS):
                link = "http://kring.test/x"
                contexts = {
                    "invitation": dict(inviter=payload, organisation=payload, link=link, days=14),
                    "intake_declined": dict(name=payload, message=ALL),
                    "digest": dict(summary=[(payload, {})], link=link, settings=link,
                                   unsubscribe=link, count_line=lambda *a: ""),
                }
                contexts["notification"] = dict(kind=kind, label=payload, link=link,
                                                settings=link, unsubscribe=link)
                for template, context in contexts.items():
                    html = render_template(f"email/{template}.html", **context)
                    text = render_template(f"email/{template}.txt", **context)
                    bodies.append((f"{template} (rendered)", html, text))
    pages: dict[str, tuple[str, str]] = {}
    for name, html, text in bodies:
        kind = name.split(" (")[0] if "(rendered)" in name else "outbox " + name.split()[-1]
        before_html, before_text = pages.get(kind, ("", ""))
        pages[kind] = (before_html + html, before_text + "\n" + text)
    return [(kind, html, text) for kind, (html, text) in pages.items()], len(bodies)


@pytest.mark.browser
def test_no_hostile_text_runs_or_loads_anything_in_the_emails(site, browser):
    """Mail clients apply no CSP of ours: the HTML itself must be harmless."""
    bodies, rendered = _mail_bodies(site["app"], site)
    assert rendered > len(PAYLOADS) * 3
    assert {"invitation", "notification", "intake_declined", "digest",
            "outbox invitation", "outbox intake_confirm"} <= {name for name, _h, _t in bodies}
    findings = Findings()
    reader = Visitor(browser, site, findings, None)
    try:
        for number, (name, html, text) in enumerate(bodies):
            reader.mail[f"/{number}.html"] = (html, "text/html; charset=utf-8")
            reader.mail[f"/{number}.txt"] = (text, "text/plain; charset=utf-8")
        for number, (name, _html, _text) in enumerate(bodies):
            for suffix in ("html", "txt"):
                reader.where = f"mail {name} ({suffix})"
                reader.page.goto(f"http://{MAIL_ORIGIN}/{number}.{suffix}", wait_until="load")
                findings.visited.append(reader.where)
                reader.inspect(reader.where)
    finally:
        reader.close()
    assert findings.problems == {}, report(findings)


@pytest.mark.browser
def test_the_checks_catch_a_page_that_runs_a_script_or_reaches_another_host(site, browser):
    """The detector itself, on a page without CSP: each kind of harm is reported."""
    findings = Findings()
    reader = Visitor(browser, site, findings, None)
    reader.mail["/bad.html"] = (
        '<p>hallo</p><img src=x onerror="__pwned=1"><script>alert(1)</script>'
        '<img src="http://evil.example/x.png"><a href="javascript:void(0)">x</a>',
        "text/html")
    try:
        reader.where = "mail bad"
        reader.page.goto(f"http://{MAIL_ORIGIN}/bad.html", wait_until="load")
        reader.inspect("mail bad", expect_text="niet op de pagina")
    finally:
        reader.close()
    problems = " | ".join(findings.problems["mail bad"])
    for expected in ("window.__pwned was set", "dialog: 1", "request to another host",
                     "dangerous markup: img onerror", "dangerous markup: a href=javascript:",
                     "not shown as text"):
        assert expected in problems, problems


def _export_pages(site) -> dict[str, str]:
    """The HTML files of the member's own export and of the facilitator's space export, built
    as the worker builds them (app/exports/builder.py)."""
    import zipfile

    from app import storage
    from app.exports import builder, service
    from app.exports.models import DataExport

    world, slug = site["world"], site["slug"]
    pages = {}
    with world.ctx():
        requests = [service.request_personal_export(world.actor(site["member"].user_id)),
                    service.request_space_export(world.actor(site["lead"].user_id),
                                                 world.space_obj(slug))]
        for export in requests:
            service.claim(export.id)
            builder.build(export.id)
            row = db.session.get(DataExport, export.id, populate_existing=True)
            with storage.open_export(row.file_key) as handle, zipfile.ZipFile(handle) as archive:
                for name in archive.namelist():
                    if name.endswith((".html", ".htm")):
                        pages[f"{row.kind}/{name}"] = archive.read(name).decode("utf-8")
        db.session.commit()
    return pages


@pytest.mark.browser
def test_no_hostile_text_runs_or_loads_anything_in_the_exports(site, browser):
    """The readable page of an export is opened from disk, without Kring's CSP: the escaping
    alone must hold (the member's own and the facilitator's space export)."""
    pages = _export_pages(site)
    assert {name.split("/")[0] for name in pages} == {"personal", "space"}, list(pages)
    findings = Findings()
    reader = Visitor(browser, site, findings, None)
    try:
        for number, (name, html) in enumerate(sorted(pages.items())):
            reader.mail[f"/export{number}.html"] = (html, "text/html; charset=utf-8")
            reader.where = f"mail export {name}"
            reader.page.goto(f"http://{MAIL_ORIGIN}/export{number}.html", wait_until="load")
            findings.visited.append(reader.where)
            reader.inspect(reader.where)
            shown = sum(payload in reader.page.inner_text("body") for payload in PAYLOADS)
            if shown < 10:
                findings.add(reader.where, f"only {shown} payloads shown as text")
    finally:
        reader.close()
    assert findings.problems == {}, report(findings)
