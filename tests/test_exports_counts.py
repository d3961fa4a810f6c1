"""An export is built in a fixed number of statements, whatever the amount of content: one
query per kind of row (posts, revisions, reactions, ...), never one per row."""
from __future__ import annotations

from app.exports import service
from app.exports.builder import build_due_exports
from app.extensions import db
from app.forum import service as forum
from app.forum.models import Post
from tests.conftest import QueryCounter, login
from tests.exports import ask, build, confirm


def _activity(world, slug, lead, member, thread_id, n: int) -> None:
    for i in range(n):
        post_id = world.reply(slug, thread_id, member, f"Bericht {i}")
        with world.ctx():
            forum.edit_post(world.actor(member.user_id), db.session.get(Post, post_id),
                            body=f"Bericht {i}, aangepast")
            forum.set_reaction(world.actor(member.user_id),
                               db.session.get(Post, world.reply(slug, thread_id, lead, f"Ja {i}")),
                               kind="support", on=True)
        world.thread(slug, member, title=f"Onderwerp {i}", body=f"Start {i}")


def _statements(app) -> int:
    with app.app_context():
        with QueryCounter(db.engine) as counter:
            assert build_due_exports() == 1
    return counter.count


def test_a_personal_export_takes_the_same_statements_for_two_posts_or_forty(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, lead)
    counts = []
    for n in (1, 13):
        _activity(world, slug, lead, member, thread_id, n)
        with world.ctx():
            service.request_personal_export(world.actor(member.user_id))
        counts.append(_statements(app))
    assert counts[0] == counts[1], counts
    print("personal export statements:", counts)


def test_a_space_export_takes_the_same_statements_for_few_or_many_posts(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, lead)
    counts = []
    for n in (1, 13):
        _activity(world, slug, lead, member, thread_id, n)
        with world.ctx():
            service.request_space_export(world.actor(lead.user_id), world.space_obj(slug))
        counts.append(_statements(app))
    assert counts[0] == counts[1], counts
    print("space export statements:", counts)


def test_the_export_pages_take_a_fixed_number_of_statements(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    confirm(client, lead)
    ask(client)
    ask(client, f"/s/{slug}/export")
    build(app)
    counts = {}
    for path in ("/account/export", f"/s/{slug}/export"):
        client.get(path)
        with app.app_context():
            engine = db.engine
        with QueryCounter(engine) as counter:
            assert client.get(path).status_code == 200
        counts[path] = counter.count
    assert counts == {"/account/export": 4, f"/s/{slug}/export": 4}, counts
