"""The thread page and the space home, byte for byte, per role and locale: each render is
compared with a snapshot taken before the speed work on the thread page (issue 12), so a
faster path that changes what anyone sees fails here. Only what differs per request or per
run is normalised: CSP nonces, CSRF tokens and clock times.

Snapshots live in tests/snapshots/pages/; `KRING_UPDATE_SNAPSHOTS=1` rewrites them (only for
a change that is meant to change the pages; review the diff)."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from app.extensions import db
from tests.conftest import World, login
from tests import uploadfiles as files

SNAPSHOTS = Path(__file__).parent / "snapshots" / "pages"

_NORMALISE = [
    (re.compile(r'nonce="[^"]*"'), 'nonce="N"'),
    (re.compile(r'name="csrf_token"([^>]*)value="[^"]*"'), r'name="csrf_token"\1value="T"'),
    (re.compile(r'<meta name="csrf-token" content="[^"]*"'), '<meta name="csrf-token" content="T"'),
    (re.compile(r'datetime="[^"]*"'), 'datetime="D"'),
    (re.compile(r'<time([^>]*)>[^<]*</time>'), r'<time\1>D</time>'),
    # Dates and times in running text (the home's "latest activity", a meeting's day).
    (re.compile(r'\b\d{1,2}:\d{2}\b'), 'HH:MM'),
    (re.compile(r'\b\d{1,2} [a-z]{3,9}\.? \d{4}\b', re.I), 'DAY'),
    # Static files are linked with a digest of their content: a style change is not a page change.
    (re.compile(r'(/static/[^"?]+)\?v=[0-9a-f]+'), r'\1'),
]


def normalise(html: str) -> str:
    for pattern, replacement in _NORMALISE:
        html = pattern.sub(replacement, html)
    return html


def _build(app) -> dict:
    """One space with every kind of post the thread page draws differently."""
    from app.forum import seeding, service as forum, statements
    from app.forum.models import Post, Thread
    from app.moderation import outcomes

    world = World(app)
    slug, lead = world.space("snap")
    people = {
        "facilitator": lead,
        "cofacilitator": world.member(slug, lead, role="cofacilitator", name="Cora"),
        "moderator": world.member(slug, lead, role="moderator", name="Mo"),
        "member": world.member(slug, lead, name="Sanne"),
        "other": world.member(slug, lead, name="Joris"),
    }
    en_user = world.user("engels@example.org", locale="en")
    people["member_en"] = world.accept(world.invite_token(slug, lead, email="engels@example.org"),
                                       display_name="Emma", email_user=en_user)
    thread_id = world.thread(slug, people["member"], title="Over de post", body="Eerste **vet**")
    world.reply(slug, thread_id, people["other"], "Een antwoord van Joris")
    world.reply(slug, thread_id, people["member"], "Mijn tweede, straks bewerkt")
    world.reply(slug, thread_id, people["other"], "Straks verborgen")
    world.reply(slug, thread_id, people["cofacilitator"], "> Eerste\n\nEen citaat",
                quote=world.first_post_id(thread_id))
    with world.ctx():
        def actor(key):
            return world.actor(people[key].user_id)

        thread = db.session.get(Thread, thread_id)
        forum.reply(actor("moderator"), thread, body="Met bijlagen",
                    files=[files.storage_of(files.png(), "foto.png"),
                           files.storage_of(files.pdf(), "brief.pdf")])
        posts = {p.number: p for p in db.session.scalars(
            db.select(Post).where(Post.thread_id == thread_id))}
        forum.edit_post(actor("member"), posts[3], body="Mijn tweede, nu bewerkt")
        outcomes.hide_post(actor("moderator"), posts[4], reason="Te persoonlijk")
        forum.set_reaction(actor("member"), posts[1], kind="support", on=True)
        forum.set_reaction(actor("other"), posts[1], kind="support", on=True)
        forum.set_reaction(actor("other"), posts[2], kind="thanks", on=True)
        statement = seeding.start_thread(actor("facilitator"), world.space_obj(slug),
                                         kind="statement", title="Stelling", body="Wat vind jij?",
                                         labels=["Eens", "Oneens", "Weet ik niet"])
        statement_id = statement.id
        statements.take_position(actor("other"), db.session.get(Thread, statement_id), position=1)
    return {"slug": slug, "thread": thread_id, "statement": statement_id, "people": people,
            "operator": world.operator}


@pytest.fixture
def snapshot_world(sqlite_app):
    return sqlite_app, _build(sqlite_app)


def _pages(built: dict) -> dict[str, str]:
    slug = built["slug"]
    return {"thread": f"/s/{slug}/t/{built['thread']}?page=1",
            "statement": f"/s/{slug}/t/{built['statement']}?page=1",
            "home": f"/s/{slug}/"}


VIEWERS = ["facilitator", "cofacilitator", "moderator", "member", "other", "member_en",
           "operator"]


def _render_all(app, built: dict) -> dict[str, str]:
    rendered = {}
    for viewer in VIEWERS:
        person = built["operator"] if viewer == "operator" else built["people"][viewer]
        client = app.test_client()
        login(client, person)
        for page, path in _pages(built).items():
            # Twice: the first visit moves the read position (and may fill caches); the second
            # is the page a returning reader sees.
            client.get(path)
            response = client.get(path)
            rendered[f"{viewer}-{page}"] = (f"{response.status_code}\n"
                                            + normalise(response.get_data(as_text=True)))
    return rendered


def test_thread_page_and_space_home_are_unchanged_for_every_role(snapshot_world):
    app, built = snapshot_world
    rendered = _render_all(app, built)
    update = os.environ.get("KRING_UPDATE_SNAPSHOTS") == "1"
    SNAPSHOTS.mkdir(parents=True, exist_ok=True)
    missing, different = [], []
    for name, html in rendered.items():
        path = SNAPSHOTS / f"{name}.html"
        if update:
            path.write_bytes(html.encode())
        elif not path.exists():
            missing.append(name)
        elif path.read_bytes() != html.encode():
            (SNAPSHOTS.parent / f"{name}.actual.html").write_bytes(html.encode())
            different.append(name)
    assert not missing, f"no snapshot for {missing}: run with KRING_UPDATE_SNAPSHOTS=1"
    assert not different, (f"pages changed: {different} (the new renders are beside the "
                           f"snapshots as *.actual.html; diff them)")
