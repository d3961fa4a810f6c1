"""Leave and be forgotten (/account/delete): per group or the whole account, posts deleted or
kept as "oud-deelnemer", old links 404, nobody can undo it, the logs keep only a pseudonym."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select, text

from app.accounts.models import User
from app.audit.models import AuditEvent
from app.extensions import db
from app.forum.models import Post, PostRevision, Reaction, Thread
from app.line.models import LineConversation
from app.moderation.models import Flag, ModerationLog
from app.spaces.models import Membership
from app.uploads.models import Upload
from tests import moderation as mod
from tests.conftest import PASSWORD, csrf_token, login
from tests.erasure import MARKER, confirm_identity, erase, leave_traces


def _page(client, path: str) -> str:
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def test_erasing_from_a_group_with_delete_removes_posts_files_line_and_keeps_the_others_flow(
        app, client, world):
    t = leave_traces(world)
    response = erase(client, t.member, t.member.membership_id, "delete")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account")
    assert "gewist" in client.get("/account").get_data(as_text=True)

    login(client, t.lead)
    # The thread only the member wrote in is gone; the one others replied in stays, untitled.
    assert client.get(f"/s/{t.slug}/t/{t.own_thread}").status_code == 404
    shared = _page(client, f"/s/{t.slug}/t/{t.shared_thread}")
    assert "Dank je, ik herken dit." in shared and MARKER not in shared
    assert "Gesprek verwijderd" in shared
    flow = _page(client, f"/s/{t.slug}/t/{t.lead_thread}")
    assert "Vertel maar." in flow and MARKER not in flow and "bericht verwijderd" in flow
    home = _page(client, f"/s/{t.slug}/")
    assert MARKER not in home
    # Files, material and the line: old links answer 404.
    assert client.get(f"/s/{t.slug}/files/{t.upload_id}/notitie.txt").status_code == 404
    assert client.get(f"/s/{t.slug}/library/{t.item_id}").status_code == 404
    assert client.get(f"/s/{t.slug}/line/{t.member.membership_id}").status_code == 404
    assert MARKER not in _page(client, f"/s/{t.slug}/members")
    assert MARKER not in _page(client, f"/s/{t.slug}/moderation/log")
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(PostRevision)) == 0
        assert db.session.scalar(select(func.count()).select_from(Reaction)) == 0
        assert db.session.scalar(select(func.count()).select_from(Upload)) == 0
        assert db.session.scalar(select(func.count()).select_from(LineConversation)) == 0
        flag = db.session.scalar(select(Flag))
        assert flag is not None and flag.note == ""  # the report stays, their words go
        member = db.session.get(Membership, t.member.membership_id)
        assert member.ended_at is not None and member.user_id != t.member.user_id
        assert member.display_name == f"oud-deelnemer {member.id}"


def test_erasing_with_keep_shows_the_posts_as_former_member_and_the_flow_stays_readable(
        app, client, world):
    t = leave_traces(world)
    assert erase(client, t.member, t.member.membership_id, "keep").status_code == 302

    login(client, t.other)
    flow = _page(client, f"/s/{t.slug}/t/{t.lead_thread}")
    assert f"Tweede{MARKER} versie" in flow and "oud-deelnemer" in flow
    assert f"Naam{MARKER}" not in flow
    shared = _page(client, f"/s/{t.slug}/t/{t.shared_thread}")
    assert f"Opening{MARKER} met antwoord" in shared and "Dank je, ik herken dit." in shared
    assert f"Naam{MARKER}" not in _page(client, f"/s/{t.slug}/")
    # Files go in both choices; the earlier version of the edited post too.
    assert client.get(f"/s/{t.slug}/files/{t.upload_id}/notitie.txt").status_code == 404
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(PostRevision)) == 0
        assert db.session.get(Post, t.member_reply).body == f"Tweede{MARKER} versie"


def test_erasure_needs_a_recent_password_confirmation(app, client, world):
    t = leave_traces(world)
    login(client, t.member)
    response = client.get("/account/delete")
    assert response.status_code == 302 and "/account/confirm" in response.headers["Location"]
    token = csrf_token(client, "/account")
    refused = client.post("/account/delete/confirm", data={
        "csrf_token": token, "scope": "account", "posts": "delete", "understood": "y"})
    assert refused.status_code == 302 and "/account/confirm" in refused.headers["Location"]
    with world.ctx():
        assert db.session.get(User, t.member.user_id) is not None


def test_another_users_membership_is_a_404_and_nothing_is_erased(app, client, world):
    t = leave_traces(world)
    login(client, t.other)
    confirm_identity(client, t.other)
    token = csrf_token(client, "/account/delete")
    chosen = client.post("/account/delete", data={
        "csrf_token": token, "scope": str(t.member.membership_id), "posts": "delete"})
    assert chosen.status_code == 404
    forced = client.post("/account/delete/confirm", data={
        "csrf_token": token, "scope": str(t.member.membership_id), "posts": "delete",
        "understood": "y"})
    assert forced.status_code == 404
    with world.ctx():
        assert db.session.get(Membership, t.member.membership_id).ended_at is None


def test_bad_input_keeps_the_form_with_the_reason_at_the_field(app, client, world):
    t = leave_traces(world)
    login(client, t.member)
    confirm_identity(client, t.member)
    token = csrf_token(client, "/account/delete")
    missing = client.post("/account/delete", data={"csrf_token": token,
                                                   "scope": str(t.member.membership_id)})
    page = missing.get_data(as_text=True)
    assert missing.status_code == 400 and "Kies wat er met je berichten gebeurt" in page
    assert re.search(rf'<input checked[^>]*value="{t.member.membership_id}"', page)
    unticked = client.post("/account/delete/confirm", data={
        "csrf_token": token, "scope": "account", "posts": "delete"})
    assert unticked.status_code == 400
    assert "Vink het vakje aan" in unticked.get_data(as_text=True)
    odd = client.post("/account/delete/confirm", data={
        "csrf_token": token, "scope": "account", "posts": "elsewhere", "understood": "y"})
    assert odd.status_code == 400
    with world.ctx():
        assert db.session.get(User, t.member.user_id).erased_at is None


def test_the_confirmation_page_says_what_happens_and_that_nobody_can_undo_it(app, client, world):
    t = leave_traces(world)
    login(client, t.member)
    confirm_identity(client, t.member)
    token = csrf_token(client, "/account/delete")
    page = client.post("/account/delete", data={"csrf_token": token, "scope": "account",
                                                "posts": "keep"}).get_data(as_text=True)
    assert "Dit kun je niet ongedaan maken" in page and "begeleiders" in page
    assert "oud-deelnemer" in page and f"Groep {t.slug}" in page
    with world.ctx():
        assert db.session.get(User, t.member.user_id).erased_at is None  # nothing yet


def test_a_double_submit_erases_once_and_says_done(app, client, world):
    t = leave_traces(world)
    first = erase(client, t.member, t.member.membership_id, "delete")
    token = csrf_token(client, "/account")
    second = client.post("/account/delete/confirm", data={
        "csrf_token": token, "scope": str(t.member.membership_id), "posts": "delete",
        "understood": "y"})
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"].endswith("/account")
    with world.ctx():
        events = db.session.scalars(select(AuditEvent.event)).all()
        assert events.count("erased_space") == 1


def test_the_whole_account_goes_and_its_owner_is_logged_out_for_good(app, client, world):
    t = leave_traces(world)
    response = erase(client, t.member, "account", "keep")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/deleted")
    assert "gewist" in client.get("/account/deleted").get_data(as_text=True)
    assert client.get("/account").status_code == 302  # logged out
    login_page = client.post("/login", data={
        "csrf_token": csrf_token(client, "/login"), "email": t.member.email,
        "password": PASSWORD})
    assert login_page.status_code == 400
    with world.ctx():
        assert db.session.get(User, t.member.user_id) is None
        assert db.session.scalar(select(User).where(User.email == t.member.email)) is None
        tombstone = db.session.get(User, db.session.get(
            Membership, t.member.membership_id).user_id)
        assert tombstone.erased_at is not None and tombstone.password_hash == "!"
        rows = db.session.execute(select(AuditEvent.event, AuditEvent.detail)).all()
        assert ("erased_account", "posts=keep") in rows
        assert all(MARKER not in detail and "@" not in detail for _event, detail in rows)


def test_facilitators_cannot_restore_an_erased_member_even_by_inviting_them_again(
        app, client, world):
    t = leave_traces(world)
    erase(client, t.member, t.member.membership_id, "keep")
    with world.ctx():
        from app.spaces import invitations

        _inv, token = invitations.invite(world.actor(t.lead.user_id), world.space_obj(t.slug),
                                         email=t.member.email, role="member")
    again = world.accept(token, display_name="Terug", email_user=t.member)
    assert again.membership_id != t.member.membership_id
    login(client, t.lead)
    flow = _page(client, f"/s/{t.slug}/t/{t.lead_thread}")
    assert "oud-deelnemer" in flow and "Terug" not in flow.split("Vertel maar.")[1]
    with world.ctx():
        old = db.session.get(Membership, t.member.membership_id)
        assert old.ended_at is not None and old.anonymous_after_leaving
        # No service can act on the erased membership: it belongs to nobody who can log in.
        assert db.session.get(User, old.user_id).erased_at is not None


def test_erasure_while_a_moderation_case_is_open_keeps_the_case_for_the_moderators(
        app, client, world):
    g = mod.group(world, post=f"Gemeld{MARKER} bericht")
    own = world.thread(g.slug, g.author, title=f"Eigen{MARKER}", body="Iets")
    with world.ctx():
        from app.moderation import takedown

        takedown.hide_thread(world.actor(g.moderator.user_id), db.session.get(Thread, own),
                             reason="Past niet in deze groep")
    mod.flag(world, g.members[0], g.post_id)
    case_id = mod.case_id_of(world, g.post_id)
    login(client, g.author)
    confirm_identity(client, g.author)
    response = erase(client, g.author, g.author.membership_id, "delete", logged_in=True)
    assert response.status_code == 302
    case = mod.case(world, case_id)
    assert case.is_open
    login(client, g.moderator)
    page = _page(client, f"/s/{g.slug}/moderation/{case_id}")
    assert MARKER not in page and "Schrijver Sam" not in page
    mod.resolve(world, g.moderator, case_id, outcomes=["none"])
    assert not mod.case(world, case_id).is_open
    with world.ctx():
        names = db.session.execute(select(ModerationLog.actor_name, ModerationLog.subject_name)
                                   ).all()
        assert names and all("Schrijver Sam" not in pair for pair in names)
        assert any(f"oud-deelnemer {g.author.membership_id}" in pair for pair in names)


def test_the_logs_accept_only_the_pseudonym_of_an_erased_member(app, world):
    g = mod.group(world)
    mod.flag(world, g.members[0], g.post_id)
    with world.ctx():
        entry = db.session.scalar(select(ModerationLog.id))
        for change in ("actor_name = 'Iemand anders'", "reason = 'herschreven'",
                       f"subject_name = 'oud-deelnemer {g.author.membership_id}'"):
            with pytest.raises(Exception):
                db.session.execute(text(f"UPDATE moderation_log SET {change} WHERE id = {entry}"))
            db.session.rollback()


def test_only_the_member_themselves_may_erase_and_only_once():
    from types import SimpleNamespace

    from app import policy

    me = SimpleNamespace(id=7, erased_at=None, is_operator=False)
    operator = SimpleNamespace(id=8, erased_at=None, is_operator=True)
    mine = SimpleNamespace(id=70, space_id=1, user_id=7)
    actor = policy.Actor(user=me)
    assert policy.can_erase_membership(actor, mine) and policy.can_erase_account(actor, me)
    assert not policy.can_erase_membership(policy.Actor(user=operator), mine)
    assert not policy.can_erase_account(policy.Actor(user=operator), me)
    gone = SimpleNamespace(id=7, erased_at=object(), is_operator=False)
    assert not policy.can_erase_account(policy.Actor(user=gone), gone)


# The choice page: the user, the actor's memberships with their spaces, the notification
# count in the menu, and the own memberships with their spaces (one query for all groups).
CHOICE_PAGE_STATEMENTS = 4


def test_the_choice_page_takes_a_pinned_number_of_statements_however_many_groups(
        app, client, world):
    from tests.conftest import QueryCounter

    person = world.user()
    counts = []
    for _round in range(2):
        for _group in range(3):
            slug, lead = world.space()
            token = world.invite_token(slug, lead, email=person.email)
            world.accept(token, display_name="Sanne", email_user=person)
        login(client, person)
        confirm_identity(client, person)
        client.get("/account/delete")
        with app.app_context(), QueryCounter(db.engine) as counter:
            page = client.get("/account/delete")
        assert page.status_code == 200
        counts.append(counter.count)
    assert counts == [CHOICE_PAGE_STATEMENTS] * 2, counter.statements
