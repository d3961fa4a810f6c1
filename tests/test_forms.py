"""Forms never lose work or hide their errors: every refused form answers 400 with all its
errors at their fields and in a linked summary, keeps what was typed (passwords excepted),
refuses a NUL character at the field, never renders maxlength="None"; one date format."""
from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.database import utcnow
from app.extensions import db
from tests.conftest import PASSWORD, csrf_token, login, reauth

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Case:
    """One form sent with something wrong: where, what, which field is refused, what stays."""
    who: str                      # "visitor", "lead", "member", "operator"
    page: str                     # where the form is shown (for the CSRF token)
    action: str                   # where it is posted
    data: dict
    refused: str                  # the id of the field that carries the error
    kept: list = field(default_factory=list)
    cleared: list = field(default_factory=list)  # passwords: never sent back
    csrf_name: str = "csrf_token"


def _reset_token(app, user_id: int) -> str:
    from app.accounts.models import PasswordReset
    from app.tokens import new_token

    raw, token_hash = new_token()
    with app.app_context():
        db.session.add(PasswordReset(user_id=user_id, token_hash=token_hash,
                                     expires_at=utcnow() + timedelta(hours=1)))
        db.session.commit()
    return raw


@pytest.fixture
def place(app, world):
    """A space with a lead, a member with a thread and a reply, an operator, an invitation
    and a reset link: everything every form needs."""
    slug, lead = world.space()
    member = world.member(slug, lead, name="Sanne")
    thread = world.thread(slug, member, title="Mijn vraag", body="Eerste bericht")
    post = world.reply(slug, thread, member, "Een antwoord van mij")
    invite = world.invite_token(slug, lead, email="nieuw@example.org")
    return {"slug": slug, "lead": lead, "member": member, "operator": world.operator,
            "thread": thread, "post": post, "invite": invite,
            "reset": _reset_token(app, member.user_id)}


def _cases(p) -> dict[str, Case]:
    s, t = f"/s/{p['slug']}", p["thread"]
    long_name = "Een naam die veel te lang is " * 4
    return {
        "login": Case("visitor", "/login", "/login",
                      {"email": "iemand@example.org", "password": "geheim-wachtwoord-1"},
                      "password", kept=["iemand@example.org"], cleared=["geheim-wachtwoord-1"]),
        "forgot": Case("visitor", "/password/forgot", "/password/forgot", {"email": ""}, "email"),
        "reset": Case("visitor", f"/password/reset/{p['reset']}", f"/password/reset/{p['reset']}",
                      {"password": "kort-1"}, "password", cleared=["kort-1"]),
        "account": Case("member", "/account", "/account", {"locale": "fr"}, "locale"),
        "password": Case("member", "/account/password", "/account/password",
                         {"current_password": "niet-het-wachtwoord", "new_password": "een nieuw wachtwoord"},
                         "current_password", cleared=["niet-het-wachtwoord", "een nieuw wachtwoord"]),
        "email": Case("member", "/account/email", "/account/email", {"email": "geen-adres"},
                       "email", kept=["geen-adres"]),
        "join": Case("visitor", f"/invite/{p['invite']}", f"/invite/{p['invite']}",
                     {"display_name": "Nieuwkomer Noor", "password": "mijn lange wachtwoord"},
                     "accept", kept=["Nieuwkomer Noor"], cleared=["mijn lange wachtwoord"]),
        "new_thread": Case("member", f"{s}/t/new", f"{s}/t/new",
                           {"kind": "discussion", "title": "Een titel die blijft", "body": "  "},
                           "body", kept=["Een titel die blijft"]),
        "reply": Case("member", f"{s}/t/{t}", f"{s}/t/{t}/reply", {"body": "x" * 20_001}, "body",
                      kept=["x" * 20_001]),
        "edit_post": Case("member", f"{s}/p/{p['post']}/edit", f"{s}/p/{p['post']}/edit",
                          {"body": ""}, "body"),
        "accept_agreement": Case("member", f"{s}/agreement", f"{s}/agreement", {}, "accept"),
        "edit_agreement": Case("lead", f"{s}/agreement", f"{s}/agreement/edit",
                               {"body": "Nieuwe afspraken " + "x" * 20_001}, "body",
                               kept=["Nieuwe afspraken "]),
        "space_settings": Case("lead", f"{s}/settings", f"{s}/settings",
                               {"name": "", "theme": "Een nieuw thema", "description": "Nieuwe omschrijving"},
                               "name", kept=["Een nieuw thema", "Nieuwe omschrijving"]),
        "invite": Case("lead", f"{s}/invite", f"{s}/invite",
                       {"email": "geen-adres", "role": "member"}, "email", kept=["geen-adres"]),
        "display_name": Case("member", f"{s}/members", f"{s}/members/me/name",
                             {"display_name": long_name}, "display_name", kept=[long_name.strip()]),
        "notification_settings": Case(
            "member", "/notifications/settings", "/notifications/settings",
            {"space": p["slug"], f"{p['slug']}-replies": "direct", f"{p['slug']}-facilitator": "daily",
             f"{p['slug']}-members": "daily", f"{p['slug']}-flags": "daily",
             f"{p['slug']}-digest_hour": "25"},
            f"{p['slug']}-digest_hour", csrf_name=f"{p['slug']}-csrf_token"),
        "create_space": Case("operator", "/admin/spaces", "/admin/spaces",
                             {"name": "Nieuwe groep", "slug": "Geen Geldig Adres!", "theme": "Rouw",
                              "description": "Voor wie iemand verloor", "renter": "",
                              "rental_start": "2026-01-01", "rental_end": "", "seat_limit": "1",
                              "facilitator_email": "lead@example.org"},
                             "renter", kept=["Nieuwe groep", "Geen Geldig Adres!", "Rouw",
                                             "Voor wie iemand verloor", "lead@example.org"]),
    }


FORMS = ["login", "forgot", "reset", "account", "password", "email", "join", "new_thread", "reply",
         "edit_post", "accept_agreement", "edit_agreement", "space_settings", "invite",
         "display_name", "notification_settings", "create_space"]


def _client_for(app, place, who: str):
    client = app.test_client()
    if who != "visitor":
        login(client, place[who])
        reauth(client)  # the password and email pages ask for it first
    return client


def _send(app, place, case: Case):
    client = _client_for(app, place, case.who)
    token = csrf_token(client, case.page)
    return client.post(case.action, data={case.csrf_name: token, **case.data})


def assert_error_at_field(page: str, field_id: str) -> None:
    """The field is marked invalid, described by its error, and the summary links to it."""
    tag = re.search(rf'<(?:input|textarea|select)[^>]*\bid="{re.escape(field_id)}"[^>]*>', page)
    assert tag, f"no field #{field_id}"
    assert 'aria-invalid="true"' in tag.group(0), tag.group(0)
    assert re.search(rf'aria-describedby="[^"]*{re.escape(field_id)}-error', tag.group(0)), tag.group(0)
    assert f'id="{field_id}-error"' in page
    summary = re.search(r'<div class="errors" role="alert"[^>]*>(.*?)</div>', page, re.S)
    assert summary, "no error summary"
    assert f'href="#{field_id}"' in summary.group(1)
    assert re.search(r'<h2 class="errors-heading" id="[^"]+" tabindex="-1">', summary.group(1))


@pytest.mark.parametrize("name", FORMS)
def test_a_refused_form_answers_400_with_the_error_at_its_field_and_keeps_the_text(app, world, place, name):
    if name == "accept_agreement":  # a new version the member has not accepted yet
        from app.spaces import agreements

        with world.ctx():
            agreements.update_agreement(world.actor(place["lead"].user_id),
                                        world.space_obj(place["slug"]), body="Nieuwe afspraken")
    case = _cases(place)[name]
    response = _send(app, place, case)
    assert response.status_code == 400, (name, response.status_code)
    page = response.get_data(as_text=True)
    assert_error_at_field(page, case.refused)
    for text in case.kept:
        assert html_lib.escape(text, quote=True) in page or text in page, (name, text[:40])
    for secret in case.cleared:
        assert secret not in page, (name, "a password was sent back")


def test_every_error_of_a_form_shows_at_once_each_at_its_field(app, place):
    case = _cases(place)["create_space"]
    response = _send(app, place, case)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for field_id in ("renter", "rental_end", "seat_limit"):
        assert_error_at_field(page, field_id)
    summary = re.search(r'<div class="errors" role="alert"[^>]*>(.*?)</div>', page, re.S).group(1)
    assert len(re.findall(r'<li><a href="#', summary)) >= 3


def test_a_failed_reply_lands_on_the_reply_box_with_the_text_kept(app, place):
    case = _cases(place)["reply"]
    client = _client_for(app, place, "member")
    token = csrf_token(client, case.page)
    response = client.post(case.action, data={"csrf_token": token, "body": "Mijn verhaal" + "!" * 20_000})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    # The re-rendered form posts to ...#reply, and the box carries that id, so the browser
    # (and a resend) lands on the box rather than at the top of the thread.
    assert re.search(rf'<form method="post" action="{re.escape(case.action)}#reply"', page)
    assert '<section class="card reply" id="reply"' in page
    assert "Mijn verhaal" + "!" * 20_000 in page
    assert_error_at_field(page, "body")


def test_the_reply_form_on_a_thread_posts_to_the_reply_anchor(app, place):
    client = _client_for(app, place, "member")
    page = client.get(f"/s/{place['slug']}/t/{place['thread']}").get_data(as_text=True)
    assert f'action="/s/{place["slug"]}/t/{place["thread"]}/reply#reply"' in page


def _nul_cases(p):
    s, t = f"/s/{p['slug']}", p["thread"]
    return {
        "title": Case("member", f"{s}/t/new", f"{s}/t/new",
                      {"kind": "discussion", "title": "Met\x00nul", "body": "Gewone tekst"}, "title"),
        "body": Case("member", f"{s}/t/new", f"{s}/t/new",
                     {"kind": "discussion", "title": "Gewone titel", "body": "Met\x00nul"}, "body"),
        "reply": Case("member", f"{s}/t/{t}", f"{s}/t/{t}/reply", {"body": "Met\x00nul"}, "body"),
        "login": Case("visitor", "/login", "/login",
                      {"email": "iemand\x00@example.org", "password": PASSWORD}, "email"),
        "display_name": Case("member", f"{s}/members", f"{s}/members/me/name",
                             {"display_name": "Met\x00nul"}, "display_name"),
        "space_settings": Case("lead", f"{s}/settings", f"{s}/settings",
                               {"name": "Groep", "theme": "Met\x00nul", "description": ""}, "theme"),
    }


@pytest.mark.parametrize("name", ["title", "body", "reply", "login", "display_name", "space_settings"])
def test_text_with_a_nul_character_is_refused_at_the_field_with_the_nul_removed(app, place, name):
    from app.forum.models import Post

    with app.app_context():
        posts_before = db.session.scalar(select(db.func.count()).select_from(Post))
    case = _nul_cases(place)[name]
    response = _send(app, place, case)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "\x00" not in page
    assert_error_at_field(page, case.refused)
    cleaned = next(v for v in case.data.values() if "\x00" in v).replace("\x00", "")
    assert cleaned.replace("@", "@") in page
    assert "teken dat niet mag" in page  # the reason, in Dutch (the default language)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Post)) == posts_before


def test_resending_the_cleaned_text_is_accepted(app, place):
    case = _nul_cases(place)["reply"]
    client = _client_for(app, place, "member")
    token = csrf_token(client, case.page)
    assert client.post(case.action, data={"csrf_token": token, "body": "Met\x00nul"}).status_code == 400
    response = client.post(case.action, data={"csrf_token": token, "body": "Metnul"})
    assert response.status_code == 302


@pytest.mark.parametrize("path", ["/login?next=%00", "/s/x%00/", "/notifications?page=%00"])
def test_a_nul_character_in_the_address_is_still_refused_with_400(app, place, path):
    client = _client_for(app, place, "member")
    assert client.get(path).status_code == 400


def test_notification_settings_refused_answer_400_with_the_error_at_the_field(app, place):
    case = _cases(place)["notification_settings"]
    response = _send(app, place, case)
    assert response.status_code == 400
    assert_error_at_field(response.get_data(as_text=True), case.refused)


# --- maxlength and dates -------------------------------------------------------------------

def _pages(p) -> dict[str, list[str]]:
    s = f"/s/{p['slug']}"
    return {
        "member": ["/", "/notifications", "/notifications/settings", "/account", "/account/security",
                   f"{s}/", f"{s}/t/new", f"{s}/t/{p['thread']}?page=1", f"{s}/p/{p['post']}/edit",
                   f"{s}/members", f"{s}/agreement"],
        "lead": [f"{s}/settings", f"{s}/invite", f"{s}/members", f"{s}/agreement"],
        "operator": ["/", "/admin/spaces", f"/admin/spaces/{p['slug']}"],
        "visitor": ["/", "/login", "/password/forgot", f"/invite/{p['invite']}",
                    f"/password/reset/{p['reset']}"],
    }


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", page))


def test_no_page_renders_an_attribute_as_none_and_no_time_shows_seconds(app, place, world):
    world.member(place["slug"], place["lead"])  # a notification for the member
    world.invite_token(place["slug"], place["lead"])  # an open invitation with its date
    for who, paths in _pages(place).items():
        client = _client_for(app, place, who)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (who, path, response.status_code)
            page = response.get_data(as_text=True)
            assert '="None"' not in page, (who, path)
            assert not re.search(r"\d:\d\d:\d\d", _visible_text(page)), (who, path)


def _set_post_time(app, thread_id: int, moment: datetime) -> None:
    from app.forum.models import Post

    with app.app_context():
        db.session.execute(update(Post).where(Post.thread_id == thread_id).values(created_at=moment))
        db.session.commit()


@pytest.mark.parametrize("locale, expected", [("nl", r"3 dec\.? 2026, 20:15"), ("en", r"3 Dec 2026, 20:15")])
def test_a_moment_is_shown_as_day_month_year_hours_minutes_in_the_readers_language(app, place, locale, expected):
    from app.accounts.models import User

    with app.app_context():
        db.session.execute(update(User).where(User.id == place["member"].user_id).values(locale=locale))
        db.session.commit()
    # 19:15 UTC is 20:15 in Amsterdam in December.
    _set_post_time(app, place["thread"], datetime(2026, 12, 3, 19, 15, 42, tzinfo=timezone.utc))
    client = _client_for(app, place, "member")
    text = _visible_text(client.get(f"/s/{place['slug']}/t/{place['thread']}?page=1").get_data(as_text=True))
    assert re.search(expected, text), text[:2000]


@pytest.mark.parametrize("locale, expected", [("nl", r"\d{1,2} [a-z]{3}\.? \d{4}"), ("en", r"\d{1,2} [A-Z][a-z]{2} \d{4}")])
def test_a_day_is_shown_as_day_month_year_in_the_readers_language(app, place, locale, expected):
    from app.accounts.models import User

    with app.app_context():
        db.session.execute(update(User).where(User.id == place["lead"].user_id).values(locale=locale))
        db.session.commit()
    client = _client_for(app, place, "lead")
    text = _visible_text(client.get(f"/s/{place['slug']}/settings").get_data(as_text=True))
    assert re.search(r"(until|tot) " + expected, text), text


def test_templates_format_dates_only_through_the_one_filter():
    """`|datetime` and `|date` take no format argument, nothing else formats a date, and a
    `<time datetime>` attribute goes through `|machine` (UTC with its zone), never isoformat."""
    other = re.compile(r"\|\s*(datetime|date|machine)\s*\(|strftime|format_datetime|format_date\b|"
                       r"\.isoformat\(")
    offenders = []
    for path in (ROOT / "templates").rglob("*"):
        if path.is_file():
            for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
                if other.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    for path in (ROOT / "app").rglob("*.py"):
        if path.name == "dates.py":
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if re.search(r"\bformat_(datetime|date|time)\b", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


# --- the operator's landing page -----------------------------------------------------------

def test_operator_without_groups_lands_on_a_page_for_operators(app, place):
    client = _client_for(app, place, "operator")
    page = client.get("/").get_data(as_text=True)
    assert 'href="/admin/spaces"' in page
    text = _visible_text(page)
    assert "You are not in a group yet" not in text and "Je zit nog niet in een groep" not in text
    assert re.search(r"verhuur|rent out", text)
    assert re.search(r"nooit|never", text)


def test_member_without_groups_still_gets_the_invitation_hint(app, world):
    person = world.user()
    client = app.test_client()
    login(client, person)
    page = client.get("/").get_data(as_text=True)
    assert 'href="/admin/spaces"' not in page
