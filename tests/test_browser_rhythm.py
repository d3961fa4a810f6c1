"""The rhythm of a group in a real browser, from the outside in: a candidate registers on the
public interest page and confirms by email, the facilitator admits them, the newcomer
accepts the invitation and the working agreements, cancels the next meeting with a reason,
and the facilitator sees the cancellation on the meeting's pages and in the participation
overview. Chromium driven by Playwright against waitress, as in tests/test_browser.py."""
from __future__ import annotations

import re
import pytest

from tests.test_browser import (  # noqa: F401 (shared fixtures; skips without Chromium)
    CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, _foreign_requests, browser, page, recorder,
)

from app.notify.outbox import OutboxMessage  # noqa: E402
from tests.conftest import PASSWORD, World  # noqa: E402
from tests.mail import rendered_mail  # noqa: E402
from tests.meetings import at, day_ahead  # noqa: E402
from tests.second_factor import log_in_through_form  # noqa: E402
from tests.served import served_site, site_app  # noqa: E402

CANDIDATE = "kandidaat.ritme@example.org"
QUESTION = "Wat hoop je uit de groep te halen?"
ANSWER = "Weer overzicht over mijn rekeningen."
REASON = "Ik moet die avond naar de tandarts."
TOPIC = "Vaste lasten op een rij"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from app.intake.setup import save_intake_page
    from app.meetings import service as meetings

    app = site_app(tmp_path_factory.mktemp("browser-rhythm"))
    world = World(app)
    slug, lead = world.space("ritme-groep")
    world.enrol_second_factor(lead)  # a facilitator logs in with two steps
    world.member(slug, lead, name="Joris")
    with world.ctx():
        actor, space = world.actor(lead.user_id), world.space_obj(slug)
        key = save_intake_page(actor, space, is_open=True,
                               introduction="Een groep over **geldzorgen**.",
                               rhythm="Elke dinsdagavond", questions=QUESTION,
                               decline_message="").public_key
        day = day_ahead(3)
        meeting = meetings.plan_meeting(actor, space, starts_at=at(day, "19:30"),
                                        ends_at=at(day, "21:00"), topic=TOPIC)
        meeting_id = meeting.id
    with served_site(app, "waitress-rhythm") as site:
        yield {**site, "slug": slug, "lead": lead, "key": key, "meeting_id": meeting_id}


def _link(app, to: str, path: str, base: str) -> str:
    """The link to `path` (a pattern) in the newest mail to `to`, on the served site (mail
    links are built from BASE_URL, never from the request)."""
    mail = rendered_mail(app, OutboxMessage.to_addr == to)[-1]
    match = re.search(r"https?://[^/\s]+(" + path + r")", mail.body_text)
    assert match, f"no link {path!r} in the mail to {to}"
    return base + match.group(1)


def _log_in(page, base: str, email: str) -> None:
    log_in_through_form(page, base, email, PASSWORD)  # the lead types the app's code too
    page.wait_for_url(f"{base}/")


@pytest.mark.browser
def test_candidate_registers_is_admitted_joins_and_cancels_and_the_facilitator_sees_it(
        site, browser, page, recorder):  # noqa: F811
    from playwright.sync_api import expect

    app, base, slug = site["app"], site["base"], site["slug"]
    meeting_path = f"/s/{slug}/meetings/{site['meeting_id']}"

    # 1. The candidate registers on the public page (no login) and confirms from the mail.
    page.goto(f"{base}/aanmelden/{site['key']}")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".introduction strong")).to_have_text("geldzorgen")
    page.locator("input[name=name]").fill("Kim")
    page.locator("input[name=email]").fill(CANDIDATE)
    page.get_by_label(QUESTION).fill(ANSWER)
    page.get_by_role("button", name="Aanmelding versturen").click()
    expect(page.locator("main")).to_contain_text("mail")
    page.goto(_link(app, CANDIDATE, r"/aanmelden/bevestigen/[A-Za-z0-9_\-.]+", base))
    page.get_by_role("button", name="Bevestig mijn aanmelding").click()
    expect(page.locator("main")).not_to_contain_text("verlopen")

    # 2. The facilitator finds the registration and admits Kim: the invitation goes out.
    lead_context = browser.new_context(locale="nl-NL", service_workers="block")
    lead_context.set_default_timeout(TIMEOUT_MS)
    lead = lead_context.new_page()
    lead.on("request", lambda request: recorder.requests.append(request.url))
    _log_in(lead, base, site["lead"].email)
    lead.goto(f"{base}/s/{slug}/intake")
    lead.get_by_role("link", name="Kim").click()
    expect(lead.locator(".answers")).to_contain_text(ANSWER)
    lead.get_by_role("button", name="Toelaten en uitnodiging sturen").click()
    expect(lead.locator("[data-status]")).to_have_attribute("data-status", "admitted")

    # 3. Kim accepts the invitation and the working agreements, choosing a password.
    page.goto(_link(app, CANDIDATE, r"/invite/[A-Za-z0-9_\-.]+", base))
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=display_name]").fill("Kim")
    page.locator("input[name=accept]").check()
    page.get_by_role("button", name="Doe mee met de groep").click()
    page.wait_for_url(re.compile(re.escape(f"{base}/s/{slug}/")))

    # 4. Kim sees the next meeting on the home page, opens it and cancels with a reason.
    expect(page.locator("main")).to_contain_text(TOPIC)
    page.goto(f"{base}{meeting_path}")
    page.locator("textarea[name=reason]").fill(REASON)
    page.get_by_role("button", name="Ik meld me af").click()
    expect(page.locator(".attendance-panel")).to_contain_text("afgemeld")
    expect(page.locator(".attendance-panel")).to_contain_text(REASON)

    # 5. The facilitator sees the cancellation: in the meeting's count, in its list with the
    # reason, and in the participation overview.
    lead.goto(f"{base}{meeting_path}")
    expect(lead.locator(".attendance-panel")).to_contain_text("afgemeld: 1")
    lead.goto(f"{base}{meeting_path}/attendance")
    expect(lead.locator("main")).to_contain_text("Kim")
    expect(lead.locator("main")).to_contain_text(REASON)
    lead.goto(f"{base}/s/{slug}/overview")
    kim = lead.locator(".cancellation", has_text=REASON)
    expect(kim).to_have_count(1)
    expect(kim).to_contain_text(TOPIC)

    # Nothing was loaded from another host, and the CSP blocked nothing.
    assert _foreign_requests(recorder.requests, site["origin"]) == []
    assert recorder.csp_violations == []
    lead_context.close()
