"""Planned content (scheduled seeding), publication: facilitators write a thread or reply
now with a publication moment; until then members find it nowhere (404 by id, in no list,
count or notification); the worker round publishes it at that moment, in the right place in
the activity order, and the notifications go out then. Tests move the clock."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from app.database import utcnow
from app.extensions import db
from app.forum.models import Post, ReadState, Thread
from app.forum.publish import publish_due, publish_reply, publish_thread
from app.notify.models import Notification
from app.notify.worker import run_once
from tests.conftest import csrf_token
from tests.schedule import (
    ahead, client_of, local, mail_directly, mails_to, notes, plan_reply, plan_thread, publish,
    space_id_of, thread_id_of,
)


# --- a planned thread -----------------------------------------------------------------------


def test_planned_thread_is_hidden_from_members_until_the_worker_publishes_it(app, world, clock):
    slug, lead = world.space()
    member = world.member(slug, lead, name="Sanne")
    older = world.thread(slug, member, title="Een ouder gesprek")
    lead_client, member_client = client_of(app, lead), client_of(app, member)
    moment = ahead(120)
    mail_directly(app, member, space_id=space_id_of(app, slug))
    mails = mails_to(app, member.email)  # the invitation

    response = plan_thread(lead_client, slug, local(moment))
    assert response.status_code == 302
    thread_id = thread_id_of(response)
    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        assert thread.publish_at == moment and thread.is_pinned
        post_id = db.session.scalar(select(Post.id).where(Post.thread_id == thread_id))

    # The lead sees it, marked; the member finds it nowhere and gets 404 by id.
    page = lead_client.get(f"/s/{slug}/t/{thread_id}").get_data(as_text=True)
    assert "Huiswerk week 2" in page and 'id="planned-notice"' in page
    assert 'id="reply"' not in page  # nobody replies before it is out
    home = member_client.get(f"/s/{slug}/").get_data(as_text=True)
    assert "Huiswerk week 2" not in home and f"/t/{thread_id}" not in home
    assert f"/t/{older}" in home
    for path in (f"/s/{slug}/t/{thread_id}", f"/s/{slug}/t/{thread_id}?page=1",
                 f"/s/{slug}/p/{post_id}/edit", f"/s/{slug}/p/{post_id}/flag"):
        assert member_client.get(path).status_code == 404, path
    token = csrf_token(member_client, f"/s/{slug}/")
    assert member_client.post(f"/s/{slug}/p/{post_id}/react",
                              data={"csrf_token": token, "choice": "thanks:1"}).status_code == 404
    assert member_client.post(f"/s/{slug}/t/{thread_id}/reply",
                              data={"csrf_token": token, "body": "Hoi"}).status_code == 404
    assert notes(app, thread_id=thread_id) == [] and mails_to(app, member.email) == mails

    # Not yet due: a worker round publishes nothing.
    with app.app_context():
        assert run_once()["published"] == 0
    assert member_client.get(f"/s/{slug}/t/{thread_id}").status_code == 404

    clock.move(timedelta(minutes=121))
    with app.app_context():
        assert run_once()["published"] == 1
        thread = db.session.get(Thread, thread_id)
        assert thread.publish_at is None
        assert thread.created_at == thread.last_post_at == moment  # its planned moment
        assert db.session.get(Post, post_id).publish_at is None
    assert member_client.get(f"/s/{slug}/t/{thread_id}").status_code == 200
    assert "Huiswerk week 2" in member_client.get(f"/s/{slug}/").get_data(as_text=True)
    got = notes(app, thread_id=thread_id)
    assert [(n.kind, n.membership_id) for n in got] == [("seed_content", member.membership_id)]
    assert mails_to(app, member.email) == mails + 1

    # A second round (or a second worker) publishes and notifies nothing again.
    with app.app_context():
        assert run_once()["published"] == 0
        assert publish_thread(thread_id) is False
    assert len(notes(app, thread_id=thread_id)) == 1


def test_published_thread_takes_its_place_in_the_activity_order(app, world, clock):
    slug, lead = world.space()
    member = world.member(slug, lead)
    lead_client = client_of(app, lead)
    planned = thread_id_of(plan_thread(lead_client, slug, local(ahead(30)), kind="discussion",
                                      title="Gepland gesprek"))
    before = world.thread(slug, member, title="Eerder gestart")
    clock.move(timedelta(minutes=45))
    after = world.thread(slug, member, title="Later gestart")
    assert publish(app) == 1
    home = client_of(app, member).get(f"/s/{slug}/").get_data(as_text=True)
    order = [int(i) for i in re.findall(r'href="/s/[^/]+/t/(\d+)', home)]
    assert [t for t in order if t in (before, planned, after)] == [after, planned, before]


# --- a planned reply ------------------------------------------------------------------------


def test_planned_reply_is_numbered_and_announced_only_at_publication(app, world, clock):
    slug, lead = world.space()
    member = world.member(slug, lead, name="Sanne")
    other = world.member(slug, lead, name="Kees")
    thread_id = world.thread(slug, member, title="Hoe gaat het?")
    lead_client, member_client = client_of(app, lead), client_of(app, member)
    moment = ahead(60)

    response = plan_reply(lead_client, slug, thread_id, local(moment), body="Dank, @Kees!")
    assert response.status_code == 302 and "#planned-" in response.headers["Location"]
    with app.app_context():
        post = db.session.scalar(select(Post).where(Post.thread_id == thread_id,
                                                    Post.publish_at.is_not(None)))
        post_id = post.id
        assert post.number is None
        assert db.session.get(Thread, thread_id).post_count == 1

    lead_page = lead_client.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)
    assert f'id="planned-{post_id}"' in lead_page and "Dank, @Kees!" in lead_page
    member_page = member_client.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)
    assert "Dank, @Kees!" not in member_page and "planned-" not in member_page
    for path in (f"/s/{slug}/p/{post_id}/edit", f"/s/{slug}/p/{post_id}/flag",
                 f"/s/{slug}/planned/p/{post_id}"):
        assert member_client.get(path).status_code in (403, 404), path
    assert member_client.get(f"/s/{slug}/p/{post_id}/edit").status_code == 404

    # Meanwhile a member replies: number 2. The planned reply will be number 3.
    world.reply(slug, thread_id, other, "Goed!")
    home = member_client.get(f"/s/{slug}/").get_data(as_text=True)
    assert "1 nieuw" in home or "1 new" in home  # only Kees's reply is new for Sanne
    assert notes(app, post_id=post_id) == []

    clock.move(timedelta(minutes=61))
    assert publish(app) == 1
    with app.app_context():
        post = db.session.get(Post, post_id)
        thread = db.session.get(Thread, thread_id)
        assert (post.number, post.publish_at, post.created_at) == (3, None, moment)
        assert thread.post_count == 3 and thread.last_post_at == moment
    recipients = {n.membership_id: n.kind for n in notes(app, post_id=post_id)}
    assert recipients == {member.membership_id: "reply", other.membership_id: "mention"}
    page = member_client.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)
    assert 'id="p3"' in page and "Dank, @Kees!" in page
    assert publish(app) == 0 and len(notes(app, post_id=post_id)) == 2


def test_author_who_had_read_everything_does_not_see_their_published_reply_as_new(app, world, clock):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, member)
    lead_client = client_of(app, lead)
    lead_client.get(f"/s/{slug}/t/{thread_id}?page=1")  # read up to 1
    plan_reply(lead_client, slug, thread_id, local(ahead(20)))
    clock.move(timedelta(minutes=21))
    assert publish(app) == 1
    with app.app_context():
        assert db.session.scalar(select(ReadState.last_read_number).where(
            ReadState.thread_id == thread_id,
            ReadState.membership_id == lead.membership_id)) == 2


def test_two_rounds_at_once_publish_and_notify_once(app, world, clock):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, member)
    lead_client = client_of(app, lead)
    plan_reply(lead_client, slug, thread_id, local(ahead(10)))
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.number.is_(None)))
    clock.move(timedelta(minutes=11))
    with app.app_context():
        assert publish_reply(post_id, due_by=utcnow()) is True
        db.session.commit()
        # A second worker that had picked the same id finds it claimed already.
        assert publish_reply(post_id, due_by=utcnow()) is False
        db.session.commit()
    assert len(notes(app, post_id=post_id)) == 1


def test_the_demo_has_one_planned_announcement_only_the_facilitators_see(app):
    """Besides it, the demo plans the meetings' preparation and reflection threads
    (app/meetings) and the farewell of its leaving member (app/spaces/departure_demo.py)."""
    from app.demo import CONTENT

    assert app.test_cli_runner().invoke(args=["kring", "seed-demo"]).exit_code == 0
    with app.app_context():
        planned = db.session.scalars(select(Thread).where(Thread.publish_at.is_not(None))).all()
        assert [t.title for t in planned if t.kind == "announcement"] == [
            CONTENT["planned"][0]["title"]]
        assert ("discussion", "Afscheid van Wim") in {(t.kind, t.title) for t in planned}
        assert all(t.publish_at > utcnow() for t in planned)


def test_two_workers_running_together_publish_every_item_once(app, world, clock):
    import threading

    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, member)
    client = client_of(app, lead)
    for n in range(3):
        plan_thread(client, slug, local(ahead(10 + n)), title=f"Gepland {n}", body=f"Tekst {n}")
        plan_reply(client, slug, thread_id, local(ahead(10 + n)), body=f"Antwoord {n}")
    clock.move(timedelta(minutes=15))
    barrier, counts = threading.Barrier(2), []

    def worker():
        with app.app_context():
            barrier.wait()
            counts.append(publish_due())
            db.session.remove()

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert sum(counts) == 6
    with app.app_context():
        numbers = db.session.scalars(select(Post.number).where(Post.thread_id == thread_id)
                                     .order_by(Post.number)).all()
        assert numbers == [1, 2, 3, 4]  # gap-free, each reply numbered once
        assert db.session.get(Thread, thread_id).post_count == 4
        seeds = db.session.scalar(select(func.count()).select_from(Notification)
                                  .where(Notification.kind == "seed_content"))
        assert seeds == 3  # one member, three announcements, each announced once


def _member_view(client, slug) -> dict[str, str]:
    """What a member's pages say, without the per-render CSRF tokens."""
    paths = [f"/s/{slug}/", *(f"/s/{slug}/?kind={k}" for k in ("announcement", "assignment",
                                                              "statement")),
             "/notifications", "/"]
    return {path: re.sub(r'(name="csrf_token"[^>]*value=")[^"]+|nonce="[^"]*"', r"\1",
                         client.get(path).get_data(as_text=True)) for path in paths}


def test_planning_changes_nothing_a_member_sees_until_publication(app, world, clock):
    """Lists, tabs, counts, unread markers, notifications: byte for byte the same while a
    thread of every seeding kind and a reply are planned."""
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, member, title="Bestaand gesprek")
    world.reply(slug, thread_id, lead, "Een eerste antwoord")
    member_client, lead_client = client_of(app, member), client_of(app, lead)
    before = _member_view(member_client, slug)
    for kind in ("announcement", "assignment", "statement", "discussion"):
        plan_thread(lead_client, slug, local(ahead(30)), kind=kind, title=f"Gepland {kind}")
    plan_reply(lead_client, slug, thread_id, local(ahead(30)), body="Gepland antwoord")
    assert _member_view(member_client, slug) == before
    clock.move(timedelta(minutes=31))
    assert publish(app) == 5
    after = _member_view(member_client, slug)
    assert "Gepland announcement" in after[f"/s/{slug}/"]
    assert "Gepland assignment" in after[f"/s/{slug}/"]


def test_a_planned_posts_files_are_not_found_for_members_until_publication(app, world, clock):
    from app.uploads.service import store_upload, upload_url
    from tests.uploadfiles import pdf, storage_of

    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, member)
    lead_client, member_client = client_of(app, lead), client_of(app, member)
    plan_reply(lead_client, slug, thread_id, local(ahead(30)), body="Met bijlage")
    with app.test_request_context():
        post = db.session.scalar(select(Post).where(Post.number.is_(None)))
        upload = store_upload(world.actor(lead.user_id), world.space_obj(slug),
                              storage_of(pdf(), "schema.pdf"), post=post)
        db.session.commit()
        url = upload_url(world.space_obj(slug), upload)
    assert lead_client.get(url).status_code == 200
    assert member_client.get(url).status_code == 404
    clock.move(timedelta(minutes=31))
    assert publish(app) == 1
    assert member_client.get(url).status_code == 200


def test_cancelling_a_planned_post_removes_its_files(app, world):
    import os

    from app.uploads.models import Upload
    from app.uploads.service import store_upload
    from tests.uploadfiles import pdf, storage_of

    slug, lead = world.space()
    thread_id = world.thread(slug, lead)
    client = client_of(app, lead)
    plan_reply(client, slug, thread_id, local(ahead(30)), body="Met bijlage")
    with app.test_request_context():
        post = db.session.scalar(select(Post).where(Post.number.is_(None)))
        post_id = post.id
        store_upload(world.actor(lead.user_id), world.space_obj(slug),
                     storage_of(pdf(), "schema.pdf"), post=post)
        db.session.commit()
    root = app.config["UPLOAD_FOLDER"]
    files = lambda: [f for _d, _s, names in os.walk(root) for f in names]  # noqa: E731
    assert len(files()) == 1
    token = csrf_token(client, f"/s/{slug}/planned")
    assert client.post(f"/s/{slug}/planned/p/{post_id}/cancel",
                       data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Upload)) == 0
    assert files() == []
