"""No leaks between spaces: an id from another space is a 404 and changes nothing; a space you
are not in answers exactly like a space that does not exist; the platform operator rents
spaces out but never sees who is in them or what they write."""
from __future__ import annotations

import re

import time
from dataclasses import dataclass

import itsdangerous.timed
import pytest
from sqlalchemy import select

from app.extensions import db
from app.spaces import agreements, members
from app.spaces.models import Invitation, Membership
from tests.conftest import Person, csrf_token, login

MISSING_SLUG = "bestaat-niet"


@dataclass
class Two:
    """Space A (where the actor is) and space B (where they are not), with ids in each."""
    a: str
    b: str
    lead_a: Person
    lead_b: Person
    member_a: Person
    member_b: Person
    thread_a: int
    thread_b: int
    post_a: int  # written by the facilitator of A
    post_b: int  # written by a member of B
    invitation_a: int
    invitation_b: int
    # Moderation: in A, a member's post the lead flagged (its case held by the lead), a member's
    # post nobody flagged, and a post of the lead's own that is hidden; in B, a flagged post.
    flagged_a: int = 0
    unflagged_a: int = 0
    hidden_a: int = 0
    case_a: int = 0
    case_b: int = 0
    # Evaluation and notes: a questionnaire sent to each group, a note about each member.
    questionnaire_a: int = 0
    questionnaire_b: int = 0


def _invitation_id(world, email: str) -> int:
    with world.ctx():
        return db.session.scalar(select(Invitation.id).where(Invitation.email == email))


def build_two(world) -> Two:
    a, lead_a = world.space("ruimte-a")
    b, lead_b = world.space("ruimte-b")
    member_a = world.member(a, lead_a, name="Lid van A")
    member_b = world.member(b, lead_b, name="Lid van B")
    thread_a = world.thread(a, lead_a, title="Gesprek in A", body="Begin in A")
    thread_b = world.thread(b, lead_b, title="Gesprek in B", body="Begin in B")
    post_a = world.first_post_id(thread_a)
    post_b = world.reply(b, thread_b, member_b, "Antwoord in B")
    world.invite_token(a, lead_a, email="open-a@example.org")
    world.invite_token(b, lead_b, email="open-b@example.org")
    two = Two(a=a, b=b, lead_a=lead_a, lead_b=lead_b, member_a=member_a, member_b=member_b,
              thread_a=thread_a, thread_b=thread_b, post_a=post_a, post_b=post_b,
              invitation_a=_invitation_id(world, "open-a@example.org"),
              invitation_b=_invitation_id(world, "open-b@example.org"))
    _moderation(world, two)
    _care(world, two)
    return two


def _care(world, two: Two) -> None:
    from app.evaluation import service as evaluation
    from app.notes import service as notes

    for side in ("a", "b"):
        slug, lead = getattr(two, side), getattr(two, f"lead_{side}")
        member = getattr(two, f"member_{side}")
        with world.ctx():
            actor = world.actor(lead.user_id)
            setattr(two, f"questionnaire_{side}", evaluation.send_questionnaire(
                actor, world.space_obj(slug), title=f"Vragenlijst in {side.upper()}", intro="",
                open_questions="Hoe ging het?", scale_questions="", to=0).id)
            notes.add_note(actor, db.session.get(Membership, member.membership_id),
                           body=f"Notitie in {side.upper()}")


def _moderation(world, two: Two) -> None:
    from app.database import utcnow
    from app.forum.models import Post
    from app.moderation import cases, flags
    from app.moderation.models import ModerationCase

    two.flagged_a = world.reply(two.a, two.thread_a, two.member_a, "Gemeld in A")
    two.unflagged_a = world.reply(two.a, two.thread_a, two.member_a, "Niet gemeld in A")
    two.hidden_a = world.reply(two.a, two.thread_a, two.lead_a, "Verborgen in A")
    with world.ctx():
        lead_a, lead_b = world.actor(two.lead_a.user_id), world.actor(two.lead_b.user_id)
        two.case_a = flags.flag_post(lead_a, db.session.get(Post, two.flagged_a),
                                     reason="hurtful").case_id
        cases.claim_case(lead_a, db.session.get(ModerationCase, two.case_a))
        two.case_b = flags.flag_post(lead_b, db.session.get(Post, two.post_b),
                                     reason="concern").case_id
        hidden = db.session.get(Post, two.hidden_a)
        hidden.hidden_at, hidden.hidden_source, hidden.hidden_reason = utcnow(), "direct", "Test"
        db.session.commit()


def db_snapshot() -> dict:
    """Every row of every table, to show that a refused request changed nothing at all."""
    return {table.name: db.session.execute(
                select(table).order_by(*table.primary_key.columns)).all()
            for table in db.metadata.sorted_tables}


@pytest.fixture
def frozen_csrf_time(monkeypatch):
    """The CSRF token in every page's logout form carries a timestamp; freeze it so two pages
    can be compared byte for byte."""
    now = int(time.time())
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: now)


# --- ids from space B inside space A's URLs -------------------------------------------------

# (name, method, path with {slug} and the ids of the space the path should take them from,
#  form data). `ids(two, "b")` gives B's ids; `ids(two, "a")` gives A's own ids.
ID_URLS = [
    ("view_thread", "GET", "/s/{slug}/t/{thread}", {}),
    ("view_thread_page", "GET", "/s/{slug}/t/{thread}?page=1", {}),
    ("reply", "POST", "/s/{slug}/t/{thread}/reply", {"body": "Binnengedrongen antwoord"}),
    ("pin", "POST", "/s/{slug}/t/{thread}/pin", {"on": "1"}),
    ("lock", "POST", "/s/{slug}/t/{thread}/lock", {"on": "1"}),
    ("edit_title_form", "GET", "/s/{slug}/t/{thread}/title", {}),
    ("edit_title", "POST", "/s/{slug}/t/{thread}/title", {"title": "Overgenomen titel"}),
    ("edit_post_form", "GET", "/s/{slug}/p/{post}/edit", {}),
    ("edit_post", "POST", "/s/{slug}/p/{post}/edit", {"body": "Overschreven"}),
    ("delete_post", "POST", "/s/{slug}/p/{post}/delete", {"on": "1"}),
    ("react", "POST", "/s/{slug}/p/{post}/react", {"choice": "thanks:1"}),
    ("change_role", "POST", "/s/{slug}/members/{membership}/role", {"role": "facilitator"}),
    ("suspend", "POST", "/s/{slug}/members/{membership}/suspend", {"until": ""}),
    ("unsuspend", "POST", "/s/{slug}/members/{membership}/unsuspend", {}),
    ("remove", "POST", "/s/{slug}/members/{membership}/remove", {"confirm": "1"}),
    ("revoke_invitation", "POST", "/s/{slug}/invite/{invitation}/revoke", {}),
    ("flag_form", "GET", "/s/{slug}/p/{fpost}/flag", {}),
    ("flag", "POST", "/s/{slug}/p/{fpost}/flag", {"reason": "spam"}),
    ("withdraw_flag", "POST", "/s/{slug}/p/{wpost}/flag/withdraw", {}),
    ("ask_review", "POST", "/s/{slug}/p/{hpost}/review", {}),
    ("open_case", "GET", "/s/{slug}/moderation/{case}", {}),
    ("claim", "POST", "/s/{slug}/moderation/{case}/claim", {}),
    ("take_over", "POST", "/s/{slug}/moderation/{case}/take-over", {"holder": ""}),
    ("release", "POST", "/s/{slug}/moderation/{case}/release", {}),
    ("resolve", "POST", "/s/{slug}/moderation/{case}/resolve", {"outcomes": "none"}),
    ("member_notes", "GET", "/s/{slug}/members/{membership}/notes", {}),
    ("write_note", "POST", "/s/{slug}/members/{membership}/notes", {"body": "Binnengedrongen"}),
    ("export_notes", "POST", "/s/{slug}/members/{membership}/notes/export", {}),
    ("evaluation_results", "GET", "/s/{slug}/evaluations/{questionnaire}/results", {}),
    ("evaluation_csv", "GET", "/s/{slug}/evaluations/{questionnaire}/results.csv", {}),
]


def _ids(two: Two, side: str) -> dict:
    if side == "b":
        return {"thread": two.thread_b, "post": two.post_b,
                "membership": two.member_b.membership_id, "invitation": two.invitation_b,
                "fpost": two.post_b, "wpost": two.post_b, "hpost": two.post_b,
                "case": two.case_b, "questionnaire": two.questionnaire_b}
    return {"thread": two.thread_a, "post": two.post_a,
            "membership": two.member_a.membership_id, "invitation": two.invitation_a,
            "fpost": two.unflagged_a, "wpost": two.flagged_a, "hpost": two.hidden_a,
            "case": two.case_a, "questionnaire": two.questionnaire_a}


@pytest.mark.parametrize("name, method, path, data",
                         [pytest.param(*url, id=url[0]) for url in ID_URLS])
@pytest.mark.parametrize("who", ["member", "facilitator"])
def test_id_from_other_space_is_not_found_and_changes_nothing(app, client, world, who, name,
                                                              method, path, data):
    two = build_two(world)
    if name == "unsuspend":
        with world.ctx():  # give unsuspend something it could undo in B
            members.suspend_member(world.actor(two.lead_b.user_id),
                                   db.session.get(Membership, two.member_b.membership_id),
                                   until=None)
    actor = two.lead_a if who == "facilitator" else two.member_a
    login(client, actor)
    form = {"csrf_token": csrf_token(client, "/"), **data} if method == "POST" else None
    with world.ctx():
        before = db_snapshot()

    response = client.open(path.format(slug=two.a, **_ids(two, "b")), method=method, data=form)

    assert response.status_code == 404
    with world.ctx():
        assert db_snapshot() == before
    body = response.get_data(as_text=True)
    for leaked in ("Gesprek in B", "Begin in B", "Antwoord in B", "Lid van B", "Begeleider ruimte-b",
                   "Vragenlijst in B", "Notitie in B"):
        assert leaked not in body

    if who == "facilitator":
        # The same URL with A's own id works, so the 404 above came from the space check.
        own = client.open(path.format(slug=two.a, **_ids(two, "a")), method=method, data=form)
        assert own.status_code in (200, 302), f"{name} with A's own id: {own.status_code}"


# --- a space you are not in looks exactly like one that does not exist ----------------------

def _space_urls(two: Two, slug: str) -> list[tuple[str, str, dict]]:
    """Every page and form under /s/<slug>/, with B's ids (they are B's whatever the slug)."""
    ids = _ids(two, "b")
    m = ids["membership"]
    return [
        ("GET", f"/s/{slug}/", {}),
        ("GET", f"/s/{slug}/?page=2", {}),
        ("GET", f"/s/{slug}/search", {}),
        ("GET", f"/s/{slug}/search?q=gesprek", {}),
        ("GET", f"/s/{slug}/t/new", {}),
        ("GET", f"/s/{slug}/t/new?kind=announcement", {}),
        ("GET", f"/s/{slug}/t/{ids['thread']}", {}),
        ("GET", f"/s/{slug}/t/{ids['thread']}?page=1", {}),
        ("GET", f"/s/{slug}/t/{ids['thread']}/title", {}),
        ("GET", f"/s/{slug}/p/{ids['post']}/edit", {}),
        ("GET", f"/s/{slug}/members", {}),
        ("GET", f"/s/{slug}/invite", {}),
        ("GET", f"/s/{slug}/agreement", {}),
        ("GET", f"/s/{slug}/settings", {}),
        ("GET", f"/s/{slug}/leave", {}),
        ("GET", f"/s/{slug}/p/{ids['post']}/flag", {}),
        ("GET", f"/s/{slug}/moderation", {}),
        ("GET", f"/s/{slug}/moderation/{ids['case']}", {}),
        ("GET", f"/s/{slug}/moderation/log", {}),
        ("GET", f"/s/{slug}/moderation/log.csv", {}),
        ("GET", f"/s/{slug}/notices", {}),
        ("GET", f"/s/{slug}/members/{m}/notes", {}),
        ("GET", f"/s/{slug}/evaluations", {}),
        ("GET", f"/s/{slug}/evaluations/new", {}),
        ("GET", f"/s/{slug}/evaluations/{ids['questionnaire']}", {}),
        ("GET", f"/s/{slug}/evaluations/{ids['questionnaire']}/results", {}),
        ("GET", f"/s/{slug}/evaluations/{ids['questionnaire']}/results.csv", {}),
        ("POST", f"/s/{slug}/t/new", {"kind": "discussion", "title": "Ingebroken", "body": "x"}),
        ("POST", f"/s/{slug}/t/{ids['thread']}/reply", {"body": "Ingebroken antwoord"}),
        ("POST", f"/s/{slug}/t/{ids['thread']}/pin", {"on": "1"}),
        ("POST", f"/s/{slug}/t/{ids['thread']}/lock", {"on": "1"}),
        ("POST", f"/s/{slug}/t/{ids['thread']}/title", {"title": "Overgenomen titel"}),
        ("POST", f"/s/{slug}/p/{ids['post']}/edit", {"body": "Overschreven"}),
        ("POST", f"/s/{slug}/p/{ids['post']}/delete", {"on": "1"}),
        ("POST", f"/s/{slug}/p/{ids['post']}/react", {"choice": "thanks:1"}),
        ("POST", f"/s/{slug}/members/{m}/role", {"role": "facilitator"}),
        ("POST", f"/s/{slug}/members/{m}/suspend", {"until": ""}),
        ("POST", f"/s/{slug}/members/{m}/unsuspend", {}),
        ("POST", f"/s/{slug}/members/{m}/remove", {}),
        ("POST", f"/s/{slug}/members/me/name", {"display_name": "Indringer"}),
        ("POST", f"/s/{slug}/invite", {"email": "indringer@example.org", "role": "facilitator"}),
        ("POST", f"/s/{slug}/invite/{ids['invitation']}/revoke", {}),
        ("POST", f"/s/{slug}/agreement", {"accept": "y"}),
        ("POST", f"/s/{slug}/agreement/edit", {"body": "Andere afspraken"}),
        ("POST", f"/s/{slug}/settings", {"name": "Overgenomen", "theme": "", "description": "",
                                         "members_can_start_threads": "y"}),
        ("POST", f"/s/{slug}/leave", {}),
        ("POST", f"/s/{slug}/p/{ids['post']}/flag", {"reason": "spam"}),
        ("POST", f"/s/{slug}/p/{ids['post']}/flag/withdraw", {}),
        ("POST", f"/s/{slug}/p/{ids['post']}/review", {}),
        ("POST", f"/s/{slug}/moderation/{ids['case']}/claim", {}),
        ("POST", f"/s/{slug}/moderation/{ids['case']}/take-over", {"holder": ""}),
        ("POST", f"/s/{slug}/moderation/{ids['case']}/release", {}),
        ("POST", f"/s/{slug}/moderation/{ids['case']}/resolve", {"outcomes": "none"}),
        ("POST", f"/s/{slug}/members/{m}/notes", {"body": "Ingebroken notitie"}),
        ("POST", f"/s/{slug}/members/{m}/notes/export", {}),
        ("POST", f"/s/{slug}/evaluations/new", {"title": "Ingebroken", "to": "0",
                                                "open_questions": "Vraag?"}),
        ("POST", f"/s/{slug}/evaluations/{ids['questionnaire']}", {}),
    ]


def _without_nonce(body: bytes) -> bytes:
    """Every response carries its own CSP nonce; everything else must be the same."""
    return re.sub(rb'nonce="[^"]*"', b"", body)


def _assert_space_is_invisible(world, client, two: Two, slug: str) -> None:
    """Every URL under /s/<slug>/ answers 404 with the very page a missing space gets, and no
    request changes anything."""
    token = csrf_token(client, "/")
    with world.ctx():
        before = db_snapshot()
    existing = _space_urls(two, slug)
    missing = _space_urls(two, MISSING_SLUG)
    problems = []
    for (method, path, data), (_m, missing_path, _d) in zip(existing, missing):
        form = {"csrf_token": token, **data} if method == "POST" else None
        response = client.open(path, method=method, data=form)
        control = client.open(missing_path, method=method, data=form)
        if response.status_code != 404:
            problems.append(f"{method} {path}: {response.status_code}")
        elif _without_nonce(response.get_data()) != _without_nonce(control.get_data()):
            problems.append(f"{method} {path}: the 404 differs from {missing_path}'s")
        assert control.status_code == 404, missing_path
    assert not problems, "\n".join(problems)
    with world.ctx():
        assert db_snapshot() == before


@pytest.mark.parametrize("who", ["outsider", "facilitator_elsewhere"])
def test_nonmember_gets_the_same_404_as_for_a_missing_space(app, client, world,
                                                           frozen_csrf_time, who):
    two = build_two(world)
    login(client, world.user() if who == "outsider" else two.lead_a)
    _assert_space_is_invisible(world, client, two, two.b)


def test_removed_member_gets_the_same_404_as_for_a_missing_space(app, client, world,
                                                                frozen_csrf_time):
    two = build_two(world)
    with world.ctx():
        members.remove_member(world.actor(two.lead_b.user_id),
                              db.session.get(Membership, two.member_b.membership_id), confirmed=True)
    login(client, two.member_b)
    _assert_space_is_invisible(world, client, two, two.b)


def test_missing_space_404_page_is_the_control(app, client, world):
    """The comparison above is meaningful: the member of B does get B's pages."""
    two = build_two(world)
    login(client, two.member_b)
    assert client.get(f"/s/{two.b}/").status_code == 200
    assert client.get(f"/s/{two.b}/t/{two.thread_b}?page=1").status_code == 200
    assert client.get(f"/s/{MISSING_SLUG}/").status_code == 404


# --- the platform operator ------------------------------------------------------------------

MARKERS = {
    "display name": "Zonnebloem Qwxy",
    "other display name": "Klaproos Vbnz",
    "member email": "geheim-lid-7k2@example.org",
    "thread title": "Titel Mnbv Geheim",
    "post text": "Bericht Plok Vertrouwelijk",
    "reply text": "Antwoord Zxcq Vertrouwelijk",
    "agreement text": "Afspraak Hjkl Eigen",
    "invitee email": "genodigde-9p4@example.org",
    "facilitator invitee email": "nieuwe-leider-3x8@example.org",
}


def test_operator_sees_no_names_or_content_on_admin_pages(app, client, world):
    a, lead_a = world.space("verhuurd-a")
    b, lead_b = world.space("verhuurd-b")
    operator = world.user(operator=True)
    member = world.accept(world.invite_token(a, lead_a, email=MARKERS["member email"]),
                          display_name=MARKERS["display name"])
    world.member(b, lead_b, name=MARKERS["other display name"])
    thread = world.thread(a, member, title=MARKERS["thread title"], body=MARKERS["post text"])
    world.reply(a, thread, lead_a, MARKERS["reply text"])
    world.invite_token(b, lead_b, email=MARKERS["invitee email"])
    # A facilitator's own invitation of another facilitator is the group's business.
    world.invite_token(a, lead_a, email=MARKERS["facilitator invitee email"], role="facilitator")
    with world.ctx():
        agreements.update_agreement(world.actor(lead_a.user_id), world.space_obj(a),
                                    body=f"- {MARKERS['agreement text']}")
    login(client, operator)
    token = csrf_token(client, "/admin/spaces")

    def refused(path: str, **data):
        return client.post(path, data={"csrf_token": token, **data})

    pages = {
        "/admin/": client.get("/admin/", follow_redirects=True),
        "/admin/spaces": client.get("/admin/spaces"),
        f"/admin/spaces/{a}": client.get(f"/admin/spaces/{a}"),
        f"/admin/spaces/{b}": client.get(f"/admin/spaces/{b}"),
        # The rental pages re-rendered with a refused form show no more than the page.
        f"edit {a}": refused(f"/admin/spaces/{a}", name="A", renter="R", seat_limit="2",
                             rental_start="2030-01-01", rental_end="2026-01-01"),
        f"extend {a}": refused(f"/admin/spaces/{a}/extend", **{"extend-rental_end": "2000-01-01"}),
        f"end {a}": refused(f"/admin/spaces/{a}/end"),
        f"first facilitator {a}": refused(f"/admin/spaces/{a}/first-facilitator",
                                          **{"first-email": "geen-adres"}),
    }
    for path, response in pages.items():
        assert response.status_code == (400 if " " in path else 200), path
        body = response.get_data(as_text=True)
        for what, marker in MARKERS.items():
            assert marker not in body, f"{path} shows the {what}"
    # The pages do show the rental data, so they were the real pages.
    assert f"/s/{a}/" in pages[f"/admin/spaces/{a}"].get_data(as_text=True)
    assert "2 / 50" in pages[f"/admin/spaces/{a}"].get_data(as_text=True)
    assert f"/admin/spaces/{b}" in pages["/admin/spaces"].get_data(as_text=True)


def test_operator_gets_404_inside_every_space(app, client, world, frozen_csrf_time):
    two = build_two(world)
    login(client, world.user(operator=True))
    _assert_space_is_invisible(world, client, two, two.a)
    _assert_space_is_invisible(world, client, two, two.b)
