"""Forum behaviour over HTTP: the space home (pinned announcements, latest activity, paging,
unread counts), thread pages (first-unread redirect, paging), editing with revisions, soft
deletion, reactions, pin and lock, who may start what, and a fixed number of SQL statements
per page whatever the number of threads, posts or reactions."""
from __future__ import annotations

import re

import pytest
from markupsafe import escape

from app.errors import Forbidden
from app.extensions import db
from app.forum import service as forum
from app.forum.models import REACTIONS, Post, PostRevision, Reaction, ReadState, Thread
from tests.conftest import QueryCounter, csrf_token, login

# --- helpers ----------------------------------------------------------------------------------


def _tr(app, msgid: str, **values) -> str:
    """A UI string as a Dutch-locale page shows it (escaped), so assertions survive the
    Dutch catalogue arriving."""
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale("nl"):
        return str(escape(gettext(msgid, **values)))


def _ntr(app, singular: str, plural: str, n: int) -> str:
    from flask_babel import force_locale, ngettext

    with app.test_request_context(), force_locale("nl"):
        return str(escape(ngettext(singular, plural, n)))


def _html(response) -> str:
    return response.get_data(as_text=True)


def _thread_rows(html: str) -> dict[int, str]:
    """Thread id → the HTML of its row on the space home."""
    rows = {}
    for chunk in html.split('<li class="thread')[1:]:
        chunk = chunk.split("</li>")[0]
        thread_id = int(re.search(r"/t/(\d+)", chunk).group(1))
        rows[thread_id] = chunk
    return rows


def _posts(html: str) -> dict[int, str]:
    """Post number → the HTML of that post on a thread page."""
    section = html.split('<ol class="posts">', 1)[1].split("</ol>", 1)[0]
    posts = {}
    for chunk in section.split('<li class="post')[1:]:
        number = int(re.search(r'id="p(\d+)"', chunk).group(1))
        posts[number] = chunk
    return posts


def _reaction_summaries(post_html: str) -> dict[str, tuple[int, list[str]]]:
    """Reaction kind → (count shown, names shown) for one post."""
    by_emoji = {emoji: kind for kind, emoji in REACTIONS.items()}
    summaries = {}
    for block in re.findall(r'<details class="reaction-who">(.*?)</details>', post_html, re.S):
        emoji = re.search(r'<summary><span aria-hidden="true">(.+?)</span>', block).group(1)
        count = int(re.search(r"(\d+)</summary>", block).group(1))
        names = re.search(r"<p>[^<]*?: ([^<]*)</p>", block).group(1).split(", ")
        summaries[by_emoji[emoji]] = (count, names)
    return summaries


def _reactions(app, post_id: int) -> list[tuple[int, str]]:
    with app.app_context():
        return sorted(db.session.execute(
            db.select(Reaction.membership_id, Reaction.kind).where(Reaction.post_id == post_id)
        ).all())


def _thread(app, thread_id: int) -> Thread:
    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        db.session.expunge(thread)
        return thread


def _post(app, post_id: int) -> Post:
    with app.app_context():
        post = db.session.get(Post, post_id)
        db.session.expunge(post)
        return post


def _many_replies(world, slug: str, thread_id: int, authors, upto: int) -> None:
    """Replies until the thread has `upto` posts, in one app context; post n's body is
    "Bericht nummer nnn" (distinct bodies: identical ones count as a double submit)."""
    with world.ctx():
        actors = [world.actor(a.user_id) for a in authors]
        number = db.session.get(Thread, thread_id).post_count
        while number < upto:
            number += 1
            thread = db.session.get(Thread, thread_id)
            forum.reply(actors[number % len(actors)], thread, body=f"Bericht nummer {number:03d}")


# --- the space home ---------------------------------------------------------------------------


def test_announcements_are_pinned_on_the_home_before_other_threads(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    announcement = world.thread(slug, lead, title="Mededeling: rooster", kind="announcement")
    pinned_talk = world.thread(slug, lead, title="Vastgezet gesprek")
    with world.ctx():
        forum.set_pinned(world.actor(lead.user_id), db.session.get(Thread, pinned_talk), pinned=True)
    world.thread(slug, member, title="Gewoon gesprek")

    assert _thread(app, announcement).is_pinned
    login(client, member)
    html = _html(client.get(f"/s/{slug}/"))
    announcement_at = html.index("Mededeling: rooster")
    assert announcement_at < html.index('id="threads-heading"')
    # Announcements lead the pinned section, even when a pinned conversation is more recent.
    assert announcement_at < html.index("Vastgezet gesprek") < html.index('id="threads-heading"')
    assert html.index('id="threads-heading"') < html.index("Gewoon gesprek")


def test_home_lists_threads_by_latest_activity(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    oldest = world.thread(slug, lead, title="Eerste onderwerp")
    world.thread(slug, lead, title="Tweede onderwerp")
    world.thread(slug, lead, title="Derde onderwerp")
    world.reply(slug, oldest, member, "Hier een nieuw antwoord")

    login(client, member)
    html = _html(client.get(f"/s/{slug}/"))
    assert (html.index("Eerste onderwerp") < html.index("Derde onderwerp")
            < html.index("Tweede onderwerp"))


def test_home_paginates_threads_thirty_per_page(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    world.thread(slug, lead, title="Vaste mededeling", kind="announcement")
    for n in range(1, 36):
        world.thread(slug, member if n % 2 else lead, title=f"Gesprek {n:03d}", body=f"Tekst {n}")

    login(client, member)
    first = _html(client.get(f"/s/{slug}/"))
    second_response = client.get(f"/s/{slug}/?page=2")
    assert second_response.status_code == 200
    second = _html(second_response)

    assert len(_thread_rows(first)) == 30 + 1  # 30 threads and the pinned announcement
    assert len(_thread_rows(second)) == 5
    for n in range(6, 36):
        assert f"Gesprek {n:03d}" in first and f"Gesprek {n:03d}" not in second
    for n in range(1, 6):
        assert f"Gesprek {n:03d}" in second and f"Gesprek {n:03d}" not in first
    assert second.index("Gesprek 005") < second.index("Gesprek 001")
    assert "Vaste mededeling" in first and "Vaste mededeling" not in second
    assert f'href="/s/{slug}/?page=2"' in first


def test_home_shows_which_threads_have_new_posts_and_how_many(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    followed = world.thread(slug, lead, title="Gevolgd gesprek")
    own = world.thread(slug, member, title="Eigen gesprek")
    never_opened = world.thread(slug, lead, title="Nooit geopend")

    login(client, member)
    assert client.get(f"/s/{slug}/t/{followed}").status_code == 200  # reads post 1
    for n in range(3):
        world.reply(slug, followed, lead, f"Nieuw antwoord {n}")

    rows = _thread_rows(_html(client.get(f"/s/{slug}/")))
    assert rows[followed].startswith(' has-unread"')
    assert _ntr(app, "%(num)d new", "%(num)d new", 3) in rows[followed]
    assert f'href="/s/{slug}/t/{followed}?page=1#p2"' in rows[followed]
    assert "has-unread" not in rows[own]
    assert rows[never_opened].startswith(' has-unread"')
    assert _tr(app, "New") in rows[never_opened]


def test_opening_a_thread_goes_to_the_first_unread_post_and_reading_marks_it_read(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, lead, title="Lezen")
    login(client, member)
    assert client.get(f"/s/{slug}/t/{thread_id}").status_code == 200
    world.reply(slug, thread_id, lead, "Tweede bericht")
    world.reply(slug, thread_id, lead, "Derde bericht")

    response = client.get(f"/s/{slug}/t/{thread_id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/s/{slug}/t/{thread_id}?page=1#p2")
    page = client.get(f"/s/{slug}/t/{thread_id}?page=1")
    assert page.status_code == 200
    # The marker opens the first unread post (inside its list item, so the list stays a list).
    assert 'id="unread"' in _html(page).split('id="p2"')[1].split("</li>")[0]
    assert 'id="unread"' not in _html(page).split('id="p2"')[0]

    with app.app_context():
        state = db.session.scalar(db.select(ReadState).where(
            ReadState.thread_id == thread_id, ReadState.membership_id == member.membership_id))
        assert state.last_read_number == 3
    assert client.get(f"/s/{slug}/t/{thread_id}").status_code == 200  # nothing unread: no redirect
    rows = _thread_rows(_html(client.get(f"/s/{slug}/")))
    assert "has-unread" not in rows[thread_id]


def test_thread_pages_hold_fifty_posts_and_unread_redirect_finds_the_right_page(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, lead, title="Lang gesprek", body="Bericht nummer 001")
    _many_replies(world, slug, thread_id, [lead], upto=120)
    login(client, member)

    first = _html(client.get(f"/s/{slug}/t/{thread_id}"))  # never opened: page 1, no redirect
    assert sorted(_posts(first)) == list(range(1, 51))
    response = client.get(f"/s/{slug}/t/{thread_id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/s/{slug}/t/{thread_id}?page=2#p51")

    third = client.get(f"/s/{slug}/t/{thread_id}?page=3")
    assert third.status_code == 200
    html = _html(third)
    assert sorted(_posts(html)) == list(range(101, 121))
    assert "Bericht nummer 101" in html and "Bericht nummer 120" in html
    assert "Bericht nummer 100" not in html and "Bericht nummer 051" not in html
    with app.app_context():
        assert db.session.scalar(db.select(ReadState.last_read_number).where(
            ReadState.thread_id == thread_id,
            ReadState.membership_id == member.membership_id)) == 120


# --- editing and deleting ---------------------------------------------------------------------


def test_editing_keeps_a_revision_and_shows_the_post_as_edited(app, client, world):
    slug, lead = world.space()
    author = world.member(slug, lead)
    thread_id = world.thread(slug, lead, title="Bewerken")
    post_id = world.reply(slug, thread_id, author, "Oude tekst van mij")
    edited = _tr(app, "edited") + "</span>"

    assert edited not in _posts(_html(_lead_view(app, lead, slug, thread_id)))[2]
    login(client, author)
    token = csrf_token(client, f"/s/{slug}/p/{post_id}/edit")
    response = client.post(f"/s/{slug}/p/{post_id}/edit",
                           data={"csrf_token": token, "body": "Nieuwe tekst van mij"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/s/{slug}/t/{thread_id}?page=1#p2")

    with app.app_context():
        revisions = db.session.scalars(db.select(PostRevision).where(
            PostRevision.post_id == post_id)).all()
        assert [r.body for r in revisions] == ["Oude tekst van mij"]
        post = db.session.get(Post, post_id)
        assert post.body == "Nieuwe tekst van mij" and post.edited_at is not None
    shown = _posts(_html(_lead_view(app, lead, slug, thread_id)))[2]
    assert "Nieuwe tekst van mij" in shown and "Oude tekst van mij" not in shown
    assert edited in shown


def _lead_view(app, lead, slug, thread_id, page=1):
    other = app.test_client()
    login(other, lead)
    return other.get(f"/s/{slug}/t/{thread_id}?page={page}")


def test_only_the_author_may_edit_a_post(app, client, world):
    slug, lead = world.space()
    author = world.member(slug, lead)
    other = world.member(slug, lead)
    thread_id = world.thread(slug, lead, title="Van wie")
    post_id = world.reply(slug, thread_id, author, "Mijn eigen woorden")

    for person in (other, lead):
        visitor = app.test_client()
        login(visitor, person)
        assert visitor.get(f"/s/{slug}/p/{post_id}/edit").status_code == 403
        token = csrf_token(visitor, f"/s/{slug}/")
        response = visitor.post(f"/s/{slug}/p/{post_id}/edit",
                                data={"csrf_token": token, "body": "Overschreven"})
        assert response.status_code == 403
        response = visitor.post(f"/s/{slug}/p/{post_id}/delete", data={"csrf_token": token})
        assert response.status_code == 403
    post = _post(app, post_id)
    assert post.body == "Mijn eigen woorden" and post.deleted_at is None
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(PostRevision)) == 0


def test_deleting_a_post_is_soft_and_removes_its_reactions(app, client, world):
    slug, lead = world.space()
    author = world.member(slug, lead)
    fan = world.member(slug, lead)
    thread_id = world.thread(slug, lead, title="Spijt")
    post_id = world.reply(slug, thread_id, author, "Dit wil ik terugnemen")
    with world.ctx():
        post = db.session.get(Post, post_id)
        forum.set_reaction(world.actor(fan.user_id), post, kind="support", on=True)
        forum.set_reaction(world.actor(lead.user_id), post, kind="thanks", on=True)
    assert len(_reactions(app, post_id)) == 2

    login(client, author)
    token = csrf_token(client, f"/s/{slug}/t/{thread_id}?page=1")
    response = client.post(f"/s/{slug}/p/{post_id}/delete", data={"csrf_token": token})
    assert response.status_code == 302

    post = _post(app, post_id)
    assert post.deleted_at is not None  # the row stays, marked deleted
    assert _reactions(app, post_id) == []
    html = _html(_lead_view(app, lead, slug, thread_id))
    assert "Dit wil ik terugnemen" not in html
    shown = _posts(html)[2]
    assert shown.startswith(' deleted"')
    assert _tr(app, "message deleted") in shown
    assert author.name in shown  # still shown under the author's name
    assert "reaction-who" not in shown
    # A deleted post can no longer be edited or reacted to.
    assert client.get(f"/s/{slug}/p/{post_id}/edit").status_code == 403
    fan_client = app.test_client()
    login(fan_client, fan)
    token = csrf_token(fan_client, f"/s/{slug}/")
    fan_client.post(f"/s/{slug}/p/{post_id}/react", data={"csrf_token": token, "choice": "laugh:1"})
    assert _reactions(app, post_id) == []


# --- reactions --------------------------------------------------------------------------------


def _react(client, slug, post_id, choice):
    token = csrf_token(client, f"/s/{slug}/")
    return client.post(f"/s/{slug}/p/{post_id}/react", data={"csrf_token": token, "choice": choice})


def test_each_reaction_kind_counts_once_per_member_and_can_be_taken_back(app, client, world):
    slug, lead = world.space()
    sanne = world.member(slug, lead, name="Sanne")
    joost = world.member(slug, lead, name="Joost")
    thread_id = world.thread(slug, lead, title="Reageren")
    post_id = world.first_post_id(thread_id)

    login(client, sanne)
    assert _react(client, slug, post_id, "support:1").status_code == 302
    assert _react(client, slug, post_id, "support:1").status_code == 302
    assert _reactions(app, post_id) == [(sanne.membership_id, "support")]
    for kind in REACTIONS:
        _react(client, slug, post_id, f"{kind}:1")
    assert _reactions(app, post_id) == sorted((sanne.membership_id, k) for k in REACTIONS)

    joost_client = app.test_client()
    login(joost_client, joost)
    _react(joost_client, slug, post_id, "support:1")
    _react(client, slug, post_id, "thanks:0")
    _react(client, slug, post_id, "thanks:0")
    assert (sanne.membership_id, "thanks") not in _reactions(app, post_id)
    assert len(_reactions(app, post_id)) == 5

    summaries = _reaction_summaries(_posts(_html(_lead_view(app, lead, slug, thread_id)))[1])
    assert summaries == {
        "support": (2, ["Sanne", "Joost"]),
        "recognise": (1, ["Sanne"]),
        "strong": (1, ["Sanne"]),
        "laugh": (1, ["Sanne"]),
    }
    # Sanne's own reactions are shown as pressed buttons; thanks (taken back) is not.
    mine = _html(client.get(f"/s/{slug}/t/{thread_id}?page=1"))
    assert re.search(r'value="support:0"\s+class="react on" aria-pressed="true"', mine)
    assert 'value="thanks:1"' in mine


@pytest.mark.parametrize("choice", ["hug:1", "hug:0", "", ":1", "support", "SUPPORT:1",
                                    "x" * 500 + ":1", "support:1:1"])
def test_unknown_reaction_is_refused_without_error_and_stores_nothing(app, client, world, choice):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, lead, title="Vreemd")
    post_id = world.first_post_id(thread_id)
    login(client, member)
    response = _react(client, slug, post_id, choice)
    assert response.status_code in (302, 400)
    assert _reactions(app, post_id) == []
    assert client.get(f"/s/{slug}/t/{thread_id}?page=1").status_code == 200


# --- pin, lock, who starts what ---------------------------------------------------------------


def _toggle(client, slug, thread_id, what, on):
    token = csrf_token(client, f"/s/{slug}/")
    return client.post(f"/s/{slug}/t/{thread_id}/{what}", data={"csrf_token": token, "on": on})


def test_facilitator_pins_and_unpins_a_thread(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, member, title="Belangrijk gesprek")
    world.thread(slug, member, title="Later gesprek")
    login(client, lead)

    assert _toggle(client, slug, thread_id, "pin", "1").status_code == 302
    assert _thread(app, thread_id).is_pinned
    html = _html(client.get(f"/s/{slug}/"))
    assert html.index("Belangrijk gesprek") < html.index('id="threads-heading"')
    assert html.index("Belangrijk gesprek") < html.index("Later gesprek")

    assert _toggle(client, slug, thread_id, "pin", "0").status_code == 302
    assert not _thread(app, thread_id).is_pinned
    html = _html(client.get(f"/s/{slug}/"))
    assert html.index("Belangrijk gesprek") > html.index('id="threads-heading"')


def test_member_cannot_pin_or_lock_a_thread(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, member, title="Van mij")
    login(client, member)
    assert _toggle(client, slug, thread_id, "pin", "1").status_code == 403
    assert _toggle(client, slug, thread_id, "lock", "1").status_code == 403
    thread = _thread(app, thread_id)
    assert not thread.is_pinned and not thread.is_locked


def test_in_a_locked_thread_members_cannot_reply_but_the_facilitator_can(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, member, title="Slot erop")
    login(client, lead)
    assert _toggle(client, slug, thread_id, "lock", "1").status_code == 302
    assert _thread(app, thread_id).is_locked

    member_client = app.test_client()
    login(member_client, member)
    page = _html(member_client.get(f"/s/{slug}/t/{thread_id}?page=1"))
    assert f"/s/{slug}/t/{thread_id}/reply" not in page
    token = csrf_token(member_client, f"/s/{slug}/")
    response = member_client.post(f"/s/{slug}/t/{thread_id}/reply",
                                  data={"csrf_token": token, "body": "Toch nog iets"})
    assert response.status_code == 403
    assert _thread(app, thread_id).post_count == 1

    token = csrf_token(client, f"/s/{slug}/")
    response = client.post(f"/s/{slug}/t/{thread_id}/reply",
                           data={"csrf_token": token, "body": "Afsluitend woord"})
    assert response.status_code == 302
    assert _thread(app, thread_id).post_count == 2

    assert _toggle(client, slug, thread_id, "lock", "0").status_code == 302
    assert not _thread(app, thread_id).is_locked
    response = member_client.post(f"/s/{slug}/t/{thread_id}/reply",
                                  data={"csrf_token": token_for(member_client, slug),
                                        "body": "Nu weer open"})
    assert response.status_code == 302
    assert _thread(app, thread_id).post_count == 3


def token_for(client, slug):
    return csrf_token(client, f"/s/{slug}/")


def test_member_cannot_start_an_announcement(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    login(client, member)
    form = _html(client.get(f"/s/{slug}/t/new"))
    assert 'value="discussion"' in form and 'value="announcement"' not in form
    token = csrf_token(client, f"/s/{slug}/t/new")
    response = client.post(f"/s/{slug}/t/new", data={
        "csrf_token": token, "kind": "announcement", "title": "Ik kondig aan", "body": "Let op"})
    assert response.status_code in (400, 403)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Thread)) == 0
    with world.ctx(), pytest.raises(Forbidden):
        forum.start_thread(world.actor(member.user_id), world.space_obj(slug),
                           kind="announcement", title="Ik kondig aan", body="Let op")


# --- a fixed number of SQL statements per page -------------------------------------------------


def _join(world, slug, lead, person, name):
    token = world.invite_token(slug, lead, email=person.email)
    return world.accept(token, display_name=name, email_user=person)


def _count(app, client, path) -> int:
    with app.app_context():
        engine = db.engine
    with QueryCounter(engine) as counter:
        response = client.get(path)
    assert response.status_code == 200, path
    return counter.count


def _backend(app) -> str:
    with app.app_context():
        return db.engine.dialect.name


def test_space_home_query_count_does_not_grow_with_threads(app, client, world):
    reader = world.user()
    small, small_lead = world.space()
    big, big_lead = world.space()
    _join(world, small, small_lead, reader, "Lezer")
    big_reader = _join(world, big, big_lead, reader, "Lezer")
    authors = [big_lead, big_reader, *(world.member(big, big_lead) for _ in range(3))]

    # 3 threads (one a pinned announcement) against 40 by several authors, some with replies,
    # some read and some not, one more of them pinned.
    world.thread(small, small_lead, title="Welkom", kind="announcement")
    world.thread(small, small_lead, title="Klein gesprek")
    world.thread(small, small_lead, title="Nog een gesprek")
    world.thread(big, big_lead, title="Welkom", kind="announcement")
    for n in range(39):
        tid = world.thread(big, authors[n % len(authors)], title=f"Onderwerp {n}", body=f"Tekst {n}")
        if n % 3 == 0:
            world.reply(big, tid, authors[(n + 1) % len(authors)], f"Antwoord {n}")
        if n == 5:
            with world.ctx():
                forum.set_pinned(world.actor(big_lead.user_id), db.session.get(Thread, tid),
                                 pinned=True)
    with world.ctx():
        assert db.session.scalar(db.select(db.func.count()).select_from(Thread).where(
            Thread.space_id == world.space_obj(big).id)) == 40

    login(client, reader)
    client.get(f"/s/{small}/")  # warm-up
    client.get(f"/s/{big}/")
    assert len(_thread_rows(_html(client.get(f"/s/{big}/")))) == 32  # 2 pinned + 30
    small_count = _count(app, client, f"/s/{small}/")
    big_count = _count(app, client, f"/s/{big}/")
    print(f"\n[{_backend(app)}] SQL statements on the space home: "
          f"3 threads={small_count}, 40 threads={big_count}")
    assert small_count == big_count


def _reading_world(world):
    """A reader in two spaces: a thread of 3 posts without reactions, and one of 50 posts by
    five authors, each post with two or three kinds of reaction from each of five members.
    Returns (reader, small thread path, big thread path); the reader has read neither."""
    reader = world.user()
    small, small_lead = world.space()
    big, big_lead = world.space()
    _join(world, small, small_lead, reader, "Lezer")
    big_reader = _join(world, big, big_lead, reader, "Lezer")
    big_members = [world.member(big, big_lead, name=f"Deelnemer {n}") for n in range(4)]

    small_thread = world.thread(small, small_lead, title="Klein gesprek")
    world.reply(small, small_thread, small_lead, "Tweede")
    world.reply(small, small_thread, small_lead, "Derde")
    big_thread = world.thread(big, big_members[0], title="Groot gesprek")
    _many_replies(world, big, big_thread, [big_lead, *big_members], upto=50)
    with world.ctx():
        space_id = world.space_obj(big).id
        post_ids = db.session.scalars(db.select(Post.id).where(Post.thread_id == big_thread)).all()
        for i, post_id in enumerate(post_ids):
            for j, person in enumerate([big_reader, *big_members]):
                for kind in list(REACTIONS)[(i + j) % 3:(i + j) % 3 + 2 + (i + j) % 2]:
                    db.session.add(Reaction(space_id=space_id, post_id=post_id,
                                            membership_id=person.membership_id, kind=kind))
        db.session.commit()
        assert len(post_ids) == 50
    return reader, f"/s/{small}/t/{small_thread}?page=1", f"/s/{big}/t/{big_thread}?page=1"


def test_thread_page_query_count_does_not_grow_with_posts_or_reactions(app, client, world):
    reader, small_path, big_path = _reading_world(world)
    login(client, reader)
    client.get(small_path)  # warm-up (and the first read of both threads)
    client.get(big_path)
    big_page = _html(client.get(big_path))
    assert len(_posts(big_page)) == 50 and big_page.count('class="reaction-who"') >= 150
    small_count = _count(app, client, small_path)
    big_count = _count(app, client, big_path)
    print(f"\n[{_backend(app)}] SQL statements on the thread page (re-read): "
          f"3 posts={small_count}, 50 posts with reactions={big_count}")
    assert small_count == big_count


def test_thread_page_query_count_on_first_read_does_not_grow_with_posts(app, client, world):
    """Opening a page with unread posts also records the read position; that write must not
    make the page cost a query per post."""
    reader, small_path, big_path = _reading_world(world)
    login(client, reader)
    # Warm-up on other pages: the threads stay unread, and the day's visit to each space
    # (one UPDATE, app/spaces/visits.py) is already recorded.
    for path in (small_path, big_path):
        client.get(path.split("/t/")[0] + "/")
    small_count = _count(app, client, small_path)
    big_count = _count(app, client, big_path)
    print(f"\n[{_backend(app)}] SQL statements on the thread page (first read): "
          f"3 posts={small_count}, 50 posts with reactions={big_count}")
    assert small_count == big_count
