"""Who is who: the role in the group shows as text next to every name on posts and thread
rows (without a statement per row), the members page explains each role, and display names
that only look different (case, spaces, accents, look-alike letters) are refused, by the
database too when two people claim them at the same moment."""
from __future__ import annotations

import re
import threading
import time

import pytest
from markupsafe import escape
from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.forum import service as forum
from app.forum.models import Thread
from app.spaces import members
from app.spaces.labels import ROLE_EXPLANATIONS, ROLE_LABELS
from app.spaces.models import Membership
from app.spaces.names import name_key
from tests.conftest import PASSWORD, QueryCounter, csrf_token, login

# Pinned statement counts (SQLite and PostgreSQL alike): the space home and a re-read thread
# page, whatever the number of rows and the roles of their authors.
HOME_STATEMENTS = 8  # the space comes with the reader's memberships; + the unread count of every tab (app/forum/tabs.py), the next meeting
THREAD_STATEMENTS = 7  # + the attachments of the page's posts (app/uploads/queries.py); the thread with the read position

LOOK_ALIKES = [
    "marieke", "MARIEKE", "Marieke ", " Marieke", "Mariëke", "Märíeke", "Mar ieke",
    "M a r i e k e", "Mar-ieke", "Mar.ieke", "Mar\u200bieke",
    "\u041carieke",  # Cyrillic capital Em
    "M\u0430rieke",  # Cyrillic small a
    "Mar\u0456eke",  # Cyrillic small Byelorussian-Ukrainian i
    "MarIeke",  # capital i for the small i
    "Mar1eke", "Mar|eke", "Marleke",
    "\uff2darieke",  # fullwidth M
    "Rnarieke",  # r + n for m
]


def _tr(app, msgid: str, **values) -> str:
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale("nl"):
        return str(escape(gettext(msgid, **values)))


def _label(app, lazy) -> str:
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("nl"):
        return str(escape(str(lazy)))


TAKEN = "Someone in this group already uses this name or one that looks just like it. Choose another."


# --- the key ----------------------------------------------------------------------------------

@pytest.mark.parametrize("variant", LOOK_ALIKES)
def test_look_alike_names_share_the_key_of_marieke(variant):
    assert name_key(variant) == name_key("Marieke")


@pytest.mark.parametrize("one, other", [
    ("Marieke", "Mareike"), ("Marieke", "Maria"), ("Jan", "Jans"), ("Tom", "Tim"),
    ("Petra", "Peter"), ("Anna", "Anne"),
])
def test_different_names_keep_different_keys(one, other):
    assert name_key(one) != name_key(other)


def test_names_of_only_signs_are_compared_without_spaces_and_case():
    assert name_key("🙂 🙂") == name_key("🙂🙂")
    assert name_key("🙂🙂") != name_key("🌻🌻")


def test_very_long_keys_stay_within_the_column():
    assert len(name_key("\ufdfa" * 60)) <= 255


# --- refused at the field when joining or renaming -------------------------------------------

def _join(client, raw: str, name: str):
    token = csrf_token(client, "/login")
    return client.post(f"/invite/{raw}", data={"csrf_token": token, "password": PASSWORD,
                                              "display_name": name, "accept": "y"})


@pytest.mark.parametrize("variant", ["marieke", "Marieke ", "Mariëke", "Mar ieke",
                                     "\u041carieke", "MarIeke", "Mar1eke"])
def test_joining_with_a_look_alike_of_an_active_name_is_refused_at_the_field(app, client, world,
                                                                            variant):
    slug, lead = world.space()
    world.member(slug, lead, name="Marieke")
    raw = world.invite_token(slug, lead)

    response = _join(client, raw, variant)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    field_error = re.search(r'id="display_name-error">(.*?)</div>', page, re.S)
    assert field_error and _tr(app, TAKEN) in field_error.group(1)
    assert f'value="{escape(variant)}"' in page  # the typed name is kept
    with world.ctx():
        names = db.session.scalars(select(Membership.display_name).where(
            Membership.space_id == world.space_obj(slug).id)).all()
    assert sorted(names) == sorted([f"Begeleider {slug}", "Marieke"])


def test_the_name_of_someone_who_left_can_be_taken(app, world):
    slug, lead = world.space()
    marieke = world.member(slug, lead, name="Marieke")
    with world.ctx():
        members.leave_space(world.actor(marieke.user_id), world.space_obj(slug))
    assert world.member(slug, lead, name="mariëke").name == "mariëke"


def test_the_same_name_is_fine_in_another_group(app, world):
    a, lead_a = world.space()
    b, lead_b = world.space()
    world.member(a, lead_a, name="Marieke")
    assert world.member(b, lead_b, name="Marieke").name == "Marieke"


def _rename(client, slug: str, name: str):
    token = csrf_token(client, f"/s/{slug}/members")
    return client.post(f"/s/{slug}/members/me/name",
                       data={"csrf_token": token, "display_name": name})


def test_renaming_to_a_look_alike_of_someone_else_is_refused_at_the_field(app, client, world):
    slug, lead = world.space()
    world.member(slug, lead, name="Marieke")
    joost = world.member(slug, lead, name="Joost")
    login(client, joost)

    response = _rename(client, slug, "MARIËKE")

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert _tr(app, TAKEN) in page and 'value="MARIËKE"' in page
    with world.ctx():
        assert db.session.get(Membership, joost.membership_id).display_name == "Joost"


def test_a_member_may_rewrite_their_own_name_with_the_same_key(app, client, world):
    slug, lead = world.space()
    marieke = world.member(slug, lead, name="Marieke")
    login(client, marieke)

    response = _rename(client, slug, "MariËke")

    assert response.status_code == 302
    with world.ctx():
        assert db.session.get(Membership, marieke.membership_id).display_name == "MariËke"


# --- the database enforces it ----------------------------------------------------------------

def test_database_refuses_two_active_look_alikes_even_without_the_check(app, world):
    slug, lead = world.space()
    world.member(slug, lead, name="Marieke")
    sanne = world.member(slug, lead, name="Sanne")
    with world.ctx(), pytest.raises(IntegrityError):
        db.session.get(Membership, sanne.membership_id).display_name = "M\u0430rieke"
        db.session.commit()


def test_renaming_loses_cleanly_to_a_look_alike_committed_in_between(app, client, world):
    """The check reads before the other writer commits; the unique index decides, and the
    loser gets the same refusal at the field (PostgreSQL waits on the index entry, SQLite on
    the write lock)."""
    slug, lead = world.space()
    anna = world.member(slug, lead, name="Anna")
    bert = world.member(slug, lead, name="Bert")
    login(client, bert)
    token = csrf_token(client, f"/s/{slug}/members")
    with world.ctx():
        engine = db.engine
    results = {}

    with engine.connect() as other:
        other.begin()
        other.execute(update(Membership).where(Membership.id == anna.membership_id)
                      .values(display_name="Marieke", name_key=name_key("Marieke")))

        def rename():
            results["response"] = client.post(f"/s/{slug}/members/me/name",
                                              data={"csrf_token": token, "display_name": "marieke"})

        racer = threading.Thread(target=rename)
        racer.start()
        time.sleep(0.5)  # the rename has passed its check and waits for the write
        other.commit()
        racer.join(timeout=30)

    response = results["response"]
    assert response.status_code == 400
    assert _tr(app, TAKEN) in response.get_data(as_text=True)
    with world.ctx():
        assert db.session.get(Membership, bert.membership_id).display_name == "Bert"
        assert db.session.get(Membership, anna.membership_id).display_name == "Marieke"


def _at_once(*requests):
    """Fire prepared requests from their own threads at the same moment."""
    barrier = threading.Barrier(len(requests))
    responses = [None] * len(requests)

    def run(i, send):
        barrier.wait()
        responses[i] = send()

    threads = [threading.Thread(target=run, args=(i, send)) for i, send in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def test_two_concurrent_joins_with_look_alike_names_let_exactly_one_in(app, world):
    slug, lead = world.space()
    requests = []
    for name in ("Marieke", "mariëke"):
        raw = world.invite_token(slug, lead)
        client = app.test_client()
        token = csrf_token(client, "/login")
        data = {"csrf_token": token, "password": PASSWORD, "display_name": name, "accept": "y"}
        requests.append(lambda client=client, raw=raw, data=data:
                        client.post(f"/invite/{raw}", data=data))

    responses = _at_once(*requests)

    assert sorted(r.status_code for r in responses) == [302, 400]
    loser = next(r for r in responses if r.status_code == 400)
    assert _tr(app, TAKEN) in loser.get_data(as_text=True)
    with world.ctx():
        keys = db.session.scalars(select(Membership.name_key).where(
            Membership.space_id == world.space_obj(slug).id,
            Membership.ended_at.is_(None))).all()
    assert keys.count(name_key("Marieke")) == 1


def test_two_concurrent_renames_to_look_alike_names_let_exactly_one_win(app, world):
    slug, lead = world.space()
    people = [world.member(slug, lead, name="Anna"), world.member(slug, lead, name="Bert")]
    requests = []
    for person, name in zip(people, ("Marieke", "MARIEKE")):
        client = app.test_client()
        login(client, person)
        token = csrf_token(client, f"/s/{slug}/members")
        requests.append(lambda client=client, token=token, name=name: client.post(
            f"/s/{slug}/members/me/name", data={"csrf_token": token, "display_name": name}))

    responses = _at_once(*requests)

    assert sorted(r.status_code for r in responses) == [302, 400]
    with world.ctx():
        names = [db.session.get(Membership, p.membership_id).display_name for p in people]
    assert sorted(names, key=len) in (["Anna", "MARIEKE"], ["Bert", "Marieke"])


# --- roles next to names ---------------------------------------------------------------------

def _role_spans(page: str) -> list[str]:
    return re.findall(r'<strong class="author">([^<]*)</strong>(?: <span class="role role-\w+">([^<]*)</span>)?', page)


def test_every_post_shows_its_authors_role_as_text_and_members_get_none(app, client, world):
    slug, lead = world.space()
    cofac = world.member(slug, lead, role="cofacilitator", name="Co")
    moderator = world.member(slug, lead, role="moderator", name="Mo")
    member = world.member(slug, lead, name="Lid")
    thread_id = world.thread(slug, lead, title="Rollen")
    for person in (cofac, moderator, member):
        world.reply(slug, thread_id, person, f"Van {person.name}")
    login(client, member)

    page = client.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)

    assert _role_spans(page) == [
        (f"Begeleider {slug}", _label(app, ROLE_LABELS["facilitator"])),
        ("Co", _label(app, ROLE_LABELS["cofacilitator"])),
        ("Mo", _label(app, ROLE_LABELS["moderator"])),
        ("Lid", ""),
    ]
    assert "Begeleider</span>" in page and "Co-begeleider</span>" in page


def test_someone_who_left_keeps_their_name_on_posts_but_no_role(app, client, world):
    slug, lead = world.space()
    old_lead = world.member(slug, lead, role="facilitator", name="Oud")
    thread_id = world.thread(slug, old_lead, title="Van vroeger")
    with world.ctx():
        members.leave_space(world.actor(old_lead.user_id), world.space_obj(slug))
    login(client, lead)
    page = client.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)
    assert ("Oud", "") in _role_spans(page)


def test_thread_rows_show_the_starters_role(app, client, world):
    slug, lead = world.space()
    moderator = world.member(slug, lead, role="moderator", name="Mo")
    member = world.member(slug, lead, name="Lid")
    world.thread(slug, moderator, title="Van de moderator")
    world.thread(slug, member, title="Van een lid")
    login(client, member)
    page = client.get(f"/s/{slug}/").get_data(as_text=True)
    assert ("Mo", _label(app, ROLE_LABELS["moderator"])) in _role_spans(page)
    assert ("Lid", "") in _role_spans(page)


def test_members_page_explains_every_role_in_a_sentence(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    login(client, member)
    page = client.get(f"/s/{slug}/members").get_data(as_text=True)
    for role, explanation in ROLE_EXPLANATIONS.items():
        assert f"<dd>{_label(app, explanation)}</dd>" in page, role
        assert _label(app, ROLE_LABELS[role]) in page


# --- statements per page: pinned, not growing with rows --------------------------------------

def _count(app, client, path: str) -> int:
    with app.app_context():
        engine = db.engine
    with QueryCounter(engine) as counter:
        response = client.get(path)
    assert response.status_code == 200, path
    return counter.count


def _group_with_roles(world, threads: int, replies: int):
    slug, lead = world.space()
    authors = [lead, world.member(slug, lead, role="cofacilitator"),
               world.member(slug, lead, role="moderator"), world.member(slug, lead)]
    reader = world.member(slug, lead)
    thread_ids = [world.thread(slug, authors[n % 4], title=f"Gesprek {n}") for n in range(threads)]
    for n in range(replies):
        world.reply(slug, thread_ids[0], authors[n % 4], f"Antwoord {n}")
    return slug, reader, thread_ids[0]


def test_statement_counts_of_home_and_thread_page_are_pinned_whatever_the_rows(app, world):
    small = _group_with_roles(world, threads=1, replies=1)
    big = _group_with_roles(world, threads=35, replies=49)
    counts = {}
    for label, (slug, reader, thread_id) in (("small", small), ("big", big)):
        client = app.test_client()
        login(client, reader)
        client.get(f"/s/{slug}/t/{thread_id}?page=1")  # first read written; now a re-read
        counts[label] = (_count(app, client, f"/s/{slug}/"),
                         _count(app, client, f"/s/{slug}/t/{thread_id}?page=1"))
    print(f"\nstatements (home, thread): {counts}")
    assert counts["small"] == counts["big"] == (HOME_STATEMENTS, THREAD_STATEMENTS)


# --- the migration fills the keys ------------------------------------------------------------

@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    if request.param == "postgresql":
        return request.getfixturevalue("pg_cluster").create_database("kring_name_keys")
    return f"sqlite:///{tmp_path / 'names.db'}"


def test_migration_fills_keys_and_keeps_existing_look_alikes_apart(empty_database_url):
    from flask_migrate import upgrade

    from app import create_app

    app = create_app("test", DATABASE_URL=empty_database_url)
    with app.app_context():
        upgrade(revision="0002_notifications")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO users (id, email, password_hash, locale, is_operator, created_at,"
                " session_epoch) VALUES (1, 'a@example.org', 'x', 'nl', false,"
                " '2026-01-01 00:00:00', 0), (2, 'b@example.org', 'x', 'nl', false,"
                " '2026-01-01 00:00:00', 0), (3, 'c@example.org', 'x', 'nl', false,"
                " '2026-01-01 00:00:00', 0)"))
            connection.execute(text(
                "INSERT INTO spaces (id, slug, name, theme, description, renter, rental_start,"
                " rental_end, seat_limit, members_can_start_threads, agreement_version,"
                " created_at) VALUES (1, 'g', 'G', '', '', 'R', '2026-01-01', '2027-01-01', 9,"
                " true, 0, '2026-01-01 00:00:00')"))
            connection.execute(text(
                "INSERT INTO memberships (id, space_id, user_id, role, display_name,"
                " agreement_version, joined_at) VALUES"
                " (1, 1, 1, 'member', 'Marieke', 0, '2026-01-01 00:00:00'),"
                " (2, 1, 2, 'member', 'Mariëke', 0, '2026-01-01 00:00:00'),"
                " (3, 1, 3, 'member', 'Joost', 0, '2026-01-01 00:00:00')"))
        upgrade()
        with db.engine.connect() as connection:
            keys = dict(connection.execute(text("SELECT id, name_key FROM memberships")).all())
        assert keys == {1: name_key("Marieke"), 2: f"{name_key('Marieke')}#2",
                        3: name_key("Joost")}
        db.engine.dispose()
