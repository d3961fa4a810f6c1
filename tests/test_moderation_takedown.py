"""Taking things down without a flag (issue 8, item 6) and the moderator role (item 7):
hiding a post or a conversation directly, renaming, removing a post for good, and the role
change in the log — good and bad paths, over real HTTP."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from app.extensions import db
from app.forum import service as forum
from app.forum.models import Post, PostRevision, Reaction, Thread, ThreadTitleRevision
from app.moderation.models import ModerationLog
from app.notify.models import Notification
from tests.conftest import login
from tests.moderation import as_, flag, group, log_actions, post


def _log(world, space_id: int, action: str) -> list[ModerationLog]:
    with world.ctx():
        rows = list(db.session.scalars(select(ModerationLog).where(
            ModerationLog.space_id == space_id, ModerationLog.action == action)
            .order_by(ModerationLog.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def _thread(world, thread_id: int) -> Thread:
    with world.ctx():
        row = db.session.get(Thread, thread_id)
        db.session.expunge(row)
        return row


# --- hiding one post directly -----------------------------------------------------------------

def test_moderator_can_hide_post_in_own_space_without_a_flag(app, client, world):
    g = group(world, flaggers=1, post="Een bericht dat weg moet")
    send = as_(client, g.moderator)

    form = client.get(f"/s/{g.slug}/t/{g.thread_id}?page=1").get_data(as_text=True)
    assert f"/s/{g.slug}/p/{g.post_id}/hide" in form  # the moderator's link on the post
    assert client.get(f"/s/{g.slug}/p/{g.post_id}/hide").status_code == 200
    response = send(f"/s/{g.slug}/p/{g.post_id}/hide", reason="Dit gaat over een ander lid")

    assert response.status_code == 302
    hidden = post(world, g.post_id)
    assert hidden.hidden_at is not None and hidden.hidden_source == "direct"
    assert hidden.hidden_reason == "Dit gaat over een ander lid"
    [entry] = _log(world, g.space_id, "hide_post")
    assert entry.actor_name == "Moderator Mo" and entry.subject_name == "Schrijver Sam"
    assert entry.case_id is None and "source=direct" in entry.detail
    # The group sees only that it is hidden.
    login(client, g.members[0])
    page = client.get(f"/s/{g.slug}/t/{g.thread_id}?page=1").get_data(as_text=True)
    assert "Een bericht dat weg moet" not in page
    assert 'class="meta hidden-post"' in page


def test_author_of_directly_hidden_post_sees_why_and_can_ask_for_another_look(app, client, world):
    g = group(world, flaggers=0, post="Mijn bericht")
    as_(client, g.moderator)(f"/s/{g.slug}/p/{g.post_id}/hide", reason="Te persoonlijk over iemand")
    send = as_(client, g.author)

    page = client.get(f"/s/{g.slug}/t/{g.thread_id}?page=1").get_data(as_text=True)
    assert "Mijn bericht" in page and "Te persoonlijk over iemand" in page
    assert f"/s/{g.slug}/p/{g.post_id}/review" in page
    assert send(f"/s/{g.slug}/p/{g.post_id}/review").status_code == 302

    assert post(world, g.post_id).review_requested_at is not None
    assert log_actions(world, g.space_id)[-1] == "review_requested"
    login(client, g.moderator)
    assert f"/s/{g.slug}/moderation/" in client.get(f"/s/{g.slug}/moderation").get_data(as_text=True)


def test_hiding_without_a_reason_is_refused_at_the_field(app, client, world):
    g = group(world, flaggers=0)
    send = as_(client, g.moderator)

    response = send(f"/s/{g.slug}/p/{g.post_id}/hide", reason="   ")

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="reason-error"' in page
    assert post(world, g.post_id).hidden_at is None
    assert _log(world, g.space_id, "hide_post") == []


def test_moderator_can_show_a_hidden_post_again_and_it_is_logged(app, client, world):
    g = group(world, flaggers=0, post="Toch goed")
    send = as_(client, g.moderator)
    send(f"/s/{g.slug}/p/{g.post_id}/hide", reason="Even nakijken")

    assert send(f"/s/{g.slug}/p/{g.post_id}/unhide").status_code == 302
    assert send(f"/s/{g.slug}/p/{g.post_id}/unhide").status_code == 302  # double submit

    assert post(world, g.post_id).hidden_at is None
    assert log_actions(world, g.space_id).count("unhide_post") == 1
    login(client, g.members[0] if g.members else g.lead)


def test_nobody_hides_their_own_post_directly(app, client, world):
    g = group(world, flaggers=0)
    own = world.reply(g.slug, g.thread_id, g.moderator, "Van de moderator zelf")
    send = as_(client, g.moderator)

    assert client.get(f"/s/{g.slug}/p/{own}/hide").status_code == 403
    assert send(f"/s/{g.slug}/p/{own}/hide", reason="Eigen bericht").status_code == 403
    assert post(world, own).hidden_at is None


@pytest.mark.parametrize("path", ["p/{post}/hide", "p/{post}/unhide", "p/{post}/erase",
                                  "t/{thread}/hide", "t/{thread}/unhide"])
def test_plain_member_cannot_take_anything_down(app, client, world, path):
    g = group(world, flaggers=1)
    send = as_(client, g.members[0])
    url = f"/s/{g.slug}/" + path.format(post=g.post_id, thread=g.thread_id)

    response = send(url, reason="Ik wil dit weg", confirm="y")

    assert response.status_code == 403
    assert post(world, g.post_id).hidden_at is None
    assert post(world, g.post_id).erased_at is None
    assert _thread(world, g.thread_id).hidden_at is None
    assert log_actions(world, g.space_id) == []


@pytest.mark.parametrize("path", ["p/{post}/hide", "p/{post}/unhide", "p/{post}/erase",
                                  "t/{thread}/hide", "t/{thread}/unhide"])
def test_ids_from_another_space_are_not_found(app, client, world, path):
    here = group(world, flaggers=0)
    there = group(world, flaggers=0, post="Elders")
    send = as_(client, here.lead)  # a facilitator here, a stranger there
    url = f"/s/{here.slug}/" + path.format(post=there.post_id, thread=there.thread_id)

    assert client.get(url).status_code in (404, 405)
    assert send(url, reason="Niet van jou", confirm="y").status_code == 404
    assert post(world, there.post_id).hidden_at is None
    assert post(world, there.post_id).erased_at is None
    assert _thread(world, there.thread_id).hidden_at is None


def test_takedown_without_csrf_token_changes_nothing(app, client, world):
    g = group(world, flaggers=0)
    login(client, g.lead)

    for url in (f"/s/{g.slug}/p/{g.post_id}/hide", f"/s/{g.slug}/p/{g.post_id}/erase",
                f"/s/{g.slug}/t/{g.thread_id}/hide"):
        response = client.post(url, data={"reason": "Zonder token", "confirm": "y"})
        assert response.status_code == 400, url

    assert post(world, g.post_id).hidden_at is None
    assert post(world, g.post_id).erased_at is None
    assert _thread(world, g.thread_id).hidden_at is None


# --- hiding and renaming a conversation -------------------------------------------------------

def test_hidden_conversation_keeps_only_its_place_for_members(app, client, world):
    g = group(world, flaggers=1, post="Antwoord in het gesprek")
    send = as_(client, g.moderator)
    assert client.get(f"/s/{g.slug}/t/{g.thread_id}/hide").status_code == 200
    assert send(f"/s/{g.slug}/t/{g.thread_id}/hide", reason="Loopt uit de hand").status_code == 302

    # The moderator still reads it, marked as hidden for the members.
    page = client.get(f"/s/{g.slug}/t/{g.thread_id}?page=1").get_data(as_text=True)
    assert "Een gesprek" in page and "Antwoord in het gesprek" in page
    assert "Loopt uit de hand" in page
    assert "Een gesprek" in client.get(f"/s/{g.slug}/").get_data(as_text=True)

    member = as_(client, g.members[0])
    home = client.get(f"/s/{g.slug}/").get_data(as_text=True)
    assert "Een gesprek" not in home
    assert "gesprek verborgen door een begeleider" in home
    page = client.get(f"/s/{g.slug}/t/{g.thread_id}?page=1")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Een gesprek" not in html and "Antwoord in het gesprek" not in html
    assert "Eerste bericht" not in html and "Loopt uit de hand" not in html
    assert f"/s/{g.slug}/t/{g.thread_id}/reply" not in html
    # Nor can its messages be reached another way.
    assert member(f"/s/{g.slug}/t/{g.thread_id}/reply", body="Toch iets").status_code == 403
    assert client.get(f"/s/{g.slug}/p/{g.post_id}/flag").status_code == 404
    assert member(f"/s/{g.slug}/p/{g.post_id}/react", choice="thanks:1").status_code == 404
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(Reaction)) == 0
    [entry] = _log(world, g.space_id, "hide_thread")
    assert entry.reason == "Loopt uit de hand" and entry.thread_id == g.thread_id


def test_starter_of_a_hidden_conversation_reads_why(app, client, world):
    g = group(world, flaggers=0)
    thread_id = world.thread(g.slug, g.author, title="Van Sam", body="Iets van Sam")
    as_(client, g.lead)(f"/s/{g.slug}/t/{thread_id}/hide", reason="Hoort niet in deze groep")

    login(client, g.author)
    html = client.get(f"/s/{g.slug}/t/{thread_id}?page=1").get_data(as_text=True)

    assert "Hoort niet in deze groep" in html
    assert "Iets van Sam" not in html


def test_hidden_conversation_can_be_shown_again(app, client, world):
    g = group(world, flaggers=1)
    send = as_(client, g.moderator)
    send(f"/s/{g.slug}/t/{g.thread_id}/hide", reason="Even niet")

    assert send(f"/s/{g.slug}/t/{g.thread_id}/unhide").status_code == 302
    assert send(f"/s/{g.slug}/t/{g.thread_id}/unhide").status_code == 302  # double submit

    assert _thread(world, g.thread_id).hidden_at is None
    assert log_actions(world, g.space_id).count("unhide_thread") == 1
    login(client, g.members[0])
    assert "Een gesprek" in client.get(f"/s/{g.slug}/").get_data(as_text=True)


def test_hiding_a_conversation_needs_a_reason(app, client, world):
    g = group(world, flaggers=0)
    response = as_(client, g.moderator)(f"/s/{g.slug}/t/{g.thread_id}/hide", reason="")

    assert response.status_code == 400
    assert 'id="reason-error"' in response.get_data(as_text=True)
    assert _thread(world, g.thread_id).hidden_at is None


def test_moderator_renames_someones_thread_and_the_log_points_at_before_and_after(app, client, world):
    g = group(world, flaggers=0)
    thread_id = world.thread(g.slug, g.author, title="Adres van Jan: Dorpsstraat 1")
    send = as_(client, g.moderator)

    response = send(f"/s/{g.slug}/t/{thread_id}/title", title="Over de buurt")

    assert response.status_code == 302
    assert _thread(world, thread_id).title == "Over de buurt"
    [entry] = _log(world, g.space_id, "rename_thread")
    assert entry.actor_name == "Moderator Mo" and entry.subject_name == "Schrijver Sam"
    assert entry.thread_id == thread_id
    with world.ctx():
        old = db.session.scalar(select(ThreadTitleRevision).where(
            ThreadTitleRevision.thread_id == thread_id))
        assert entry.detail == f"before_revision={old.id}"
        assert old.title == "Adres van Jan: Dorpsstraat 1"
    # The log itself holds no member-written title.
    assert "Dorpsstraat" not in entry.detail + entry.reason
    login(client, g.lead)
    log = client.get(f"/s/{g.slug}/moderation/log").get_data(as_text=True)
    assert "Dorpsstraat" in log and "Over de buurt" in log  # before and after, shown


def test_author_renaming_own_thread_is_not_a_moderation_action(app, client, world):
    g = group(world, flaggers=0)
    thread_id = world.thread(g.slug, g.author, title="Eerste versie")
    as_(client, g.author)(f"/s/{g.slug}/t/{thread_id}/title", title="Tweede versie")

    assert _thread(world, thread_id).title == "Tweede versie"
    assert _log(world, g.space_id, "rename_thread") == []


# --- removing a post for good --------------------------------------------------------------------

SECRET = "NL91ABNA0417164300 en Kerkstraat 12"


def _everything_in_the_database(world) -> str:
    """Every value of every row of every table, as one text."""
    with world.ctx():
        return "\n".join(repr(row) for table in db.metadata.sorted_tables
                         for row in db.session.execute(select(table)))


def test_facilitator_removes_a_post_for_good_and_no_copy_of_the_text_remains(app, client, world):
    g = group(world, flaggers=1, post=f"Mijn rekening is {SECRET}")
    with world.ctx():  # an earlier version, a reaction, a notification about it
        author = world.actor(g.author.user_id)
        forum.edit_post(author, db.session.get(Post, g.post_id), body=f"Echt: {SECRET}!")
        forum.set_reaction(world.actor(g.lead.user_id), db.session.get(Post, g.post_id),
                           kind="thanks", on=True)
    flag(world, g.members[0], g.post_id, reason="privacy", note="Er staat een rekeningnummer")
    assert SECRET in _everything_in_the_database(world)
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(Notification).where(
            Notification.post_id == g.post_id)) > 0
    send = as_(client, g.lead)

    page = client.get(f"/s/{g.slug}/p/{g.post_id}/erase")
    assert page.status_code == 200 and 'type="checkbox"' in page.get_data(as_text=True)
    refused = send(f"/s/{g.slug}/p/{g.post_id}/erase", reason="Rekeningnummer en adres")
    assert refused.status_code == 400
    assert 'id="confirm-error"' in refused.get_data(as_text=True)
    assert "Rekeningnummer en adres" in refused.get_data(as_text=True)  # the text is kept
    assert post(world, g.post_id).erased_at is None

    response = send(f"/s/{g.slug}/p/{g.post_id}/erase", reason="Rekeningnummer en adres",
                    confirm="y")

    assert response.status_code == 302
    assert send(f"/s/{g.slug}/p/{g.post_id}/erase", reason="Nog eens",
                confirm="y").status_code == 403  # gone already: nothing left to remove
    erased = post(world, g.post_id)
    assert erased.erased_at is not None and erased.body == "" and erased.body_html == ""
    assert SECRET not in _everything_in_the_database(world)
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(PostRevision).where(
            PostRevision.post_id == g.post_id)) == 0
        assert db.session.scalar(select(func.count()).select_from(Reaction).where(
            Reaction.post_id == g.post_id)) == 0
        assert db.session.scalar(select(func.count()).select_from(Notification).where(
            Notification.post_id == g.post_id)) == 0
    [entry] = _log(world, g.space_id, "erase_post")
    assert entry.reason == "Rekeningnummer en adres" and entry.post_id == g.post_id
    assert entry.detail == "revisions_erased=1"
    login(client, g.members[0])
    html = client.get(f"/s/{g.slug}/t/{g.thread_id}?page=1").get_data(as_text=True)
    assert "verwijderd door een begeleider" in html


@pytest.mark.parametrize("role", ["moderator", "cofacilitator"])
def test_only_facilitators_remove_posts_for_good(app, client, world, role):
    g = group(world, flaggers=0, post="Blijft bestaan")
    actor = g.moderator if role == "moderator" else world.member(g.slug, g.lead, role=role)
    send = as_(client, actor)

    assert client.get(f"/s/{g.slug}/p/{g.post_id}/erase").status_code == 403
    assert send(f"/s/{g.slug}/p/{g.post_id}/erase", reason="Weg", confirm="y").status_code == 403
    assert post(world, g.post_id).body == "Blijft bestaan"


def test_removing_without_a_reason_is_refused(app, client, world):
    g = group(world, flaggers=0, post="Blijft nog even")
    response = as_(client, g.lead)(f"/s/{g.slug}/p/{g.post_id}/erase", reason="", confirm="y")

    assert response.status_code == 400
    assert 'id="reason-error"' in response.get_data(as_text=True)
    assert post(world, g.post_id).body == "Blijft nog even"


def test_removing_the_opening_post_for_good_takes_the_title_out_of_lists(app, client, world):
    g = group(world, flaggers=1)
    first = world.first_post_id(g.thread_id)
    as_(client, g.lead)  # the lead wrote the opening post; a facilitator may still remove it
    login(client, world.member(g.slug, g.lead, role="facilitator", name="Tweede begeleider"))
    send = as_(client, world.member(g.slug, g.lead, role="facilitator", name="Derde begeleider"))

    assert send(f"/s/{g.slug}/p/{first}/erase", reason="Naam van een kind", confirm="y").status_code == 302

    assert _thread(world, g.thread_id).title_removed_at is not None
    login(client, g.members[0])
    assert "Een gesprek" not in client.get(f"/s/{g.slug}/").get_data(as_text=True)


# --- the moderator role --------------------------------------------------------------------------

def test_facilitator_gives_the_moderator_role_and_the_log_shows_before_and_after(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead, name="Nieuwe moderator")
    send = as_(client, lead)

    members_page = client.get(f"/s/{slug}/members").get_data(as_text=True)
    assert 'value="moderator"' in members_page  # the role form offers it
    assert send(f"/s/{slug}/members/{member.membership_id}/role", role="moderator").status_code == 302
    assert send(f"/s/{slug}/members/{member.membership_id}/role", role="moderator").status_code == 302

    with world.ctx():
        space_id = world.space_obj(slug).id
    [entry] = _log(world, space_id, "role_change")
    assert entry.subject_name == "Nieuwe moderator"
    assert entry.detail == "before=member after=moderator"
    log = client.get(f"/s/{slug}/moderation/log").get_data(as_text=True)
    assert "before: Deelnemer; after: Moderator" in log
    # And the new moderator now sees the queue.
    login(client, member)
    assert client.get(f"/s/{slug}/moderation").status_code == 200


def test_moderator_acts_only_in_their_own_space(app, client, world):
    here = group(world, flaggers=0)
    there = group(world, flaggers=1, post="In de andere groep")
    # The same person is a plain member of the other group.
    token = world.invite_token(there.slug, there.lead,
                               email=here.moderator.email)
    world.accept(token, display_name="Gewoon lid", email_user=here.moderator)
    send = as_(client, here.moderator)

    assert client.get(f"/s/{there.slug}/moderation").status_code == 403
    assert send(f"/s/{there.slug}/p/{there.post_id}/hide", reason="Mag niet").status_code == 403
    assert send(f"/s/{there.slug}/t/{there.thread_id}/hide", reason="Mag niet").status_code == 403
    assert post(world, there.post_id).hidden_at is None
    assert _thread(world, there.thread_id).hidden_at is None
    # At home it works.
    assert send(f"/s/{here.slug}/p/{here.post_id}/hide", reason="Mag wel").status_code == 302


# --- statement counts of the pages this adds or changes ------------------------------------------

def _statements(app, client, path: str) -> int:
    from tests.conftest import QueryCounter

    client.get(path)  # warm-up
    with app.app_context():
        engine = db.engine
    with QueryCounter(engine) as counter:
        assert client.get(path).status_code == 200, path
    return len(counter.statements)


def test_statement_counts_of_takedown_pages_stay_fixed_however_much_is_hidden(app, client, world):
    g = group(world, flaggers=1)
    moderator = as_(client, g.moderator)
    paths = {"home": f"/s/{g.slug}/", "thread": f"/s/{g.slug}/t/{g.thread_id}?page=1",
             "hide form": f"/s/{g.slug}/p/{g.post_id}/hide",
             "hide thread form": f"/s/{g.slug}/t/{g.thread_id}/hide", "help": "/hulp"}
    few = {name: _statements(app, client, path) for name, path in paths.items()}
    for n in range(6):  # more hidden conversations and hidden posts
        thread_id = world.thread(g.slug, g.lead, title=f"Gesprek {n}", body="Tekst")
        reply = world.reply(g.slug, g.thread_id, g.author, f"Antwoord {n}")
        moderator(f"/s/{g.slug}/t/{thread_id}/hide", reason="Weg")
        moderator(f"/s/{g.slug}/p/{reply}/hide", reason="Weg")
    many = {name: _statements(app, client, path) for name, path in paths.items()}
    member_client = app.test_client()
    login(member_client, g.members[0])
    member_home = _statements(app, member_client, f"/s/{g.slug}/")

    # home: 8 (with the unread count of every tab and the next meeting).
    # thread: 7 = the 8 of tests/test_statement_counts.py less the query for quotes (no
    # reply here quotes).
    assert few == many == {"home": 8, "thread": 7, "hide form": 4, "hide thread form": 4,
                           "help": 3}
    assert member_home == 8


def test_a_post_removed_for_good_leaves_no_bytes_in_the_sqlite_file(app, client, world):
    with world.ctx():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("about the SQLite file; PostgreSQL keeps old row versions until VACUUM")
        path = db.engine.url.database
    g = group(world, flaggers=0, post=f"Stuur geld naar {SECRET}")
    with world.ctx():
        forum.edit_post(world.actor(g.author.user_id), db.session.get(Post, g.post_id),
                        body=f"Echt waar: {SECRET}")
    as_(client, g.lead)(f"/s/{g.slug}/p/{g.post_id}/erase", reason="Rekeningnummer",
                        confirm="y")
    with world.ctx():
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.commit()

    with open(path, "rb") as handle:
        assert SECRET.encode() not in handle.read()
