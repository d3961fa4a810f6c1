"""One library item: its page, editing and removing it (by its author or a lead, nobody
else), "bespreek dit" (one conversation, however often it is clicked), planned items that
only the leads see, and ids from another space."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.database import utcnow
from app.extensions import db
from app.forum.models import Thread
from tests.conftest import csrf_token, login
from tests.test_library import add, item
from tests.test_races import at_once, client_for


def _edit(client, slug, item_id, **fields):
    data = {"csrf_token": csrf_token(client, f"/s/{slug}/library"), "title": "Nieuwe titel",
            "url": "https://example.org/nieuw", "category": "tips", "description": "", **fields}
    return client.post(f"/s/{slug}/library/{item_id}/edit", data=data)


def _remove(client, slug, item_id):
    return client.post(f"/s/{slug}/library/{item_id}/remove",
                       data={"csrf_token": csrf_token(client, f"/s/{slug}/library")})


def _discuss(client, slug, item_id):
    return client.post(f"/s/{slug}/library/{item_id}/discuss",
                       data={"csrf_token": csrf_token(client, f"/s/{slug}/library")})


# --- editing and removing ---------------------------------------------------------------------

def test_author_edits_own_item_and_the_page_shows_the_change(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    item_id = add(world, slug, member, category="group")
    login(client, member)
    assert client.get(f"/s/{slug}/library/{item_id}/edit").status_code == 200
    response = _edit(client, slug, item_id, description="Nu met *uitleg*")
    assert response.status_code == 302
    page = client.get(f"/s/{slug}/library/{item_id}").get_data(as_text=True)
    assert "Nieuwe titel" in page and "<em>uitleg</em>" in page and "bewerkt" in page


def test_facilitator_can_edit_and_remove_a_members_item_without_making_it_theirs(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    item_id = add(world, slug, member, category="group")
    login(client, lead)
    assert _edit(client, slug, item_id, from_leads="y").status_code == 302
    with world.ctx():
        assert item(item_id).title == "Nieuwe titel" and not item(item_id).from_leads
    assert _remove(client, slug, item_id).status_code == 302
    with world.ctx():
        assert item(item_id).deleted_at is not None and item(item_id).title == ""


def test_member_editing_or_removing_anothers_item_gets_403_and_nothing_changes(app, client, world):
    slug, lead = world.space()
    owner = world.member(slug, lead)
    other = world.member(slug, lead)
    item_id = add(world, slug, owner, title="Van de eigenaar", category="group")
    login(client, other)
    page = client.get(f"/s/{slug}/library/{item_id}").get_data(as_text=True)
    assert "Bewerken of verwijderen" not in page
    assert client.get(f"/s/{slug}/library/{item_id}/edit").status_code == 403
    assert _edit(client, slug, item_id).status_code == 403
    assert _remove(client, slug, item_id).status_code == 403
    with world.ctx():
        assert item(item_id).title == "Van de eigenaar" and item(item_id).deleted_at is None


def test_moderator_cannot_edit_someone_elses_item(app, client, world):
    slug, lead = world.space()
    moderator = world.member(slug, lead, role="moderator")
    item_id = add(world, slug, lead)
    login(client, moderator)
    assert _edit(client, slug, item_id).status_code == 403


def test_bad_address_on_edit_is_refused_and_the_typed_text_is_kept(app, client, world):
    slug, lead = world.space()
    item_id = add(world, slug, lead)
    login(client, lead)
    response = _edit(client, slug, item_id, url="javascript:alert(1)", title="Mijn nieuwe titel")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="url-error"' in page and 'value="Mijn nieuwe titel"' in page
    with world.ctx():
        assert item(item_id).url == "https://example.org/"


def test_removed_item_leaves_every_list_and_its_page_says_it_was_removed(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    item_id = add(world, slug, member, title="Weg ermee", category="group")
    login(client, member)
    thread_id = int(_discuss(client, slug, item_id).headers["Location"].rsplit("/", 1)[1])
    assert _remove(client, slug, item_id).status_code == 302

    assert "Weg ermee" not in client.get(f"/s/{slug}/library").get_data(as_text=True)
    gone = client.get(f"/s/{slug}/library/{item_id}")
    assert gone.status_code == 410
    text = gone.get_data(as_text=True)
    assert "Materiaal verwijderd" in text and f"/s/{slug}/t/{thread_id}" in text
    assert "Weg ermee" not in text
    # The conversation stays, for everyone who wrote in it.
    assert client.get(f"/s/{slug}/t/{thread_id}?page=1").status_code == 200
    assert client.get(f"/s/{slug}/library/{item_id}/edit").status_code == 404
    token = csrf_token(client, f"/s/{slug}/library")
    for path in ("/edit", "/remove", "/discuss"):
        response = client.post(f"/s/{slug}/library/{item_id}{path}",
                               data={"csrf_token": token, "title": "Terug", "category": "tips",
                                     "url": "https://example.org/"})
        assert response.status_code == 404, path


# --- another space, outsiders -----------------------------------------------------------------

def test_an_item_of_another_space_is_404_on_every_path(app, client, world):
    slug, lead = world.space()
    other_slug, other_lead = world.space()
    foreign = add(world, other_slug, other_lead, title="Van elders")
    login(client, lead)
    token = csrf_token(client, f"/s/{slug}/library")
    assert client.get(f"/s/{slug}/library/{foreign}").status_code == 404
    assert client.get(f"/s/{slug}/library/{foreign}/edit").status_code == 404
    for path in ("/edit", "/remove", "/discuss"):
        response = client.post(f"/s/{slug}/library/{foreign}{path}",
                               data={"csrf_token": token, "title": "Overgenomen",
                                     "url": "https://example.org/", "category": "tips"})
        assert response.status_code == 404, path
    assert "Van elders" not in client.get(f"/s/{slug}/library").get_data(as_text=True)
    with world.ctx():
        assert item(foreign).title == "Van elders" and item(foreign).thread_id is None


def test_someone_outside_the_group_gets_404_for_the_library(app, client, world):
    slug, lead = world.space()
    item_id = add(world, slug, lead)
    login(client, world.user())
    assert client.get(f"/s/{slug}/library").status_code == 404
    assert client.get(f"/s/{slug}/library/{item_id}").status_code == 404
    assert client.get(f"/s/{slug}/library/new").status_code == 404


# --- "bespreek dit" -------------------------------------------------------------------------

def test_discuss_opens_the_items_conversation_once_and_it_links_back(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    other = world.member(slug, lead)
    item_id = add(world, slug, lead, title="Budget [tips] *nu*")
    login(client, member)
    assert "Bespreek dit</button>" in client.get(f"/s/{slug}/library/{item_id}").get_data(as_text=True)

    first = _discuss(client, slug, item_id)
    login(client, other)
    again = _discuss(client, slug, item_id)

    assert first.status_code == again.status_code == 302
    assert first.headers["Location"] == again.headers["Location"]
    with world.ctx():
        thread = db.session.scalar(select(Thread))
        assert db.session.scalar(select(func.count()).select_from(Thread)) == 1
        assert thread.title == "Budget [tips] *nu*" and item(item_id).thread_id == thread.id
    page = client.get(f"/s/{slug}/t/{thread.id}?page=1").get_data(as_text=True)
    assert f'href="/s/{slug}/library/{item_id}"' in page  # the conversation links back
    assert "Budget [tips] *nu*</a>" in page
    item_page = client.get(f"/s/{slug}/library/{item_id}").get_data(as_text=True)
    assert f'href="/s/{slug}/t/{thread.id}"' in item_page and "Bespreek dit (1 bericht)" in item_page


def test_discuss_clicked_at_once_by_two_members_opens_one_conversation(app, world):
    slug, lead = world.space()
    members = [world.member(slug, lead) for _ in range(2)]
    for round_ in range(3):
        item_id = add(world, slug, lead, title=f"Samen {round_}", url=f"https://example.org/{round_}")
        path = f"/s/{slug}/library/{item_id}"
        pairs = [client_for(app, m, path) for m in members]
        first, second = at_once(*((lambda c=c, t=t: c.post(f"{path}/discuss",
                                                              data={"csrf_token": t}))
                                  for c, t in pairs))
        assert first.status_code == second.status_code == 302
        assert first.headers["Location"] == second.headers["Location"]
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(Thread).where(
                Thread.title == f"Samen {round_}")) == 1


def test_member_cannot_open_a_conversation_where_only_the_leads_start_them(app, client, world):
    slug, lead = world.space(members_can_start_threads=False)
    member = world.member(slug, lead)
    item_id = add(world, slug, lead)
    login(client, member)
    assert "Bespreek dit" not in client.get(f"/s/{slug}/library/{item_id}").get_data(as_text=True)
    assert _discuss(client, slug, item_id).status_code == 403
    login(client, lead)
    assert _discuss(client, slug, item_id).status_code == 302
    login(client, member)
    # Once it is open, the member finds it and can reply there.
    assert "Bespreek dit (1 bericht)" in client.get(f"/s/{slug}/library/{item_id}").get_data(as_text=True)


# --- planned material -----------------------------------------------------------------------

def test_planned_item_is_invisible_to_members_until_its_time(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    cofacilitator = world.member(slug, lead, role="cofacilitator")
    item_id = add(world, slug, lead, title="Voor volgende week", from_leads=True,
                  publish_at=utcnow() + timedelta(days=7))
    with world.ctx():
        from app.notify.models import Notification

        assert db.session.scalar(select(func.count()).select_from(Notification).where(
            Notification.kind == "library_item")) == 0  # the publication tells the group
    login(client, member)
    assert "Voor volgende week" not in client.get(f"/s/{slug}/library").get_data(as_text=True)
    assert client.get(f"/s/{slug}/library/{item_id}").status_code == 404
    assert _discuss(client, slug, item_id).status_code == 404
    login(client, cofacilitator)
    page = client.get(f"/s/{slug}/library").get_data(as_text=True)
    assert "Voor volgende week" in page and "Gepland voor" in page
    assert client.get(f"/s/{slug}/library/{item_id}").status_code == 200
    assert _discuss(client, slug, item_id).status_code == 403  # no conversation before its time

    with world.ctx():  # the clock moves past the publication time
        item(item_id).publish_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    login(client, member)
    assert "Voor volgende week" in client.get(f"/s/{slug}/library").get_data(as_text=True)
    assert client.get(f"/s/{slug}/library/{item_id}").status_code == 200


def test_member_cannot_plan_material(app, world):
    import pytest

    from app.errors import Forbidden

    slug, lead = world.space()
    member = world.member(slug, lead)
    with pytest.raises(Forbidden):
        add(world, slug, member, category="group", publish_at=utcnow() + timedelta(days=1))
