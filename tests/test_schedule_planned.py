"""Planned content, the leads' side: bad moments refused with the text kept, who may plan
and see plans, and the planned page with its change, post-now and cancel controls."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.database import utcnow
from app.extensions import db
from app.forum.models import Post, Thread
from tests.conftest import csrf_token
from tests.schedule import (
    ahead, client_of, local, notes, plan_reply, plan_thread, publish, thread_id_of, tr,
)


# --- bad input --------------------------------------------------------------------------------


def test_bad_publication_moments_are_refused_at_the_field_with_the_text_kept(app, world):
    slug, lead = world.space()
    lead_client = client_of(app, lead)
    past = local(utcnow() - timedelta(hours=1))
    far = local(utcnow() + timedelta(days=400))
    soon = local(ahead(60))
    cases = {
        "past": past,
        "too far": far,
        "day only": {"publish_date": soon["publish_date"], "publish_time": ""},
        "time only": {"publish_date": "", "publish_time": soon["publish_time"]},
        "no such day": {"publish_date": "2027-02-31", "publish_time": "10:00"},
        "not a time": {"publish_date": soon["publish_date"], "publish_time": "25:99"},
        "garbage": {"publish_date": "morgen", "publish_time": "ochtend"},
    }
    for name, when in cases.items():
        response = plan_thread(lead_client, slug, when, title="Mijn titel <b>",
                                body="Mijn lange tekst blijft staan.")
        html = response.get_data(as_text=True)
        assert response.status_code == 400, name
        assert "Mijn titel &lt;b&gt;" in html and "Mijn lange tekst blijft staan." in html, name
        assert 'class="error"' in html and "aria-invalid" in html, name
        assert "<details class=\"schedule-fields\" open>" in html, name
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Thread)) == 0
    assert tr(app, "Choose a moment in the future, or leave the day and time empty to post now.") \
        in plan_thread(lead_client, slug, past).get_data(as_text=True)
    assert tr(app, "You can plan at most a year ahead.") \
        in plan_thread(lead_client, slug, far).get_data(as_text=True)


def test_a_moment_after_the_space_closes_is_refused(app, world):
    from app.spaces.models import Space

    slug, lead = world.space()
    with app.app_context():
        space = db.session.scalar(select(Space).where(Space.slug == slug))
        space.rental_end = utcnow().date() + timedelta(days=2)
        db.session.commit()
    response = plan_thread(client_of(app, lead), slug, local(utcnow() + timedelta(days=5)))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="publish_date-error"' in html and "Huiswerk week 2" in html


def test_a_bad_moment_on_a_reply_keeps_the_reply_text(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, member)
    response = plan_reply(client_of(app, lead), slug, thread_id,
                           local(utcnow() - timedelta(minutes=5)), body="Bewaar mij")
    assert response.status_code == 400 and "Bewaar mij" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Post)) == 1


# --- who may plan and see plans ---------------------------------------------------------------


def test_members_and_moderators_cannot_plan_or_see_the_planned_page(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    moderator = world.member(slug, lead, role="moderator")
    for person in (member, moderator):
        client = client_of(app, person)
        page = client.get(f"/s/{slug}/t/new").get_data(as_text=True)
        assert 'name="publish_date"' not in page
        assert f"/s/{slug}/planned" not in page  # no link in the group menu
        assert client.get(f"/s/{slug}/planned").status_code == 403
        # A moment sent anyway is refused, and nothing is written.
        response = plan_thread(client, slug, local(ahead(60)), kind="discussion")
        assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Thread)) == 0
    outsider_slug, outsider = world.space()
    assert client_of(app, outsider).get(f"/s/{slug}/planned").status_code == 404


def test_co_facilitator_plans_and_the_other_lead_sees_but_cannot_change_it(app, world):
    slug, lead = world.space()
    co = world.member(slug, lead, role="cofacilitator", name="Co")
    member = world.member(slug, lead)
    co_client, lead_client = client_of(app, co), client_of(app, lead)
    page = co_client.get(f"/s/{slug}/t/new").get_data(as_text=True)
    assert 'name="publish_date"' in page and 'name="publish_time"' in page
    thread_id = thread_id_of(plan_thread(co_client, slug, local(ahead(90)), kind="assignment",
                                        title="Opdracht van Co"))
    listing = lead_client.get(f"/s/{slug}/planned").get_data(as_text=True)
    assert "Opdracht van Co" in listing
    assert f"/s/{slug}/planned/t/{thread_id}" not in listing  # no controls: not the author
    assert lead_client.get(f"/s/{slug}/planned/t/{thread_id}").status_code == 403
    token = csrf_token(lead_client, f"/s/{slug}/planned")
    for action in ("publish", "cancel"):
        assert lead_client.post(f"/s/{slug}/planned/t/{thread_id}/{action}",
                                data={"csrf_token": token}).status_code == 403
    assert client_of(app, member).get(f"/s/{slug}/t/{thread_id}").status_code == 404


def test_another_spaces_planned_ids_are_not_found(app, world):
    slug, lead = world.space()
    other_slug, other_lead = world.space()
    thread_id = thread_id_of(plan_thread(client_of(app, other_lead), other_slug, local(ahead(60))))
    client = client_of(app, lead)
    for path in (f"/s/{slug}/t/{thread_id}", f"/s/{slug}/planned/t/{thread_id}"):
        assert client.get(path).status_code == 404, path


# --- the planned page -------------------------------------------------------------------------


def test_planned_page_lists_everything_soonest_first_with_its_moment(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, member, title="Lopend gesprek")
    client = client_of(app, lead)
    later, sooner = ahead(300), ahead(60)
    plan_thread(client, slug, local(later), title="Later bericht")
    plan_reply(client, slug, thread_id, local(sooner), body="Eerst dit antwoord")
    assert client.get(f"/s/{slug}/").status_code == 200
    nav = client.get(f"/s/{slug}/").get_data(as_text=True)
    assert f'href="/s/{slug}/planned"' in nav
    page = client.get(f"/s/{slug}/planned").get_data(as_text=True)
    assert page.index("Eerst dit antwoord") < page.index("Later bericht")
    with app.test_request_context():
        from flask_babel import force_locale

        from app.dates import format_moment
        with force_locale("nl"):
            assert tr(app, "planned for %(moment)s", moment=format_moment(later)) in page
    assert "Lopend gesprek" in page  # the reply says where it goes


def test_changing_a_plan_moves_it_and_keeps_no_edit_trace(app, world, clock):
    from app.forum.models import PostRevision, ThreadTitleRevision

    slug, lead = world.space()
    member = world.member(slug, lead)
    client = client_of(app, lead)
    thread_id = thread_id_of(plan_thread(client, slug, local(ahead(30))))
    token = csrf_token(client, f"/s/{slug}/planned/t/{thread_id}")
    new_moment = ahead(180)
    # A bad moment keeps the new text on the form.
    response = client.post(f"/s/{slug}/planned/t/{thread_id}", data={
        "csrf_token": token, "title": "Nieuwe titel", "body": "Nieuwe tekst",
        "publish_date": "", "publish_time": ""})
    assert response.status_code == 400 and "Nieuwe tekst" in response.get_data(as_text=True)
    response = client.post(f"/s/{slug}/planned/t/{thread_id}", data={
        "csrf_token": token, "title": "Nieuwe titel", "body": "Nieuwe tekst", **local(new_moment)})
    assert response.status_code == 302
    clock.move(timedelta(minutes=60))
    assert publish(app) == 0  # the old moment no longer counts
    clock.move(timedelta(minutes=121))
    assert publish(app) == 1
    with app.app_context():
        thread = db.session.get(Thread, thread_id)
        assert (thread.title, thread.created_at, thread.title_edited_at) == (
            "Nieuwe titel", new_moment, None)
        post = db.session.scalar(select(Post).where(Post.thread_id == thread_id))
        assert post.body == "Nieuwe tekst" and post.edited_at is None
        assert db.session.scalar(select(func.count()).select_from(PostRevision)) == 0
        assert db.session.scalar(select(func.count()).select_from(ThreadTitleRevision)) == 0
    assert client_of(app, member).get(f"/s/{slug}/t/{thread_id}").status_code == 200


def test_post_now_publishes_at_once_and_notifies(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, member)
    client = client_of(app, lead)
    plan_reply(client, slug, thread_id, local(ahead(600)), body="Toch nu al")
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.number.is_(None)))
    token = csrf_token(client, f"/s/{slug}/planned")
    response = client.post(f"/s/{slug}/planned/p/{post_id}/publish", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("#p2")
    with app.app_context():
        post = db.session.get(Post, post_id)
        assert post.number == 2 and post.publish_at is None
        assert post.created_at > utcnow() - timedelta(minutes=1)
    assert [n.membership_id for n in notes(app, post_id=post_id)] == [member.membership_id]
    # Published now: the plan controls are gone, the message is ordinary content.
    again = client.post(f"/s/{slug}/planned/p/{post_id}/publish", data={"csrf_token": token})
    assert again.status_code == 302 and len(notes(app, post_id=post_id)) == 1


def test_cancelling_a_plan_removes_it_without_a_trace(app, world, clock):
    slug, lead = world.space()
    member = world.member(slug, lead)
    client = client_of(app, lead)
    thread_id = thread_id_of(plan_thread(client, slug, local(ahead(30))))
    token = csrf_token(client, f"/s/{slug}/planned")
    response = client.post(f"/s/{slug}/planned/t/{thread_id}/cancel", data={"csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Thread, thread_id) is None
        assert db.session.scalar(select(func.count()).select_from(Post)) == 0
    clock.move(timedelta(minutes=31))
    assert publish(app) == 0 and notes(app, thread_id=thread_id) == []
    assert client_of(app, member).get(f"/s/{slug}/t/{thread_id}").status_code == 404
