"""End to end in a real browser: a member logs in, accepts the changed working agreements,
opens a thread, replies and thanks a post, in Debian's Chromium driven by Playwright against
the app served by waitress. The page may only ever talk to the app's own origin, and the
Content-Security-Policy must never have to block anything Kring itself serves.

Selectors use form actions, field names, ids and URLs, never UI text: the interface is
Dutch-first and its wording will change when the catalogue arrives."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"Chromium not installed at {CHROMIUM}: install the 'chromium' package to run "
                "the browser suite", allow_module_level=True)
try:
    from playwright.sync_api import expect, sync_playwright
except ImportError as exc:  # pragma: no cover - depends on the environment
    pytest.skip(f"Python package 'playwright' cannot be imported ({exc}): install "
                "requirements-dev.txt to run the browser suite", allow_module_level=True)

from app.extensions import db  # noqa: E402
from tests.conftest import PASSWORD, World  # noqa: E402
from tests.second_factor import log_in_through_form  # noqa: E402
from tests.served import served_site, site_app  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
TIMEOUT_MS = 10_000
MEMBER_EMAIL = "sanne.browser@example.org"
FIRST_BODY = "Welkom allemaal, hoe gaat het met jullie administratie?"
SECOND_BODY = "Ik houd alles bij in een schriftje."
REPLY_BODY = "Bij mij ligt alles nog in een doos, ik begin vandaag."
NEW_AGREEMENT = "- **Wat hier gezegd wordt, blijft hier.**\n- **Respect.** Reageer vriendelijk."


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A seeded SQLite database served by waitress on 127.0.0.1:<free port>."""
    from app.spaces import agreements

    folder = tmp_path_factory.mktemp("browser")
    app = site_app(folder)

    world = World(app)
    slug, lead = world.space("browser-groep")
    other = world.member(slug, lead, name="Joris")
    thread_id = world.thread(slug, lead, title="Hoe houden jullie overzicht?", body=FIRST_BODY)
    world.reply(slug, thread_id, other, SECOND_BODY)
    member = world.accept(world.invite_token(slug, lead, email=MEMBER_EMAIL),
                          display_name="Sanne")
    # A new version published after Sanne joined: she must accept it before she sees anything.
    with world.ctx():
        agreements.update_agreement(world.actor(lead.user_id), world.space_obj(slug),
                                    body=NEW_AGREEMENT)

    with served_site(app, "waitress-browser") as site:
        yield {**site, "slug": slug, "thread_id": thread_id, "member": member,
               "folder": folder}


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Recorder:
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)


@pytest.fixture
def recorder():
    return Recorder()


@pytest.fixture
def page(browser, site, recorder):
    """A fresh page that records every request, console error and CSP violation."""
    context = browser.new_context(locale="nl-NL", service_workers="block")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("request", lambda request: recorder.requests.append(request.url))
    page.on("console", lambda message: message.type == "error"
            and recorder.console_errors.append(message.text))
    # A binding is not subject to the page's CSP, so a blocked resource is reported even when
    # the browser does not log it to the console.
    page.expose_function("__kringCspViolation", lambda text: recorder.csp_violations.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        "  window.__kringCspViolation(e.violatedDirective + ' blocked ' + e.blockedURI"
        "    + ' at ' + e.documentURI); });")
    yield page
    context.close()


def _foreign_requests(urls: list[str], origin: str) -> list[str]:
    foreign = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme == "data":
            continue
        if parts.scheme not in ("http", "https") or parts.netloc != origin:
            foreign.append(url)
    return foreign


@pytest.mark.browser
def test_member_logs_in_accepts_agreement_replies_and_thanks(site, page, recorder,
                                                              tmp_path_factory):
    from app.forum.models import Post, Reaction
    from app.spaces.models import Membership, Space

    base, slug, thread_id = site["base"], site["slug"], site["thread_id"]
    space_home = re.compile(re.escape(f"{base}/s/{slug}/") + r"$")
    thread_url = re.compile(re.escape(f"{base}/s/{slug}/t/{thread_id}") + r"(\?[^#]*)?(#.*)?$")

    # Log in.
    log_in_through_form(page, base, MEMBER_EMAIL, PASSWORD)
    expect(page).to_have_url(f"{base}/")
    expect(page.locator('form[action$="/logout"]')).to_have_count(1)

    # Opening the space leads to the changed agreement first.
    page.locator(f'main a[href="/s/{slug}/"]').click()
    expect(page).to_have_url(f"{base}/s/{slug}/agreement")
    expect(page.locator(f'a[href*="/s/{slug}/t/"]')).to_have_count(0)
    agreement_form = page.locator(f'form[action$="/s/{slug}/agreement"]')
    agreement_form.locator("input[type=checkbox][name=accept]").check()
    agreement_form.locator("button[type=submit]").click()
    expect(page).to_have_url(space_home)
    with site["app"].app_context():
        membership = db.session.get(Membership, site["member"].membership_id)
        space = db.session.scalar(db.select(Space).where(Space.slug == slug))
        assert membership.agreement_version == space.agreement_version == 2

    # The space home lists the thread; open it by its title.
    title_link = page.locator(f'ul.threads a.title[href*="/s/{slug}/t/{thread_id}"]')
    expect(title_link).to_have_count(1)
    title_link.click()
    expect(page).to_have_url(thread_url)
    expect(page.locator("li#p1 .prose")).to_contain_text(FIRST_BODY)
    expect(page.locator("li#p2 .prose")).to_contain_text(SECOND_BODY)

    # Reply.
    reply_form = page.locator(f'form[action$="/s/{slug}/t/{thread_id}/reply#reply"]')
    reply_form.locator("textarea[name=body]").fill(REPLY_BODY)
    reply_form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(f"{base}/s/{slug}/t/{thread_id}?page=1")
                                        + r"#p3$"))
    expect(page.locator("li#p3 .prose")).to_contain_text(REPLY_BODY)
    expect(page.locator("li#p3 .author")).to_have_text("Sanne")
    expect(reply_form.locator("textarea[name=body]")).to_have_value("")

    # Thank the opening post: one reaction, shown as pressed, with the count 1.
    first_post = page.locator("li#p1")
    expect(first_post.locator("details.reaction-who")).to_have_count(0)
    first_post.locator('button[name=choice][value="thanks:1"]').click()
    expect(page).to_have_url(re.compile(r"#p1$"))
    first_post = page.locator("li#p1")
    expect(first_post.locator("details.reaction-who")).to_have_count(1)
    expect(first_post.locator("details.reaction-who summary")).to_have_text(re.compile(r"\b1\s*$"))
    thanked = first_post.locator('button[name=choice][value="thanks:0"]')
    expect(thanked).to_have_attribute("aria-pressed", "true")
    expect(first_post.locator('button[name=choice][value="thanks:1"]')).to_have_count(0)

    with site["app"].app_context():
        posts = db.session.scalars(db.select(Post).where(Post.thread_id == thread_id)
                                   .order_by(Post.number)).all()
        assert [p.number for p in posts] == [1, 2, 3]
        assert posts[2].body == REPLY_BODY
        assert posts[2].author_id == site["member"].membership_id
        reactions = db.session.execute(db.select(Reaction.post_id, Reaction.kind,
                                                 Reaction.membership_id)).all()
        assert reactions == [(posts[0].id, "thanks", site["member"].membership_id)]

    shot = tmp_path_factory.mktemp("screenshots") / "browser-journey.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0

    assert recorder.requests, "no requests were recorded"
    foreign = _foreign_requests(recorder.requests, site["origin"])
    assert foreign == [], f"the page contacted another origin than {site['origin']}: {foreign}"
    assert any("/static/css/" in url for url in recorder.requests)
    assert any("/static/js/" in url for url in recorder.requests)
    assert recorder.csp_violations == [], f"CSP blocked: {recorder.csp_violations}"
    csp_errors = [text for text in recorder.console_errors
                  if re.search(r"content.security.policy|\bCSP\b", text, re.I)]
    assert csp_errors == [], f"CSP errors in the console: {csp_errors}"
