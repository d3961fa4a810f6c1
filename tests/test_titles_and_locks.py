"""Titles are editable and removable: the author (and the group's leads) retitle a thread,
the old title is kept as a revision and the thread shows "edited"; deleting the opening post
takes the title out of every list. Locked means locked: leads and moderators are told they
can still reply, members see that the thread is closed and get no reply form."""
from __future__ import annotations

import re

import pytest
from markupsafe import escape
from sqlalchemy import select

from app.extensions import db
from app.forum import service as forum
from app.forum.models import Post, Thread, ThreadTitleRevision
from tests.conftest import csrf_token, login


def _tr(app, msgid: str, **values) -> str:
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale("nl"):
        return str(escape(gettext(msgid, **values)))


def _post(client, path: str, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, "/"), **data})


def _thread(world, thread_id: int) -> Thread:
    with world.ctx():
        thread = db.session.get(Thread, thread_id)
        db.session.expunge(thread)
        return thread


# --- editing a title -------------------------------------------------------------------------

def test_author_edits_title_and_the_old_one_is_kept_as_a_revision(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead, name="Lid")
    thread_id = world.thread(slug, member, title="Eerste titel")
    login(client, member)

    response = _post(client, f"/s/{slug}/t/{thread_id}/title", title="  Betere   titel ")

    assert response.status_code == 302
    thread = _thread(world, thread_id)
    assert thread.title == "Betere titel" and thread.title_edited_at is not None
    with world.ctx():
        revisions = db.session.execute(select(
            ThreadTitleRevision.title, ThreadTitleRevision.replaced_by_id)
            .where(ThreadTitleRevision.thread_id == thread_id)).all()
    assert revisions == [("Eerste titel", member.membership_id)]
    page = client.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)
    assert re.search(r"<h1>Betere titel <span class=\"meta\">\(" + _tr(app, "edited") + r"\)</span></h1>", page)


def test_saving_the_same_title_records_no_revision(app, client, world):
    slug, lead = world.space()
    thread_id = world.thread(slug, lead, title="Blijft zo")
    login(client, lead)
    assert _post(client, f"/s/{slug}/t/{thread_id}/title", title="Blijft zo").status_code == 302
    with world.ctx():
        assert db.session.scalar(select(ThreadTitleRevision.id)) is None
    assert _thread(world, thread_id).title_edited_at is None


@pytest.mark.parametrize("role, may", [("facilitator", True), ("cofacilitator", True),
                                       ("moderator", True), ("member", False)])
def test_leads_and_moderators_may_retitle_someone_elses_thread_and_members_may_not(app, client, world, role, may):
    slug, lead = world.space()
    author = world.member(slug, lead, name="Schrijver")
    actor = world.member(slug, lead, role=role, name="Handelend")
    thread_id = world.thread(slug, author, title="Van de schrijver")
    login(client, actor)

    page = client.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)
    response = _post(client, f"/s/{slug}/t/{thread_id}/title", title="Hernoemd")

    assert (f"/s/{slug}/t/{thread_id}/title" in page) is may  # the link only for who may
    assert response.status_code == (302 if may else 403)
    assert _thread(world, thread_id).title == ("Hernoemd" if may else "Van de schrijver")


@pytest.mark.parametrize("title, message", [
    ("", "Give the conversation a title."),
    ("   ", "Give the conversation a title."),
    ("x" * 201, "A title can be at most %(n)d characters (now %(m)d)."),
])
def test_empty_or_too_long_title_is_refused_at_the_field_with_the_text_kept(app, client, world,
                                                                            title, message):
    slug, lead = world.space()
    thread_id = world.thread(slug, lead, title="Goede titel")
    login(client, lead)

    response = _post(client, f"/s/{slug}/t/{thread_id}/title", title=title)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    expected = _tr(app, message) % {"n": 200, "m": len(title)} if "%" in message else _tr(app, message)
    assert 'id="title-error"' in page
    if title.strip():
        assert expected in page and f'value="{title}"' in page
    assert _thread(world, thread_id).title == "Goede titel"


def test_hostile_title_is_shown_as_text_everywhere(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, member, title="Gewoon")
    hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>"'
    login(client, member)
    assert _post(client, f"/s/{slug}/t/{thread_id}/title", title=hostile).status_code == 302

    for path in (f"/s/{slug}/t/{thread_id}?page=1", f"/s/{slug}/"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>alert(1)" not in page and "<img src=x" not in page, path
        assert str(escape(hostile)) in page, path


# --- deleting the opening post removes the title from every list -----------------------------

def _opening_deleted(world, slug, author, thread_id) -> None:
    with world.ctx():
        post = db.session.scalar(select(Post).where(Post.thread_id == thread_id, Post.number == 1))
        forum.delete_post(world.actor(author.user_id), post)


def test_deleting_the_opening_post_removes_the_title_for_everyone(app, client, world):
    slug, lead = world.space()
    author = world.member(slug, lead, name="Schrijver")
    thread_id = world.thread(slug, author, title="Geheime titel")
    world.reply(slug, thread_id, lead, "Een antwoord dat blijft")
    world.reply(slug, thread_id, lead, "@Schrijver nog een antwoord")  # a notification for author
    world.reply(slug, thread_id, author, "Antwoord van de schrijver")  # one for the lead

    login(client, author)
    response = _post(client, f"/s/{slug}/p/{world.first_post_id(thread_id)}/delete", on="1")
    assert response.status_code == 302
    assert _thread(world, thread_id).title_removed_at is not None

    login(client, lead)
    removed = _tr(app, "conversation deleted")
    home = client.get(f"/s/{slug}/").get_data(as_text=True)
    notifications = client.get("/notifications").get_data(as_text=True)
    thread_page = client.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)
    for page in (home, notifications, thread_page):
        assert "Geheime titel" not in page
    assert removed in home and removed in notifications
    assert f"<h1>{_tr(app, 'Conversation deleted')}</h1>" in thread_page
    assert "Een antwoord dat blijft" in thread_page  # the replies stay readable


def test_the_author_cannot_retitle_after_deleting_the_opening_post(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, member, title="Weg")
    _opening_deleted(world, slug, member, thread_id)
    for person in (member, lead):
        login(client, person)
        assert _post(client, f"/s/{slug}/t/{thread_id}/title", title="Terug").status_code == 403
    assert _thread(world, thread_id).title == "Weg"


def test_deleting_a_reply_keeps_the_title(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, lead, title="Blijft staan")
    reply_id = world.reply(slug, thread_id, member, "Weg ermee")
    login(client, member)
    _post(client, f"/s/{slug}/p/{reply_id}/delete", on="1")
    assert _thread(world, thread_id).title_removed_at is None
    assert "Blijft staan" in client.get(f"/s/{slug}/").get_data(as_text=True)


# --- locked means locked ---------------------------------------------------------------------

def _locked(world, slug, lead) -> int:
    thread_id = world.thread(slug, lead, title="Gesloten gesprek")
    with world.ctx():
        forum.set_locked(world.actor(lead.user_id), db.session.get(Thread, thread_id), locked=True)
    return thread_id


def test_member_sees_the_thread_is_closed_and_no_reply_form(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = _locked(world, slug, lead)
    login(client, member)
    page = client.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)
    assert "Dit gesprek is gesloten" in page
    assert _tr(app, "This conversation is closed. You can read it, but no new replies can be added.") in page
    assert f"/s/{slug}/t/{thread_id}/reply" not in page and 'name="body"' not in page


@pytest.mark.parametrize("role", ["moderator", "cofacilitator", "facilitator"])
def test_leads_and_moderators_are_told_they_can_still_reply(app, client, world, role):
    slug, lead = world.space()
    person = world.member(slug, lead, role=role)
    thread_id = _locked(world, slug, lead)
    login(client, person)
    page = client.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)
    assert _tr(app, "This conversation is closed: members can no longer reply. You can still "
                    "reply, because you lead or moderate this group.") in page
    assert f"/s/{slug}/t/{thread_id}/reply" in page
    response = _post(client, f"/s/{slug}/t/{thread_id}/reply", body="Toch een antwoord")
    assert response.status_code == 302


def test_members_reply_to_a_closed_thread_is_refused_and_the_text_kept(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, lead, title="Nog open")
    login(client, member)
    token = csrf_token(client, f"/s/{slug}/t/{thread_id}?page=1")  # opened while still open
    with world.ctx():
        forum.set_locked(world.actor(lead.user_id), db.session.get(Thread, thread_id), locked=True)

    response = client.post(f"/s/{slug}/t/{thread_id}/reply",
                           data={"csrf_token": token, "body": "Mijn <b>lange</b> antwoord"})

    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Mijn &lt;b&gt;lange&lt;/b&gt; antwoord</textarea>" in page
    assert _tr(app, "Your reply was not posted: this conversation is closed. Your text is "
                    "below, so you can keep it.") in page
    with world.ctx():
        assert db.session.scalar(select(Thread.post_count).where(Thread.id == thread_id)) == 1
