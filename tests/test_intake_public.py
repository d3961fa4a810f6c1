"""The public interest page /aanmelden/<key>: closed unless opened, only the theme, the rhythm
and the introduction, a form that keeps what was typed, a honeypot, a rate limit with a clear
429, the same answer for every address, and an email confirmation (real SMTP) before a
registration counts."""
from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urljoin, urlsplit

from sqlalchemy import func, select

from app.extensions import db
from app.notify.outbox import OutboxMessage
from app.spaces.models import Space
from tests.conftest import csrf_token
from tests.intake import (
    QUESTIONS, RHYTHM, confirm, confirmation_path, fresh_ip, open_interest_page,
    post_registration, registrations,
)
from tests.mail import inbox, mail_app, text_part  # noqa: F401  (fixtures)


def _outbox_to(app, address: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.to_addr == address))


def test_interest_page_is_closed_by_default_and_its_address_is_a_404(app, client, world):
    slug, lead = world.space()
    key = open_interest_page(world, slug, lead, is_open=False)
    assert client.get(f"/aanmelden/{key}").status_code == 404
    assert client.get("/aanmelden/iets-verzonnen").status_code == 404
    assert post_registration(client, key).status_code == 404
    assert registrations(app) == []


def test_open_page_shows_theme_rhythm_introduction_and_labelled_questions(app, client, world):
    slug, lead = world.space()
    key = open_interest_page(world, slug, lead)
    page = client.get(f"/aanmelden/{key}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<h1>Thema</h1>" in html
    assert RHYTHM in html
    assert "<strong>rouwen</strong>" in html
    for label in ("Naam of roepnaam", "E-mailadres", *QUESTIONS):
        assert re.search(rf'<label for="[a-z_0-9]+">{re.escape(label)}</label>', html), label
    assert "Aanmelding versturen" in html
    assert f"Groep {slug}" not in html  # the group's name is not the page's business


def test_crawling_the_public_pages_finds_no_member_name_thread_title_or_post_text(
        mail_app, inbox, world):
    """Every page reachable from the interest page (and the pages of the registration flow)
    is fetched without logging in: none shows a member's name, a thread title or post text."""
    app = mail_app
    slug, lead = world.space()
    member = world.member(slug, lead, name="Marieke Geheim")
    thread_id = world.thread(slug, member, title="Onze geheime avond", body="Wat ik nooit zeg")
    world.reply(slug, thread_id, lead, "Een vertrouwelijk antwoord")
    key = open_interest_page(world, slug, lead)
    secrets = ["Marieke Geheim", lead.name, "Onze geheime avond", "Wat ik nooit zeg",
               "Een vertrouwelijk antwoord", f"Groep {slug}", lead.email, member.email,
               f"/s/{slug}"]
    client = app.test_client()
    pages, seen, todo = {}, set(), [f"/aanmelden/{key}"]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if not response.content_type.startswith(("text/html", "text/css", "text/javascript",
                                                  "application/javascript")):
            continue
        text = response.get_data(as_text=True)
        pages[path] = text
        for link in re.findall(r'(?:href|src|action)="([^"#]+)', text):
            target = urlsplit(urljoin(path, link))
            if not target.netloc:
                todo.append(target.path)
    # The flow's own pages: sent, the confirmation link and the thanks after it.
    sent = post_registration(client, key, name="Kandidaat", email="kandidaat@example.org")
    pages["sent"] = client.get(sent.headers["Location"]).get_data(as_text=True)
    path = confirmation_path(app, inbox, "kandidaat@example.org")
    pages["confirm"] = client.get(path).get_data(as_text=True)
    pages["confirmed"] = confirm(client, path).get_data(as_text=True)
    pages["mail"] = text_part(inbox.to("kandidaat@example.org")[-1].message)
    assert len(pages) >= 6
    for where, text in pages.items():
        for secret in secrets:
            assert secret not in text, f"{secret!r} on {where}"


def test_hostile_markdown_in_the_introduction_is_made_harmless(app, client, world):
    slug, lead = world.space()
    key = open_interest_page(world, slug, lead, introduction=(
        "<script>alert('x')</script>\n\n[klik](javascript:alert(1))\n\n"
        "<img src=x onerror=alert(2)>\n\n<iframe src='https://evil.example'></iframe>"))
    html = client.get(f"/aanmelden/{key}").get_data(as_text=True)
    intro = html.split('class="introduction">', 1)[1].split("</div>", 1)[0]
    assert "<script" not in intro and "<iframe" not in intro and "<img" not in intro
    assert "href=\"javascript" not in intro.lower() and "onerror=" not in intro.replace("&lt;img src=x onerror", "")
    assert "&lt;script&gt;" in intro  # shown as text, not run


def test_bad_input_is_refused_at_the_field_with_the_text_kept(app, client, world):
    slug, lead = world.space()
    key = open_interest_page(world, slug, lead)
    long_answer = "x" * 2001
    response = post_registration(client, key, name="  ", email="geen-adres",
                                 answers=("Mijn verhaal blijft staan", long_answer))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Mijn verhaal blijft staan" in html
    assert 'value="geen-adres"' in html
    assert registrations(app) == []
    response = post_registration(client, key, name="Sam", email="sam@example.org",
                                 answers=("Mijn verhaal blijft staan", long_answer))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Maximaal 2000 tekens (nu 2001)." in html
    assert 'value="Sam"' in html and "Mijn verhaal blijft staan" in html
    response = post_registration(client, key, name="Sam", email="sam@@example")
    assert response.status_code == 400
    assert "Vul een geldig e-mailadres in." in response.get_data(as_text=True)
    assert registrations(app) == []


def test_registration_counts_only_after_the_emailed_link_is_confirmed(mail_app, inbox, world):
    app = mail_app
    slug, lead = world.space()
    key = open_interest_page(world, slug, lead)
    client = app.test_client()
    response = post_registration(client, key, name="Sam", email="Sam@Example.org",
                                 answers=("Rust en herkenning", "Nee"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/aanmelden/{key}/verstuurd"
    assert "Kijk in je mailbox" in client.get(response.headers["Location"]).get_data(as_text=True)
    [pending] = registrations(app)
    assert pending.confirmed_at is None and pending.email == "sam@example.org"
    assert pending.answer_pairs == [(QUESTIONS[0], "Rust en herkenning"), (QUESTIONS[1], "Nee")]
    path = confirmation_path(app, inbox, "sam@example.org")
    mail = inbox.to("sam@example.org")[-1].message
    assert mail["Subject"] == "Bevestig je aanmelding"
    for secret in (f"Groep {slug}", "Rust en herkenning", "Thema", lead.name):
        assert secret not in text_part(mail)
    page = client.get(path)  # opening the link (a mail scanner may) confirms nothing
    assert page.status_code == 200 and "Bevestig mijn aanmelding" in page.get_data(as_text=True)
    assert registrations(app)[0].confirmed_at is None
    done = confirm(client, path)
    assert done.status_code == 200
    assert "Aanmelding bevestigd" in done.get_data(as_text=True)
    assert registrations(app)[0].confirmed_at is not None
    again = confirm(client, path)  # a double click: the thanks again, confirmed once
    assert again.status_code == 200 and "Aanmelding bevestigd" in again.get_data(as_text=True)


def test_an_expired_confirmation_link_is_refused_and_the_worker_removes_it(
        mail_app, inbox, world, clock):
    from app.notify.worker import run_once

    app = mail_app
    slug, lead = world.space()
    key = open_interest_page(world, slug, lead)
    client = app.test_client()
    post_registration(client, key, email="laat@example.org")
    path = confirmation_path(app, inbox, "laat@example.org")
    clock.move(timedelta(hours=48, minutes=1))
    assert client.get(path).status_code == 410
    response = client.post(path, data={"csrf_token": csrf_token(client, f"/aanmelden/{key}")})
    assert response.status_code == 410
    assert "verlopen" in response.get_data(as_text=True)
    with app.app_context():
        run_once()
    assert registrations(app) == []
    assert client.get("/aanmelden/bevestigen/verzonnen-token").status_code == 410


def test_the_answer_is_the_same_for_a_member_a_known_address_and_a_newcomer(
        mail_app, inbox, world):
    app = mail_app
    slug, lead = world.space()
    member = world.member(slug, lead, name="Al Lid")
    key = open_interest_page(world, slug, lead)
    client = app.test_client()
    # Already registered and confirmed.
    post_registration(client, key, email="bekend@example.org")
    confirm(client, confirmation_path(app, inbox, "bekend@example.org"))
    answers = {}
    for who, address in (("member", member.email), ("known", "bekend@example.org"),
                         ("new", "nieuw@example.org")):
        response = post_registration(client, key, email=address)
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        # CSRF tokens carry the second they were made in, and every response has its own CSP
        # nonce: everything else must be the same.
        answers[who] = (response.status_code, response.headers.get("Location"),
                        re.sub(r'name="csrf_token" value="[^"]+"|nonce="[^"]+"', "", page))
    assert answers["member"] == answers["known"] == answers["new"]
    run_deliver_count = len(inbox.received)
    confirmation_path(app, inbox, "nieuw@example.org")
    assert len(inbox.received) == run_deliver_count + 1  # only the newcomer got mail
    asked = [m for m in inbox.received if m.message["Subject"] == "Bevestig je aanmelding"]
    assert sorted(r for m in asked for r in m.rcpt_tos) == ["bekend@example.org",
                                                              "nieuw@example.org"]
    assert [r.email for r in registrations(app)] == ["bekend@example.org", "nieuw@example.org"]


def test_a_double_submit_makes_one_registration_and_one_mail(app, client, world):
    slug, lead = world.space()
    key = open_interest_page(world, slug, lead)
    first = post_registration(client, key, email="dubbel@example.org")
    second = post_registration(client, key, email="dubbel@example.org")
    assert first.status_code == second.status_code == 302
    assert len(registrations(app)) == 1
    assert _outbox_to(app, "dubbel@example.org") == 1


def test_honeypot_filled_in_gets_the_same_answer_and_nothing_is_stored(app, client, world):
    slug, lead = world.space()
    key = open_interest_page(world, slug, lead)
    html = client.get(f"/aanmelden/{key}").get_data(as_text=True)
    assert re.search(r'<div class="trap" aria-hidden="true">\s*<label for="website">', html)
    assert 'tabindex="-1"' in html
    robot = post_registration(client, key, email="robot@example.org",
                              website="https://spam.example")
    person = post_registration(client, key, email="mens@example.org")
    assert robot.status_code == person.status_code == 302
    assert robot.headers["Location"] == person.headers["Location"]
    assert [r.email for r in registrations(app)] == ["mens@example.org"]
    assert _outbox_to(app, "robot@example.org") == 0


def test_too_many_registrations_from_one_address_get_a_clear_429_with_the_text_kept(
        app, client, world):
    slug, lead = world.space()
    key = open_interest_page(world, slug, lead)
    ip = "203.0.113.9"
    for n in range(5):
        assert post_registration(client, key, email=f"n{n}@example.org", ip=ip).status_code == 302
    refused = post_registration(client, key, name="Zesde", email="zes@example.org",
                                answers=("Mijn tekst", ""), ip=ip)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "Wacht een uur" in html
    assert 'value="Zesde"' in html and "Mijn tekst" in html
    assert len(registrations(app)) == 5
    # Another address is not held back.
    assert post_registration(client, key, email="zes@example.org", ip=fresh_ip()).status_code == 302


def test_the_page_closes_with_the_rental_and_a_new_address_retires_the_old(app, client, world):
    from app.intake import setup

    slug, lead = world.space()
    key = open_interest_page(world, slug, lead)
    with world.ctx():
        new_key = setup.renew_public_key(world.actor(lead.user_id), world.space_obj(slug)).public_key
    assert client.get(f"/aanmelden/{key}").status_code == 404
    assert client.get(f"/aanmelden/{new_key}").status_code == 200
    with world.ctx():
        space = db.session.scalar(select(Space).where(Space.slug == slug))
        space.rental_start = date.today() - timedelta(days=60)
        space.rental_end = date.today() - timedelta(days=1)
        db.session.commit()
    assert client.get(f"/aanmelden/{new_key}").status_code == 404
    assert client.get(f"/aanmelden/{new_key}/verstuurd").status_code == 404


def test_the_demo_has_an_open_interest_page_and_two_registrations(app):
    from app.demo import seed_demo
    from app.intake.models import IntakePage

    with app.app_context():
        seed_demo()
        key = db.session.scalar(select(IntakePage.public_key).where(IntakePage.is_open.is_(True)))
    html = app.test_client().get(f"/aanmelden/{key}").get_data(as_text=True)
    assert "Geldzorgen en schulden" in html and "Elke dinsdagavond" in html
    assert "Grip op je geld" not in html
    assert sorted(r.status for r in registrations(app)) == ["new", "planned"]
