"""The thread page, the space home, the library and /notifications take the number of
statements pinned in tests/test_statement_counts.py whatever grows: posts, reactions (many
members, every kind), files on posts, conversations (many pages of them), library items and
notifications (pages of them, more than 99 unread)."""
from __future__ import annotations

from datetime import timedelta

from app.database import utcnow
from app.extensions import db
from tests.conftest import login
from tests.test_statement_counts import PINNED, _count

KINDS = ("support", "thanks", "recognise", "strong", "laugh")


def _grow(world, slug, lead, n: int) -> int:
    """n of everything in one space; returns the long conversation's id."""
    from app.forum import service as forum
    from app.forum.models import Post, Thread
    from app.library import service as library
    from app.notify.models import Notification
    from tests import uploadfiles as files

    people = [lead, *(world.member(slug, lead, name=f"Lid {slug} {k}") for k in range(min(n, 6)))]
    thread_id = world.thread(slug, lead, title="Het gesprek")
    for k in range(n):  # replies: each a notification for the lead
        world.reply(slug, thread_id, people[1 + k % (len(people) - 1)], f"Antwoord {k}")
    for k in range(n):  # conversations, some pinned announcements
        pinned = k % 10 == 0  # announcements: the facilitator's
        world.thread(slug, lead if pinned else people[k % len(people)], title=f"Onderwerp {k}",
                     kind="announcement" if pinned else "discussion")
    with world.ctx():
        space = world.space_obj(slug)
        thread = db.session.get(Thread, thread_id)
        posts = db.session.scalars(db.select(Post).where(Post.thread_id == thread_id)
                                   .order_by(Post.number).limit(50)).all()
        for k, post in enumerate(posts if n > 1 else []):  # reactions: every kind, many people
            for person in people[: 1 + k % len(people)]:
                forum.set_reaction(world.actor(person.user_id), post,
                                   kind=KINDS[(k + person.user_id) % 5], on=True)
        for k in range(n // 20):  # files on posts
            forum.reply(world.actor(lead.user_id), thread, body=f"Met bijlage {k}",
                        files=[files.storage_of(files.png(), "foto.png"),
                               files.storage_of(files.pdf(), "blad.pdf")])
        for k in range(n):  # library material
            library.add_item(world.actor(lead.user_id), space, kind="link", file=None,
                             title=f"Materiaal {k}", url=f"https://example.org/{k}",
                             category="tips", from_leads=True)
        now = utcnow()  # notifications past a page, and past the cap of the unread count
        db.session.execute(db.insert(Notification), [
            {"space_id": space.id, "user_id": lead.user_id, "membership_id": lead.membership_id,
             "kind": "new_member", "about_id": people[-1].membership_id,
             "created_at": now - timedelta(minutes=k)} for k in range(3 * n)])
        db.session.commit()
    return thread_id


def test_main_pages_take_as_many_statements_with_one_of_everything_as_with_pages_of_it(app, world):
    counts = {}
    for n in (1, 70):
        slug, lead = world.space(seat_limit=60)
        thread_id = _grow(world, slug, lead, n)
        client = app.test_client()
        login(client, lead)
        paths = {"thread page": f"/s/{slug}/t/{thread_id}?page=1",
                 "space home": f"/s/{slug}/", "library": f"/s/{slug}/library",
                 "notifications": "/notifications"}
        counts[n] = {page: _count(app, client, path) for page, path in paths.items()}
        if n > 1:  # the large space really has pages of everything
            assert 'rel="next"' in client.get(paths["space home"]).get_data(as_text=True)
            assert 'rel="next"' in client.get(paths["library"]).get_data(as_text=True)
            notifications = client.get(paths["notifications"]).get_data(as_text=True)
            assert 'rel="next"' in notifications and ">99+<" in notifications
    # As pinned, less what this space has none of: no post quotes another (the quotes'
    # query), no statement or assignment is listed on the home (their marks' query).
    expected = {"thread page": PINNED["thread page"] - 1, "space home": PINNED["space home"] - 1,
                "library": PINNED["library"], "notifications": PINNED["notifications"]}
    assert counts == {1: expected, 70: expected}, counts
