"""Languages: the Dutch catalogue is complete and compiled, Dutch is the default, visitors and
users can switch to English, and dates show in Dutch format and Amsterdam time."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from babel.dates import format_datetime
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from sqlalchemy import update

from app.accounts.models import User
from app.dates import MOMENT
from app.extensions import db
from app.forum.models import Post
from tests.conftest import login

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "app" / "translations"
PO_FILE = TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.po"
MO_FILE = TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.mo"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


def _key(msgid) -> str:
    return msgid[0] if isinstance(msgid, (tuple, list)) else msgid


def _norm(msgid):
    """Plural ids come back as tuples from .po files and as lists from .mo files."""
    return tuple(msgid) if isinstance(msgid, (tuple, list)) else msgid


def _strings(message) -> tuple[str, ...]:
    string = message.string
    return tuple(string) if isinstance(string, (tuple, list)) else (string,)


@pytest.fixture(scope="module")
def source_ids() -> set[str]:
    """Every msgid in the code and templates, extracted the way `pybabel extract` does."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, str(ROOT / "babel.cfg"))
    ids = {_key(message[2]) for message in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True)}
    ids.discard("")
    assert len(ids) > 100, "extraction found suspiciously few messages; check babel.cfg"
    return ids


@pytest.fixture(scope="module")
def dutch():
    with open(PO_FILE, "rb") as fh:
        return read_po(fh, locale="nl")


def nl(catalog, msgid: str) -> str:
    """The Dutch text of `msgid`, checked to really differ from the English."""
    text = catalog[msgid].string
    assert text and text != msgid, f"{msgid!r} has no real Dutch translation"
    return text


# --- the catalogue -------------------------------------------------------------------------


def test_dutch_catalogue_is_complete(source_ids, dutch):
    missing = sorted(msgid for msgid in source_ids
                     if dutch.get(msgid) is None or not all(_strings(dutch.get(msgid))))
    fuzzy = sorted(msgid for msgid in source_ids
                   if dutch.get(msgid) is not None and dutch.get(msgid).fuzzy)
    assert not missing, ("messages without a Dutch translation (run pybabel extract/update and "
                         "translate them):\n" + "\n".join(map(repr, missing)))
    assert not fuzzy, "fuzzy Dutch translations:\n" + "\n".join(map(repr, fuzzy))


def test_plural_forms_and_placeholders_are_kept(dutch):
    assert dutch.num_plurals == 2
    placeholder = re.compile(r"%\(\w+\)[sd]")
    wrong = []
    for message in dutch:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        expected = set(placeholder.findall(" ".join(ids)))
        wrong += [(_key(message.id), text) for text in _strings(message)
                  if set(placeholder.findall(text)) != expected]
    assert not wrong, f"placeholders changed: {wrong}"


def test_compiled_catalogue_matches_the_po_file(dutch):
    with open(MO_FILE, "rb") as fh:
        compiled = read_mo(fh)
    po = {_norm(message.id): _strings(message) for message in dutch if message.id}
    mo = {_norm(message.id): _strings(message) for message in compiled if message.id}
    stale = sorted(_key(msgid) for msgid in po if mo.get(msgid) != po[msgid])
    extra = sorted(_key(msgid) for msgid in mo if msgid not in po)
    assert not stale and not extra, (
        "messages.mo is out of date; run `pybabel compile -d app/translations`. "
        f"Differs: {stale[:20]!r}; only in .mo: {extra[:20]!r}")


# --- the language of a page ----------------------------------------------------------------


def _h1(html: str) -> str:
    match = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert match, "page has no <h1>"
    return match.group(1).strip()


def _lang(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match, "page has no <html lang>"
    return match.group(1)


def _footer_csrf(html: str) -> str:
    form = re.search(r'<form method="post" action="/language".*?</form>', html, re.S)
    assert form, "no language form in the footer"
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.group(0))
    assert token, "no CSRF token in the language form"
    return token.group(1)


def test_anonymous_visitor_sees_dutch_by_default(client, dutch):
    html = client.get("/login").get_data(as_text=True)
    assert _lang(html) == "nl"
    assert _h1(html) == nl(dutch, "Log in")
    assert nl(dutch, "Forgot your password?") in html
    assert 'href="/hulp"' in html  # where to get help now: every page's footer


def test_anonymous_visitor_can_switch_to_english(client, dutch):
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/language", data={
        "csrf_token": _footer_csrf(page), "locale": "en", "next": "/login"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")

    html = client.get("/login").get_data(as_text=True)
    assert _lang(html) == "en"
    assert _h1(html) == "Log in"
    assert nl(dutch, "Forgot your password?") not in html

    # And back again.
    client.post("/language", data={"csrf_token": _footer_csrf(html), "locale": "nl", "next": "/login"})
    assert _h1(client.get("/login").get_data(as_text=True)) == nl(dutch, "Log in")


def test_language_switch_needs_a_csrf_token(client, dutch):
    client.post("/language", data={"locale": "en", "next": "/login"})
    assert _lang(client.get("/login").get_data(as_text=True)) == "nl"


def test_logged_in_user_chooses_english_on_the_account_page(app, client, world, dutch):
    person = world.user()  # created with locale "nl"
    login(client, person)
    html = client.get("/account").get_data(as_text=True)
    assert _lang(html) == "nl"
    assert f"<h2>{nl(dutch, 'Language')}</h2>" in html
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    response = client.post("/account", data={"csrf_token": token, "locale": "en"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, person.user_id).locale == "en"

    # The account's language wins over a Dutch language cookie.
    client.set_cookie("kring_lang", "nl")
    html = client.get("/account", follow_redirects=True).get_data(as_text=True)
    assert _lang(html) == "en"
    assert "<h2>Language</h2>" in html
    assert "Your language has been saved." in html
    assert "Log out" in html and nl(dutch, "Log out") not in html


def test_dates_show_in_dutch_format_and_amsterdam_time(app, client, world):
    slug, lead = world.space()
    thread_id = world.thread(slug, lead, title="Zomer", body="Een bericht in de zomer")
    summer = datetime(2026, 7, 1, 10, 0, tzinfo=timezone.utc)  # 12:00 in Amsterdam (CEST)
    with app.app_context():
        db.session.execute(update(Post).where(Post.thread_id == thread_id).values(created_at=summer))
        db.session.commit()

    login(client, lead)
    html = client.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)
    shown = format_datetime(summer, MOMENT, tzinfo="Europe/Amsterdam", locale="nl")
    assert re.fullmatch(r"1 jul\.? 2026, 12:00", shown)
    assert re.search(r"<time datetime=\"[^\"]+\">" + re.escape(shown) + "</time>", html), html

    with app.app_context():
        db.session.get(User, lead.user_id).locale = "en"
        db.session.commit()
    html = client.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)
    english = format_datetime(summer, MOMENT, tzinfo="Europe/Amsterdam", locale="en")
    assert "12:00" in english and english in html
    assert shown not in html
