"""The facilitators' private notes per member (issue 10, item 10): the space's facilitators
only; every read and write recorded, append-only and without the text; deleted when the
membership ends, whichever way it ends (one function), unless downloaded first."""
from __future__ import annotations

import ast
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from app.extensions import db
from app.notes import service as notes
from app.notes.models import MemberNote, NoteAccess
from app.spaces import members
from app.spaces.models import Membership
from tests.conftest import QueryCounter, csrf_token, login

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def group(world):
    slug, lead = world.space()
    people = {"lead": lead,
              "lead2": world.member(slug, lead, role="facilitator", name="Tweede Begeleider"),
              "co": world.member(slug, lead, role="cofacilitator", name="Co Begeleider"),
              "mod": world.member(slug, lead, role="moderator", name="Moderator Mo"),
              "anna": world.member(slug, lead, name="Anna"),
              "bram": world.member(slug, lead, name="Bram")}
    return slug, people


def notes_url(slug, person) -> str:
    return f"/s/{slug}/members/{person.membership_id}/notes"


def write(world, slug, by, about, body) -> int:
    with world.ctx():
        return notes.add_note(world.actor(by.user_id),
                              db.session.get(Membership, about.membership_id), body=body).id


def record(app, subject) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            select(NoteAccess.kind, NoteAccess.actor_id, NoteAccess.note_count)
            .where(NoteAccess.subject_id == subject.membership_id)
            .order_by(NoteAccess.id)).all()


def note_bodies(app, subject) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(MemberNote.body).where(
            MemberNote.membership_id == subject.membership_id).order_by(MemberNote.id)))


# --- keeping notes --------------------------------------------------------------------------

def test_facilitator_writes_and_reads_notes_and_each_access_is_recorded(app, client, group):
    slug, p = group
    login(client, p["lead"])
    response = client.post(notes_url(slug, p["anna"]), data={
        "csrf_token": csrf_token(client, "/"), "body": "Anna gaf aan dat het thuis zwaar is."})
    assert response.status_code == 302
    page = client.get(notes_url(slug, p["anna"])).get_data(as_text=True)
    assert "Anna gaf aan dat het thuis zwaar is." in page
    login(client, p["lead2"])  # every facilitator of the space sees them
    assert "Anna gaf aan" in client.get(notes_url(slug, p["anna"])).get_data(as_text=True)

    assert record(app, p["anna"]) == [("write", p["lead"].membership_id, 1),
                                      ("read", p["lead"].membership_id, 1),
                                      ("read", p["lead2"].membership_id, 1)]
    # The record carries who, when and which member: never what the note says.
    with app.app_context():
        for row in db.session.execute(select(NoteAccess.__table__)).all():
            assert not any("zwaar" in str(value) for value in row)


def test_members_page_links_to_notes_for_facilitators_only(app, client, group):
    slug, p = group
    login(client, p["lead"])
    assert notes_url(slug, p["anna"]) in client.get(f"/s/{slug}/members").get_data(as_text=True)
    for who in ("co", "mod", "anna"):
        login(client, p[who])
        assert "/notes" not in client.get(f"/s/{slug}/members").get_data(as_text=True), who


@pytest.mark.parametrize("who", ["anna", "bram", "mod", "co"])
def test_nobody_but_a_facilitator_reads_or_writes_notes(app, client, world, group, who):
    slug, p = group
    note_id = write(world, slug, p["lead"], p["anna"], "Alleen voor begeleiders")
    before = record(app, p["anna"])
    login(client, p[who])
    token = csrf_token(client, "/")
    page = client.get(notes_url(slug, p["anna"]))
    assert page.status_code == 403
    assert "Alleen voor begeleiders" not in page.get_data(as_text=True)
    assert client.post(notes_url(slug, p["anna"]), data={
        "csrf_token": token, "body": "Ik schrijf mee"}).status_code == 403
    assert client.post(f"{notes_url(slug, p['anna'])}/{note_id}/remove",
                       data={"csrf_token": token}).status_code == 403
    assert client.post(f"{notes_url(slug, p['anna'])}/export",
                       data={"csrf_token": token}).status_code == 403
    assert note_bodies(app, p["anna"]) == ["Alleen voor begeleiders"]
    assert record(app, p["anna"]) == before  # a refusal reads nothing, so records nothing


def test_member_cannot_read_notes_about_themselves(app, client, world, group):
    slug, p = group
    write(world, slug, p["lead"], p["anna"], "Over Anna")
    login(client, p["anna"])
    assert client.get(notes_url(slug, p["anna"])).status_code == 403


def test_facilitator_keeps_no_notes_about_themselves(app, client, group):
    slug, p = group
    login(client, p["lead"])
    assert client.get(notes_url(slug, p["lead"])).status_code == 403


def test_notes_of_another_space_or_an_unknown_member_are_not_found(app, client, world, group):
    slug, p = group
    write(world, slug, p["lead"], p["anna"], "Geheim")
    other_slug, other_lead = world.space()
    login(client, other_lead)
    token = csrf_token(client, "/")
    for path in (notes_url(other_slug, p["anna"]), notes_url(slug, p["anna"]),
                 f"/s/{other_slug}/members/99999/notes"):
        assert client.get(path).status_code == 404, path
    assert client.post(notes_url(other_slug, p["anna"]), data={
        "csrf_token": token, "body": "Van buiten"}).status_code == 404
    assert client.post(f"{notes_url(other_slug, p['anna'])}/export",
                       data={"csrf_token": token}).status_code == 404
    # A note id of one member under another member's address is not found either.
    login(client, p["lead"])
    note_id = write(world, slug, p["lead"], p["anna"], "Nog een")
    assert client.post(f"{notes_url(slug, p['bram'])}/{note_id}/remove",
                       data={"csrf_token": csrf_token(client, "/")}).status_code == 404
    assert len(note_bodies(app, p["anna"])) == 2


@pytest.mark.parametrize("body, message", [
    ("", "Dit veld is verplicht."),
    ("   \n ", "Dit veld is verplicht."),
    ("x" * 2001, "Maximaal 2000 tekens (nu 2001)."),
    ("Met een\x00nul", "een teken dat niet mag"),
])
def test_bad_note_is_refused_at_the_field_with_the_text_kept(app, client, group, body, message):
    slug, p = group
    login(client, p["lead"])
    response = client.post(notes_url(slug, p["anna"]), data={
        "csrf_token": csrf_token(client, "/"), "body": body})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    if body.strip():
        assert body.replace("\x00", "")[:50] in html
    assert note_bodies(app, p["anna"]) == []


def test_hostile_note_is_shown_as_text(app, client, world, group):
    slug, p = group
    write(world, slug, p["lead"], p["anna"], "<img src=x onerror=alert(1)>")
    login(client, p["lead"])
    html = client.get(notes_url(slug, p["anna"])).get_data(as_text=True)
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_facilitator_removes_a_note_and_it_is_recorded(app, client, world, group):
    slug, p = group
    note_id = write(world, slug, p["lead"], p["anna"], "Weg ermee")
    login(client, p["lead2"])
    response = client.post(f"{notes_url(slug, p['anna'])}/{note_id}/remove",
                           data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 302
    assert note_bodies(app, p["anna"]) == []
    assert record(app, p["anna"])[-1] == ("remove", p["lead2"].membership_id, 1)


def test_after_the_rental_notes_can_be_read_and_downloaded_but_not_written(app, client, world, group):
    slug, p = group
    write(world, slug, p["lead"], p["anna"], "Van tijdens de groep")
    with world.ctx():
        space = world.space_obj(slug)
        space.rental_start, space.rental_end = date.today() - timedelta(days=60), \
            date.today() - timedelta(days=1)
        db.session.commit()
    login(client, p["lead"])
    token = csrf_token(client, "/")
    assert "Van tijdens de groep" in client.get(notes_url(slug, p["anna"])).get_data(as_text=True)
    assert client.post(f"{notes_url(slug, p['anna'])}/export",
                       data={"csrf_token": token}).status_code == 200
    assert client.post(notes_url(slug, p["anna"]), data={
        "csrf_token": token, "body": "Te laat"}).status_code == 403
    assert note_bodies(app, p["anna"]) == ["Van tijdens de groep"]


# --- the download ---------------------------------------------------------------------------

def test_facilitator_downloads_a_members_notes_and_it_is_recorded(app, client, world, group):
    slug, p = group
    write(world, slug, p["lead"], p["anna"], "Eerste notitie")
    write(world, slug, p["lead2"], p["anna"], "Tweede notitie")
    write(world, slug, p["lead"], p["bram"], "Over Bram")
    login(client, p["lead"])
    assert client.get(f"{notes_url(slug, p['anna'])}/export").status_code == 405
    response = client.post(f"{notes_url(slug, p['anna'])}/export",
                           data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    body = response.get_data(as_text=True)
    assert "Notities over Anna" in body
    assert body.index("Eerste notitie") < body.index("Tweede notitie")
    assert "Tweede Begeleider" in body and "Over Bram" not in body
    assert record(app, p["anna"])[-1] == ("export", p["lead"].membership_id, 2)


# --- the end of a membership ------------------------------------------------------------------

def _ends_by_leaving(world, slug, p):
    with world.ctx():
        members.leave_space(world.actor(p["anna"].user_id), world.space_obj(slug))


def _ends_by_removal(world, slug, p):
    with world.ctx():
        members.remove_member(world.actor(p["lead"].user_id),
                              db.session.get(Membership, p["anna"].membership_id), confirmed=True)


def _ends_by_departure(world, slug, p):
    """The departures' worker round ends memberships after their leaving day through the same
    function, set-based."""
    from app.spaces.ending import end_memberships

    with world.ctx():
        ended = end_memberships(Membership.space_id == world.space_obj(slug).id,
                                Membership.id == p["anna"].membership_id)
        db.session.commit()
    assert ended == [p["anna"].membership_id]


@pytest.mark.parametrize("end", [_ends_by_leaving, _ends_by_removal, _ends_by_departure],
                         ids=["leave", "removal", "departure"])
def test_notes_are_deleted_when_the_membership_ends(app, client, world, group, end):
    slug, p = group
    write(world, slug, p["lead"], p["anna"], "Over Anna 1")
    write(world, slug, p["lead"], p["anna"], "Over Anna 2")
    write(world, slug, p["lead"], p["bram"], "Over Bram")
    end(world, slug, p)
    assert note_bodies(app, p["anna"]) == []
    assert note_bodies(app, p["bram"]) == ["Over Bram"]  # other members' notes stay
    assert record(app, p["anna"])[-1] == ("erase", None, 2)
    login(client, p["lead"])
    assert client.get(notes_url(slug, p["anna"])).status_code == 404


def test_downloaded_notes_survive_only_in_the_download(app, client, world, group):
    slug, p = group
    write(world, slug, p["lead"], p["anna"], "Bewaar mij")
    login(client, p["lead"])
    download = client.post(f"{notes_url(slug, p['anna'])}/export",
                           data={"csrf_token": csrf_token(client, "/")}).get_data(as_text=True)
    _ends_by_removal(world, slug, p)
    assert "Bewaar mij" in download
    assert note_bodies(app, p["anna"]) == []
    assert [kind for kind, *_rest in record(app, p["anna"])] == ["write", "export", "erase"]


def test_only_end_memberships_ends_a_membership():
    """Every path that ends a membership goes through app/spaces/ending.py, so what belongs
    to the membership (the notes) goes with it: nothing else in app/ sets `ended_at` to a
    moment, neither on a row nor in an UPDATE's values. (A module that never names Membership
    cannot end one: a login session's own `ended_at` is another column.)"""
    found = set()
    for path in (ROOT / "app").rglob("*.py"):
        source = path.read_text()
        if "Membership" not in source:
            continue
        tree = ast.parse(source, filename=str(path))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                pairs = []
                if isinstance(node, ast.Assign):
                    pairs = [(t, node.value) for t in node.targets
                             if isinstance(t, ast.Attribute) and t.attr == "ended_at"]
                elif isinstance(node, ast.Call):
                    pairs = [(k, k.value) for k in node.keywords if k.arg == "ended_at"]
                    # setattr(row, "ended_at", value) and set_committed_value alike
                    pairs += [(arg, node.args[i + 1]) for i, arg in enumerate(node.args[:-1])
                              if isinstance(arg, ast.Constant) and arg.value == "ended_at"]
                for _target, value in pairs:
                    if not (isinstance(value, ast.Constant) and value.value is None):
                        found.add((path.relative_to(ROOT).as_posix(), function.name))
    assert found == {("app/spaces/ending.py", "end_memberships"),
                     ("app/spaces/ending.py", "end_membership")}


# --- the record is append-only ------------------------------------------------------------------

def test_access_record_cannot_be_changed_or_deleted(app, world, group):
    slug, p = group
    write(world, slug, p["lead"], p["anna"], "Iets")
    with world.ctx():
        for statement in ("UPDATE note_access_log SET actor_name = 'niemand'",
                          "DELETE FROM note_access_log"):
            with pytest.raises(DBAPIError):
                db.session.execute(text(statement))
                db.session.flush()
            db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(NoteAccess)) == 1


# --- statement count ------------------------------------------------------------------------

NOTES_PAGE = 7  # + the read (recorded: one INSERT), the notes, the record


def test_notes_page_takes_a_fixed_number_of_statements(app, client, world, group):
    slug, p = group
    counts = []
    for n in (2, 30):
        for i in range(n - len(note_bodies(app, p["anna"]))):
            write(world, slug, p["lead2"], p["anna"], f"Notitie {i}")
        login(client, p["lead"])
        client.get(notes_url(slug, p["anna"]))
        with app.app_context():
            engine = db.engine
        with QueryCounter(engine) as counter:
            assert client.get(notes_url(slug, p["anna"])).status_code == 200
        counts.append(counter.count)
    assert counts == [NOTES_PAGE, NOTES_PAGE]
