"""Posting a reply takes a pinned number of SQL statements: the same in a small group and a
big one, with one or many who took part, with or without a mention (issue 12). Telling the
others (app/forum/notices.py, app/notify) costs the same few statements for any number."""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.forum.models import Post, Thread
from app.notify.models import Notification
from app.notify.outbox import OutboxMessage
from tests.conftest import QueryCounter, csrf_token, login
from tests.plans import StatementCapture, plan, problems

# The session with its user, the poster's memberships, the thread; the thread's row lock,
# the check for a resent form, the new count, the post; the read position and the poster's
# notifications in the thread marked read; who is told (one statement), their settings, the
# notifications; the accounts of those mailed now and their mail (one INSERT for all).
# Before issue 12's work on the write path: 15.
PINNED_REPLY = 14


def _group(world, size: int):
    slug, lead = world.space(seat_limit=size + 5)
    members = [world.member(slug, lead) for _ in range(size)]
    return slug, lead, members


def _post_reply(app, person, slug: str, thread_id: int, body: str) -> int:
    client = app.test_client()
    login(client, person)
    path = f"/s/{slug}/t/{thread_id}"
    token = csrf_token(client, path)
    with app.app_context():
        engine = db.engine
    with QueryCounter(engine) as counter:
        response = client.post(f"{path}/reply", data={"csrf_token": token, "body": body})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return counter.count


def _told(app, thread_id: int) -> tuple[int, int]:
    """(notifications, mails) about the thread's newest post."""
    with app.app_context():
        newest = db.session.scalar(select(func.max(Notification.post_id)).where(
            Notification.thread_id == thread_id))
        ids = select(Notification.id).where(Notification.post_id == newest)
        return (db.session.scalar(select(func.count()).select_from(ids.subquery())),
                db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
                    OutboxMessage.notification_id.in_(ids))))


def test_a_reply_takes_the_same_statements_in_a_small_and_a_big_group(app, world):
    slug, lead, (one, poster) = _group(world, 2)
    small = world.thread(slug, lead)
    world.reply(slug, small, one, "Ik doe mee")
    small_count = _post_reply(app, poster, slug, small, "Ik ook")
    assert _told(app, small) == (2, 2)  # the starter and the one who took part, mailed now

    slug, lead, members = _group(world, 30)
    big = world.thread(slug, lead)
    for person in members[:25]:
        world.reply(slug, big, person, f"Bijdrage van {person.name}")
    big_count = _post_reply(app, members[-1], slug, big, "Ik lees al weken mee")
    assert _told(app, big) == (26, 26)

    mention = _post_reply(app, members[-2], slug, big, f"Dank je, @{members[-3].name}!")
    # The 27 who took part (the starter, 25, the reply above) and the one mentioned.
    assert _told(app, big) == (28, 28)
    with app.app_context():
        assert db.session.scalar(select(Notification.membership_id).where(
            Notification.thread_id == big, Notification.kind == "mention")) == \
            members[-3].membership_id
    assert small_count == big_count == mention == PINNED_REPLY


def test_a_form_sent_again_is_the_same_reply_behind_the_authors_later_replies(app, world):
    slug, lead, (member,) = _group(world, 1)
    thread_id = world.thread(slug, lead)
    first = world.reply(slug, thread_id, member, "Eerst dit")
    for n in range(3):
        world.reply(slug, thread_id, member, f"Daarna {n}")
    assert world.reply(slug, thread_id, member, "Eerst dit") == first


def _reply_plans(app, world) -> list[tuple[str, list[str]]]:
    """(statement, plan) of every SELECT and UPDATE a reply sends, in a thread where every
    member took part and the poster has unread notifications about it."""
    slug, lead, members = _group(world, 4)
    thread_id = world.thread(slug, lead)
    for n in range(3):
        for person in members:
            world.reply(slug, thread_id, person, f"Ronde {n} van {person.name}")
    client = app.test_client()
    login(client, members[0])
    path = f"/s/{slug}/t/{thread_id}?page=1"
    token = csrf_token(client, path)  # marks read: then others reply again
    for person in members[1:]:
        world.reply(slug, thread_id, person, f"Nog iets van {person.name}")
    with app.app_context():
        engine = db.engine
    with StatementCapture(engine, kinds=("SELECT", "UPDATE")) as captured:
        response = client.post(f"/s/{slug}/t/{thread_id}/reply",
                               data={"csrf_token": token, "body": "Mijn antwoord"})
    statements = captured.statements
    assert response.status_code == 302
    found = []
    with app.app_context():
        raw = engine.raw_connection()
        try:
            if engine.dialect.name == "postgresql":
                # Price out what an index could spare, as tests/test_list_indexes.py does:
                # on tables this small the planner would rightly scan.
                raw.driver_connection.execute("SET enable_seqscan = off")
            found = [(statement, plan(raw.driver_connection, statement, parameters))
                     for statement, parameters in statements]
        finally:
            raw.rollback()
            raw.close()
    return found


def test_what_a_reply_reads_goes_through_indexes_whatever_the_threads_length(app, world):
    """The resent-form check, who took part and the poster's notifications marked read go
    through 0028's indexes: no statement of a reply reads a whole big table."""
    plans = _reply_plans(app, world)
    assert not [(statement[:120], problems(lines)) for statement, lines in plans
                if problems(lines)]
    used = " ".join(line for _statement, lines in plans for line in lines)
    assert "ix_posts_thread_author" in used
    assert "ix_notifications_unread_thread" in used


def test_many_replies_at_once_are_all_stored_and_none_meets_a_locked_database(app, world):
    """Eight members reply together, five times each, each with a reader opening the thread
    (its read position is a write too): every reply gets its own number and nobody gets an
    error page (SQLite: a writer waits for the one write lock instead of failing)."""
    from tests.test_races import at_once, client_for

    slug, lead, members = _group(world, 8)
    thread_id = world.thread(slug, lead)
    path = f"/s/{slug}/t/{thread_id}"
    posters = [client_for(app, person, path) for person in members]
    reader, _token = client_for(app, lead, path)
    for round_ in range(5):
        responses = at_once(
            *((lambda c=c, t=t, n=n: c.post(f"{path}/reply", data={
                "csrf_token": t, "body": f"Ronde {round_}, lid {n}"}))
              for n, (c, t) in enumerate(posters)),
            lambda: reader.get(f"{path}?page=1"))
        assert [r.status_code for r in responses] == [302] * len(posters) + [200]
    with app.app_context():
        numbers = db.session.scalars(select(Post.number).where(Post.thread_id == thread_id)
                                     .order_by(Post.number)).all()
        assert numbers == list(range(1, 2 + 5 * len(posters)))
        assert db.session.get(Thread, thread_id).post_count == numbers[-1]
