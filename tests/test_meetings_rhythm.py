"""Content on the rhythm: a meeting's preparation prompt and reflection thread, written
ahead (for one meeting or a whole series) as planned threads: published the set hours before
the start and at the end, moved with their meeting, dropped when it is cancelled."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.forum.models import Post, Thread
from app.forum.publish import publish_due
from app.meetings.models import Meeting
from tests.conftest import csrf_token, login
from tests.meetings import ZONE, day_ahead, meetings_of, plan, plan_series


def _client(app, person):
    client = app.test_client()
    login(client, person)
    return client


def _post(client, path, data):
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


CONTENT = {"preparation_title": "Voorbereiding", "preparation_body": "Denk na over je week.",
           "hours_before": "48", "reflection_title": "Nabespreking",
           "reflection_body": "Hoe was het vandaag?"}


def _threads(app, meeting: Meeting) -> tuple[Thread | None, Thread | None]:
    with app.app_context():
        found = tuple(db.session.get(Thread, i) if i else None
                      for i in (meeting.preparation_thread_id, meeting.reflection_thread_id))
        db.session.expunge_all()
        return found


def test_preparation_and_reflection_for_one_meeting_are_planned_threads(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    meeting_id = plan(world, slug, lead, day_ahead(6))
    response = _post(_client(app, lead), f"/s/{slug}/meetings/{meeting_id}/content",
                     {**CONTENT, "scope": "one"})
    assert response.status_code == 302
    [meeting] = meetings_of(world, slug)
    prep, reflection = _threads(app, meeting)
    assert prep.publish_at == meeting.starts_at - timedelta(hours=48)
    assert reflection.publish_at == meeting.ends_at
    assert prep.title.startswith("Voorbereiding (") and reflection.title.startswith("Nabespreking (")
    # Until then only the leads see them.
    member_client = _client(app, member)
    assert member_client.get(f"/s/{slug}/t/{prep.id}").status_code == 404
    assert "Nabespreking" not in member_client.get(f"/s/{slug}/").get_data(as_text=True)
    assert "Voorbereiding (" in _client(app, lead).get(f"/s/{slug}/planned").get_data(as_text=True)


def test_the_worker_publishes_them_at_their_moments(app, world, clock):
    slug, lead = world.space()
    member = world.member(slug, lead)
    meeting_id = plan(world, slug, lead, day_ahead(6))
    _post(_client(app, lead), f"/s/{slug}/meetings/{meeting_id}/content",
          {**CONTENT, "hours_before": "24", "scope": "one"})
    [meeting] = meetings_of(world, slug)
    prep, reflection = _threads(app, meeting)
    clock.move(meeting.starts_at - timedelta(hours=23) - _now())
    with app.app_context():
        assert publish_due() == 1
    assert _client(app, member).get(f"/s/{slug}/t/{prep.id}").status_code == 200
    assert _client(app, member).get(f"/s/{slug}/t/{reflection.id}").status_code == 404
    clock.move(timedelta(hours=25))
    with app.app_context():
        assert publish_due() == 1
    assert _client(app, member).get(f"/s/{slug}/t/{reflection.id}").status_code == 200


def _now():
    from app.database import utcnow

    return utcnow()


def test_for_a_whole_series_every_coming_meeting_gets_its_own_pair(app, world):
    slug, lead = world.space()
    ids = plan_series(world, slug, lead, day_ahead(4), count=4)
    client = _client(app, lead)
    for _ in range(2):  # sent twice: each meeting keeps the pair it got the first time
        response = _post(client, f"/s/{slug}/meetings/{ids[1]}/content",
                         {**CONTENT, "scope": "following"})
        assert response.status_code == 302
    meetings = meetings_of(world, slug)
    assert meetings[0].preparation_thread_id is None
    assert all(m.preparation_thread_id and m.reflection_thread_id for m in meetings[1:])
    with world.ctx():
        titles = db.session.scalars(select(Thread.title).where(Thread.publish_at.is_not(None))).all()
    assert len(titles) == 6 and len(set(titles)) == 6


def test_moving_a_meeting_moves_its_threads_and_cancelling_drops_them(app, world):
    slug, lead = world.space()
    meeting_id = plan(world, slug, lead, day_ahead(6))
    client = _client(app, lead)
    _post(client, f"/s/{slug}/meetings/{meeting_id}/content", {**CONTENT, "scope": "one"})
    [meeting] = meetings_of(world, slug)
    new_day = day_ahead(8)
    start = meeting.starts_at.astimezone(ZONE)
    response = _post(client, f"/s/{slug}/meetings/{meeting_id}/edit", {
        "start_date": new_day.isoformat(), "start_time": start.strftime("%H:%M"),
        "end_time": "22:00", "topic": "", "place": "", "room_url": "", "script": ""})
    assert response.status_code == 302
    [moved] = meetings_of(world, slug)
    prep, reflection = _threads(app, moved)
    assert prep.publish_at == moved.starts_at - timedelta(hours=48)
    assert reflection.publish_at == moved.ends_at
    with world.ctx():
        opening = db.session.scalar(select(Post).where(Post.thread_id == prep.id))
        assert opening.publish_at == prep.publish_at

    response = client.post(f"/s/{slug}/meetings/{meeting_id}/cancel", data={
        "csrf_token": csrf_token(client, f"/s/{slug}/meetings/{meeting_id}")})
    assert response.status_code == 302
    with world.ctx():
        assert db.session.scalar(select(Thread.id)) is None


def test_a_published_preparation_stays_when_the_meeting_is_cancelled(app, world, clock):
    slug, lead = world.space()
    meeting_id = plan(world, slug, lead, day_ahead(6))
    client = _client(app, lead)
    _post(client, f"/s/{slug}/meetings/{meeting_id}/content", {**CONTENT, "scope": "one"})
    [meeting] = meetings_of(world, slug)
    clock.move(meeting.starts_at - timedelta(hours=47) - _now())
    with app.app_context():
        publish_due()
    client.post(f"/s/{slug}/meetings/{meeting_id}/cancel", data={
        "csrf_token": csrf_token(client, f"/s/{slug}/meetings/{meeting_id}")})
    prep, reflection = _threads(app, meetings_of(world, slug)[0])
    assert prep is not None and prep.publish_at is None
    assert reflection is None


@pytest.mark.parametrize("data, field", [
    ({"preparation_title": "", "preparation_body": "", "reflection_title": "",
      "reflection_body": ""}, "preparation_title"),
    ({"hours_before": "0"}, "hours_before"),
    ({"hours_before": "veel"}, "hours_before"),
    ({"preparation_body": ""}, "preparation_body"),
    ({"reflection_title": ""}, "reflection_title"),
])
def test_bad_content_is_refused_at_the_field_with_the_text_kept(app, world, data, field):
    slug, lead = world.space()
    meeting_id = plan(world, slug, lead, day_ahead(6))
    response = _post(_client(app, lead), f"/s/{slug}/meetings/{meeting_id}/content",
                     {**CONTENT, "scope": "one", "reflection_body": "Mijn tekst blijft", **data})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert f'id="{field}-error"' in body
    if "reflection_body" not in data:
        assert "Mijn tekst blijft" in body
    with world.ctx():
        assert db.session.scalar(select(Thread.id)) is None


def test_the_demo_has_a_weekly_series_with_topics_and_planned_content_for_the_first(app):
    from app.meetings.models import Meeting

    result = app.test_cli_runner().invoke(args=["kring", "seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        meetings = list(db.session.scalars(select(Meeting).where(Meeting.series_id.is_not(None))
                                           .order_by(Meeting.starts_at)))
        assert len(meetings) == 6 and len({m.series_id for m in meetings}) == 1
        assert {m.starts_at.astimezone(ZONE).strftime("%a %H:%M") for m in meetings} == {"Tue 19:30"}
        assert meetings[0].topic == "Post openen zonder stress"
        assert meetings[0].preparation_thread_id and meetings[0].reflection_thread_id
