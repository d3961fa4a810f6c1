"""Leaving a group: a facilitator sets a member's last meeting (leaves_on is the local day
that meeting ends), the farewell thread is planned for the meeting's end and opens then, and the
worker round ends the membership the day after. Wrong roles, other spaces, other spaces'
meetings, cancelled or past meetings and double submits are refused or harmless."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select

from app.extensions import db
from app.forum.models import Thread
from app.notify.kinds import MENTION
from app.notify.worker import run_once
from app.spaces.departure_models import Departure
from tests.conftest import csrf_token
from tests.departures import (
    ZONE, client_of, group, meeting, membership, notifications_of, plan, set_space,
    threads_titled, tr,
)

FAREWELL = "Afscheid van Marieke"


def _in_days(days: int, hour: int, minute: int = 0) -> datetime:
    """A UTC moment `days` from today at a UTC clock time."""
    day = date.today() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.utc)


def test_facilitator_sets_last_meeting_and_the_leaving_day_is_its_local_day(app, world):
    g = group(world)
    # 23:30 UTC is already the next day in Amsterdam.
    late = meeting(world, g.slug, starts_at=_in_days(5, 23, 30), minutes=60)
    lead = client_of(app, g.lead)
    response = plan(lead, g.slug, g.member.membership_id, late)
    assert response.status_code == 302
    assert membership(world, g.member).leaves_on == (_in_days(5, 23, 30).astimezone(ZONE).date())
    assert membership(world, g.member).leaves_on == date.today() + timedelta(days=6)
    page = lead.get(response.headers["Location"]).get_data(as_text=True)
    assert tr(app, "Last day in the group: %(date)s.", date="")[:20] in page
    # The member sees their leaving day on the members page; another member does not.
    assert "Laatste dag" in client_of(app, g.member).get(f"/s/{g.slug}/members").get_data(as_text=True)
    assert "Laatste dag" not in client_of(app, g.other).get(f"/s/{g.slug}/members").get_data(as_text=True)


def test_farewell_thread_is_planned_for_the_meeting_end_and_opens_then(app, world, clock):
    g = group(world)
    last = meeting(world, g.slug, starts_in=timedelta(days=1), minutes=90)
    assert plan(client_of(app, g.lead), g.slug, g.member.membership_id, last).status_code == 302
    [farewell] = threads_titled(world, g.slug, FAREWELL)
    with world.ctx():
        from app.meetings.models import Meeting
        ends_at = db.session.get(Meeting, last).ends_at
    assert farewell.publish_at == ends_at
    assert farewell.author_id == g.lead.membership_id
    member = client_of(app, g.member)
    assert member.get(f"/s/{g.slug}/t/{farewell.id}").status_code == 404  # not yet
    assert FAREWELL not in member.get(f"/s/{g.slug}/").get_data(as_text=True)

    clock.move(timedelta(days=1, minutes=89))  # a minute before the end
    with app.app_context():
        assert run_once()["published"] == 0
    clock.move(timedelta(minutes=2))
    with app.app_context():
        assert run_once()["published"] == 1
    assert member.get(f"/s/{g.slug}/t/{farewell.id}").status_code == 200
    assert FAREWELL in client_of(app, g.other).get(f"/s/{g.slug}/").get_data(as_text=True)
    # The leaving member is named in it, so they hear that it opened.
    assert [n.kind for n in notifications_of(world, g.member) if n.thread_id == farewell.id] == [MENTION]


def test_a_last_meeting_past_local_midnight_keeps_the_member_until_its_farewell_opens(
        app, world, clock):
    g = group(world)
    # 21:30-23:30 UTC: it starts one local day and ends the next, in winter and summer.
    start = _in_days(3, 21, 30)
    last = meeting(world, g.slug, starts_at=start, minutes=120)
    plan(client_of(app, g.lead), g.slug, g.member.membership_id, last)
    end = start + timedelta(minutes=120)
    assert start.astimezone(ZONE).date() != end.astimezone(ZONE).date()
    assert membership(world, g.member).leaves_on == end.astimezone(ZONE).date()
    [farewell] = threads_titled(world, g.slug, FAREWELL)

    clock.move(end + timedelta(minutes=1) - datetime.now(timezone.utc))
    with app.app_context():
        outcome = run_once()
    assert (outcome["published"], outcome["memberships_ended"]) == (1, 0)
    member = client_of(app, g.member)
    assert member.get(f"/s/{g.slug}/t/{farewell.id}").status_code == 200


def test_worker_ends_the_membership_the_day_after_the_leaving_day(app, world, clock):
    g = group(world)
    last = meeting(world, g.slug, starts_at=_in_days(2, 18), minutes=120)  # 19:00-21:00 local
    plan(client_of(app, g.lead), g.slug, g.member.membership_id, last)
    member = client_of(app, g.member)

    clock.move(_in_days(2, 22, 50) - datetime.now(timezone.utc))  # 23:50 local on the day
    with app.app_context():
        assert run_once()["memberships_ended"] == 0
    assert member.get(f"/s/{g.slug}/").status_code == 200
    assert membership(world, g.member).ended_at is None

    clock.move(timedelta(minutes=15))  # 00:05 local the next day
    with app.app_context():
        assert run_once()["memberships_ended"] == 1
        assert run_once()["memberships_ended"] == 0  # once only
    assert membership(world, g.member).ended_at is not None
    assert member.get(f"/s/{g.slug}/").status_code == 404
    assert client_of(app, g.other).get(f"/s/{g.slug}/").status_code == 200


def test_setting_the_same_last_meeting_twice_plans_one_farewell(app, world):
    g = group(world)
    last = meeting(world, g.slug)
    lead = client_of(app, g.lead)
    assert plan(lead, g.slug, g.member.membership_id, last).status_code == 302
    assert plan(lead, g.slug, g.member.membership_id, last).status_code == 302
    assert len(threads_titled(world, g.slug, FAREWELL)) == 1
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(Departure)) == 1


def test_another_last_meeting_moves_the_leaving_day_and_the_farewell(app, world):
    g = group(world)
    first = meeting(world, g.slug, starts_in=timedelta(days=2))
    later = meeting(world, g.slug, starts_in=timedelta(days=9), minutes=60)
    lead = client_of(app, g.lead)
    plan(lead, g.slug, g.member.membership_id, first)
    plan(lead, g.slug, g.member.membership_id, later)
    [farewell] = threads_titled(world, g.slug, FAREWELL)
    with world.ctx():
        from app.meetings.models import Meeting
        row = db.session.get(Meeting, later)
        assert farewell.publish_at == row.ends_at
        assert membership(world, g.member).leaves_on == row.starts_at.astimezone(ZONE).date()


def test_moving_the_last_meeting_moves_the_leaving_day_and_the_farewell(app, world):
    from app.meetings import service as meetings
    from app.meetings.models import Meeting

    g = group(world)
    last = meeting(world, g.slug, starts_at=_in_days(3, 18), minutes=90)
    plan(client_of(app, g.lead), g.slug, g.member.membership_id, last)
    with world.ctx():  # the facilitator moves it two days on, through the meetings service
        row = db.session.get(Meeting, last)
        meetings.edit_meeting(world.actor(g.lead.user_id), row, starts_at=_in_days(5, 18),
                              ends_at=_in_days(5, 19, 30), topic="", place="", room_url="")
    [farewell] = threads_titled(world, g.slug, FAREWELL)
    assert farewell.publish_at == _in_days(5, 19, 30)
    assert membership(world, g.member).leaves_on == date.today() + timedelta(days=5)


def test_withdrawing_keeps_the_member_and_drops_the_planned_farewell(app, world, clock):
    g = group(world)
    last = meeting(world, g.slug, starts_in=timedelta(days=1))
    lead = client_of(app, g.lead)
    plan(lead, g.slug, g.member.membership_id, last)
    path = f"/s/{g.slug}/members/{g.member.membership_id}/departure"
    token = csrf_token(lead, path)
    assert lead.post(path + "/withdraw", data={"csrf_token": token}).status_code == 302
    assert membership(world, g.member).leaves_on is None
    assert threads_titled(world, g.slug, FAREWELL) == []
    clock.move(timedelta(days=3))
    with app.app_context():
        assert run_once()["memberships_ended"] == 0
    assert membership(world, g.member).ended_at is None


def test_last_meeting_of_another_space_is_refused_at_the_field(app, world):
    g = group(world)
    other_slug, _other_lead = world.space()
    foreign = meeting(world, other_slug)
    response = plan(client_of(app, g.lead), g.slug, g.member.membership_id, foreign)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert tr(app, "Choose one of the group's coming meetings.") in page
    assert 'aria-invalid="true"' in page
    assert membership(world, g.member).leaves_on is None
    assert threads_titled(world, g.slug, FAREWELL) == []


def test_cancelled_past_unknown_and_malformed_meetings_are_refused(app, world, clock):
    g = group(world)
    cancelled = meeting(world, g.slug, cancelled=True)
    past = meeting(world, g.slug, starts_in=timedelta(hours=-3), minutes=60)
    lead = client_of(app, g.lead)
    for value in (cancelled, past, 999999, "", "abc", "1" * 40, "-1"):
        response = plan(lead, g.slug, g.member.membership_id, value)
        assert response.status_code == 400, value
        assert tr(app, "Choose one of the group's coming meetings.") in response.get_data(as_text=True)
    assert membership(world, g.member).leaves_on is None


def test_a_last_meeting_after_the_space_closes_is_refused(app, world):
    g = group(world)
    set_space(world, g.slug, rental_end=date.today() + timedelta(days=3))
    late = meeting(world, g.slug, starts_in=timedelta(days=10))
    response = plan(client_of(app, g.lead), g.slug, g.member.membership_id, late)
    assert response.status_code == 400
    assert membership(world, g.member).leaves_on is None


def test_only_facilitators_set_a_last_meeting(app, world):
    g = group(world)
    last = meeting(world, g.slug)
    co = world.member(g.slug, g.lead, role="cofacilitator", name="Co")
    moderator = world.member(g.slug, g.lead, role="moderator", name="Mod")
    path = f"/s/{g.slug}/members/{g.member.membership_id}/departure"
    for person in (g.other, co, moderator):
        client = client_of(app, person)
        assert client.get(path).status_code == 403
        token = csrf_token(client, f"/s/{g.slug}/members")
        assert client.post(path, data={"csrf_token": token, "meeting": str(last)}).status_code == 403
        assert client.post(path + "/withdraw", data={"csrf_token": token}).status_code == 403
    assert membership(world, g.member).leaves_on is None


def test_no_last_meeting_for_oneself_or_a_lead(app, world):
    g = group(world)
    meeting(world, g.slug)
    second = world.member(g.slug, g.lead, role="facilitator", name="Tweede")
    co = world.member(g.slug, g.lead, role="cofacilitator", name="Co")
    lead = client_of(app, g.lead)
    for target in (g.lead, second, co):
        assert lead.get(f"/s/{g.slug}/members/{target.membership_id}/departure").status_code == 403


def test_another_spaces_member_and_outsiders_get_404(app, world):
    g = group(world)
    other_slug, other_lead = world.space()
    stranger = world.member(other_slug, other_lead, name="Elders")
    last = meeting(world, g.slug)
    lead = client_of(app, g.lead)
    assert lead.get(f"/s/{g.slug}/members/{stranger.membership_id}/departure").status_code == 404
    response = plan(lead, g.slug, stranger.membership_id, last)
    assert response.status_code == 404
    outsider = client_of(app, world.user())
    assert outsider.get(f"/s/{g.slug}/members/{g.member.membership_id}/departure").status_code == 404
    assert membership(world, stranger).leaves_on is None


def test_the_departure_page_lists_only_the_groups_coming_meetings(app, world):
    g = group(world)
    meeting(world, g.slug, topic="Onze bijeenkomst")
    meeting(world, g.slug, topic="Afgelast", cancelled=True)
    other_slug, _l = world.space()
    meeting(world, other_slug, topic="Andere groep")
    page = client_of(app, g.lead).get(
        f"/s/{g.slug}/members/{g.member.membership_id}/departure").get_data(as_text=True)
    assert "Onze bijeenkomst" in page
    assert "Afgelast" not in page and "Andere groep" not in page


def test_departure_is_read_only_after_the_rental_ends(app, world):
    g = group(world)
    last = meeting(world, g.slug)
    set_space(world, g.slug, rental_start=date.today() - timedelta(days=30),
              rental_end=date.today() - timedelta(days=1))
    response = plan(client_of(app, g.lead), g.slug, g.member.membership_id, last)
    assert response.status_code == 403
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(Thread)) == 0


# Pinned: the facilitator's departure page and the member's own, whatever the number of
# meetings and members (the actor, the space, the member, the plan with its meeting, the
# coming meetings; the member's page has no list at all).
PLAN_PAGE_STATEMENTS = 6
MY_PAGE_STATEMENTS = 4


def _statements(app, client, path) -> int:
    from tests.conftest import QueryCounter

    client.get(path)
    with app.app_context():
        engine = db.engine
    with QueryCounter(engine) as counter:
        assert client.get(path).status_code == 200
    return counter.count


def test_departure_pages_take_a_pinned_number_of_statements(app, world):
    counts = []
    for meetings, members in ((1, 0), (25, 10)):
        g = group(world)
        for _n in range(members):
            world.member(g.slug, g.lead)
        last = [meeting(world, g.slug, starts_in=timedelta(days=n + 1)) for n in range(meetings)]
        plan(client_of(app, g.lead), g.slug, g.member.membership_id, last[-1])
        counts.append((
            _statements(app, client_of(app, g.lead),
                        f"/s/{g.slug}/members/{g.member.membership_id}/departure"),
            _statements(app, client_of(app, g.member), f"/s/{g.slug}/departure")))
    print(f"statements (plan page, own page): {counts}")
    assert counts[0] == counts[1] == (PLAN_PAGE_STATEMENTS, MY_PAGE_STATEMENTS)
