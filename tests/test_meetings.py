"""Meeting pages: the list and one meeting for the group, planning a one-off meeting or a
series for the facilitators; other spaces, outsiders and other roles are refused; bad input
is refused at its field with the text kept; a form sent twice plans once."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.database import utcnow
from app.extensions import db
from app.meetings.models import Meeting
from app.spaces.models import Space
from tests.conftest import csrf_token, login
from tests.meetings import ZONE, at, day_ahead, fields, local_times, meetings_of, plan, plan_series


def _client(app, person):
    client = app.test_client()
    login(client, person)
    return client


def _post_plan(client, slug, data):
    token = csrf_token(client, f"/s/{slug}/meetings/new")
    return client.post(f"/s/{slug}/meetings/new", data={"csrf_token": token, **data})


def test_facilitator_plans_a_one_off_meeting_that_members_see_in_dutch_time(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    day = day_ahead(10)
    response = _post_plan(_client(app, lead), slug, fields(
        day, topic="Grenzen stellen", place="Buurthuis De Kring"))
    assert response.status_code == 302
    [meeting] = meetings_of(world, slug)
    assert local_times([meeting]) == [f"{day.isoformat()} 19:30"]
    assert meeting.ends_at - meeting.starts_at == timedelta(minutes=90)

    client = _client(app, member)
    listing = client.get(f"/s/{slug}/meetings").get_data(as_text=True)
    assert "Grenzen stellen" in listing and "19:30–21:00" in listing
    page = client.get(f"/s/{slug}/meetings/{meeting.id}")
    assert page.status_code == 200
    assert "Buurthuis De Kring" in page.get_data(as_text=True)


def test_facilitator_plans_a_weekly_series_ending_after_a_number_of_sessions(app, world):
    slug, lead = world.space()
    day = day_ahead(3)
    response = _post_plan(_client(app, lead), slug,
                          fields(day, repeat="weekly", session_count="6"))
    assert response.status_code == 302
    meetings = meetings_of(world, slug)
    assert len(meetings) == 6 and len({m.series_id for m in meetings}) == 1
    assert [m.starts_at.astimezone(ZONE).date() - meetings[0].starts_at.astimezone().date()
            for m in meetings][-1] == timedelta(days=35)
    assert {t[-5:] for t in local_times(meetings)} == {"19:30"}


def test_facilitator_plans_a_fortnightly_series_ending_on_a_day(app, world):
    slug, lead = world.space()
    day = day_ahead(2)
    response = _post_plan(_client(app, lead), slug, fields(
        day, repeat="fortnightly", last_day=(day + timedelta(days=43)).isoformat()))
    assert response.status_code == 302
    meetings = meetings_of(world, slug)
    assert [m.starts_at.astimezone(ZONE).date() for m in meetings] == [
        day + timedelta(days=14 * n) for n in range(4)]


def test_monthly_series_repeats_on_the_same_day_of_the_month(app, world):
    slug, lead = world.space()
    day = day_ahead(5).replace(day=12) if day_ahead(5).day <= 12 else day_ahead(30).replace(day=12)
    ids = plan_series(world, slug, lead, day, frequency="monthly", count=3)
    assert [m.starts_at.astimezone(ZONE).day for m in meetings_of(world, slug)] == [12, 12, 12]
    assert len(ids) == 3


@pytest.mark.parametrize("data, field, message", [
    ({"start_time": "21:00", "end_time": "19:30"}, "end_time", "De eindtijd moet na de begintijd"),
    ({"start_date": "gisteren"}, "start_date", "Not a valid date value"),
    ({"repeat": "weekly"}, "session_count", "wanneer de reeks stopt"),
    ({"repeat": "weekly", "session_count": "1"}, "session_count", "tussen 2 en"),
    ({"room_url": "javascript:alert(1)"}, "room_url", "https://"),
])
def test_bad_times_and_fields_are_refused_at_the_field_with_the_text_kept(app, world, data,
                                                                         field, message):
    slug, lead = world.space()
    client = _client(app, lead)
    sent = {**fields(day_ahead(4), topic="Mijn onderwerp blijft staan"), **data}
    response = _post_plan(client, slug, sent)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in body
    assert "Mijn onderwerp blijft staan" in body
    assert meetings_of(world, slug) == []


def test_a_meeting_in_the_past_is_refused(app, world):
    slug, lead = world.space()
    yesterday = day_ahead(-1)
    response = _post_plan(_client(app, lead), slug, fields(yesterday))
    assert response.status_code == 400
    assert "in de toekomst" in response.get_data(as_text=True)


def test_a_meeting_after_the_rental_ends_is_refused(app, world):
    slug, lead = world.space()
    with world.ctx():
        world.space_obj(slug).rental_end = day_ahead(5)
        db.session.commit()
    response = _post_plan(_client(app, lead), slug, fields(day_ahead(8)))
    assert response.status_code == 400
    assert 'id="start_date-error"' in response.get_data(as_text=True)


def test_a_plan_sent_twice_plans_one_meeting_and_one_series(app, world):
    slug, lead = world.space()
    client = _client(app, lead)
    once = fields(day_ahead(6))
    assert _post_plan(client, slug, once).status_code == 302
    assert _post_plan(client, slug, once).status_code == 302
    assert len(meetings_of(world, slug)) == 1
    series = fields(day_ahead(9), repeat="weekly", session_count="3")
    assert _post_plan(client, slug, series).status_code == 302
    assert _post_plan(client, slug, series).status_code == 302
    assert len(meetings_of(world, slug)) == 4


@pytest.mark.parametrize("role", ["member", "moderator", "cofacilitator"])
def test_only_facilitators_plan_meetings(app, world, role):
    slug, lead = world.space()
    person = world.member(slug, lead, role=role)
    client = _client(app, person)
    assert client.get(f"/s/{slug}/meetings/new").status_code == 403
    token = csrf_token(client, f"/s/{slug}/meetings")
    response = client.post(f"/s/{slug}/meetings/new",
                           data={"csrf_token": token, **fields(day_ahead(3))})
    assert response.status_code == 403
    assert meetings_of(world, slug) == []
    assert "Plan a meeting" not in client.get(f"/s/{slug}/meetings").get_data(as_text=True)


def test_another_spaces_meeting_is_not_found(app, world):
    slug, lead = world.space()
    other_slug, other_lead = world.space()
    foreign = plan(world, other_slug, other_lead, day_ahead(3))
    client = _client(app, lead)
    assert client.get(f"/s/{slug}/meetings/{foreign}").status_code == 404
    assert client.get(f"/s/{slug}/meetings/{foreign}/edit").status_code == 404
    token = csrf_token(client, f"/s/{slug}/meetings")
    assert client.post(f"/s/{slug}/meetings/{foreign}/cancel",
                       data={"csrf_token": token}).status_code == 404
    assert client.get(f"/s/{other_slug}/meetings/{foreign}").status_code == 404


def test_non_members_and_anonymous_visitors_do_not_reach_meetings(app, world):
    slug, lead = world.space()
    meeting = plan(world, slug, lead, day_ahead(3))
    outsider = _client(app, world.user())
    assert outsider.get(f"/s/{slug}/meetings").status_code == 404
    assert outsider.get(f"/s/{slug}/meetings/{meeting}").status_code == 404
    anonymous = app.test_client().get(f"/s/{slug}/meetings/{meeting}")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_the_room_link_shows_to_members_only_from_the_set_minutes_before_until_the_end(
        app, world, clock):
    slug, lead = world.space()
    member = world.member(slug, lead)
    with world.ctx():
        world.space_obj(slug).room_link_minutes = 30
        db.session.commit()
    day = day_ahead(2)
    meeting = plan(world, slug, lead, day, start="19:30", end="20:30",
                   room_url="https://video.example.org/kamer-7")
    client = _client(app, member)
    starts = at(day, "19:30")

    def shown_at(moment) -> bool:
        clock.move(moment - utcnow())
        return "video.example.org/kamer-7" in client.get(
            f"/s/{slug}/meetings/{meeting}").get_data(as_text=True)

    assert not shown_at(starts - timedelta(hours=5))
    assert not shown_at(starts - timedelta(minutes=31))
    assert shown_at(starts - timedelta(minutes=29))
    assert shown_at(starts + timedelta(minutes=59))
    assert not shown_at(starts + timedelta(minutes=61))  # after the end


def test_leads_see_the_script_and_members_never_do(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    co = world.member(slug, lead, role="cofacilitator")
    meeting = plan(world, slug, lead, day_ahead(3))
    with world.ctx():
        db.session.get(Meeting, meeting).script = "Rondje: hoe was je week?"
        db.session.commit()
    path = f"/s/{slug}/meetings/{meeting}"
    assert "Rondje: hoe was je week?" in _client(app, lead).get(path).get_data(as_text=True)
    assert "Rondje: hoe was je week?" in _client(app, co).get(path).get_data(as_text=True)
    assert "Rondje: hoe was je week?" not in _client(app, member).get(path).get_data(as_text=True)


def test_the_space_home_shows_the_next_meeting_not_a_cancelled_or_past_one(app, world):
    from app.meetings import service

    slug, lead = world.space()
    member = world.member(slug, lead)
    first = plan(world, slug, lead, day_ahead(2), topic="Eerste keer")
    plan(world, slug, lead, day_ahead(9), topic="Tweede keer")
    client = _client(app, member)
    home = client.get(f"/s/{slug}/").get_data(as_text=True)
    assert "Eerste keer" in home and "Tweede keer" not in home
    with world.ctx():
        service.cancel_meeting(world.actor(lead.user_id), db.session.get(Meeting, first))
    home = client.get(f"/s/{slug}/").get_data(as_text=True)
    assert "Tweede keer" in home and "Eerste keer" not in home


def test_public_queries_give_next_upcoming_and_meetings_between_spaces(app, world):
    from app.meetings import queries

    slug, lead = world.space()
    other_slug, other_lead = world.space()
    a = plan(world, slug, lead, day_ahead(2))
    b = plan(world, slug, lead, day_ahead(4))
    c = plan(world, other_slug, other_lead, day_ahead(3))
    with world.ctx():
        space, other = world.space_obj(slug), world.space_obj(other_slug)
        assert queries.next_meeting(space).id == a
        assert [m.id for m in queries.upcoming(space, limit=1)] == [a]
        now = utcnow()
        between = queries.meetings_between([space.id, other.id], now, now + timedelta(days=30))
        assert [m.id for m in between] == [a, c, b]
        assert queries.meetings_between([], now, now) == []
        actor = world.actor(lead.user_id)
        assert queries.get_meeting(actor, space, b).id == b
        from app.errors import NotFound

        with pytest.raises(NotFound):
            queries.get_meeting(actor, space, c)


def test_a_closed_group_numbers_its_sessions_and_fills_the_programme(app, world):
    slug, lead = world.space()
    with world.ctx():
        space = world.space_obj(slug)
        space.group_kind, space.planned_sessions = "closed", 5
        db.session.commit()
    response = _post_plan(_client(app, lead), slug, fields(day_ahead(3), repeat="weekly"))
    assert response.status_code == 302
    assert [m.session_number for m in meetings_of(world, slug)] == [1, 2, 3, 4, 5]
    # The programme is full: one more meeting is refused at the field.
    more = _post_plan(_client(app, lead), slug, fields(day_ahead(60)))
    assert more.status_code == 400 and "5 bijeenkomsten" in more.get_data(as_text=True)


def test_meetings_page_is_read_only_after_the_rental_ended(app, world):
    slug, lead = world.space()
    meeting = plan(world, slug, lead, day_ahead(3))
    with world.ctx():
        space = world.space_obj(slug)
        space.rental_start, space.rental_end = day_ahead(-60), day_ahead(-1)
        db.session.commit()
    client = _client(app, lead)
    assert client.get(f"/s/{slug}/meetings").status_code == 200
    assert client.get(f"/s/{slug}/meetings/{meeting}").status_code == 200
    assert client.get(f"/s/{slug}/meetings/new").status_code == 403
