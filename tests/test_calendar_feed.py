"""The private calendar feed: a member makes a webcal link (shown once), the feed validates
with the icalendar parser and holds the meetings of their usable memberships only, with
neutral titles by default and never a room link or a name; revoked, renewed, unknown and
password-changed tokens are 404; the local hour holds across the summer-time changes."""
from __future__ import annotations

import re
from datetime import date, timedelta, timezone

from icalendar import Calendar
from sqlalchemy import select

from app.extensions import db
from app.meetings.feed_models import CalendarFeed
from app.spaces import members
from app.spaces.models import Membership
from tests.attendance import add_meeting, client_of, local_at
from tests.conftest import PASSWORD, csrf_token, reauth


def _make_link(client) -> str:
    """Make (or renew) the link; the page after the redirect shows it once: its token."""
    token = csrf_token(client, "/account/calendar")
    page = client.post("/account/calendar/link", data={"csrf_token": token},
                       follow_redirects=True).get_data(as_text=True)
    return re.search(r'href="webcal://kring\.test/calendar/([\w-]+)\.ics"', page).group(1)


def _events(client, token: str) -> list:
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    return Calendar.from_ical(response.data).walk("VEVENT")


def test_member_makes_a_link_shown_once_and_the_feed_validates(app, world):
    slug, lead = world.space()
    sanne = world.member(slug, lead, name="Sanne")
    add_meeting(world, slug, topic="Grenzen stellen", place="Buurthuis De Linde, zaal 2",
                room_url="https://video.example.org/kamer-geheim")
    add_meeting(world, slug, starts_in=timedelta(days=9), cancelled=True)
    client = client_of(app, sanne)

    token = _make_link(client)

    assert token not in client.get("/account/calendar").get_data(as_text=True)  # once only
    with app.app_context():
        assert db.session.scalar(select(CalendarFeed.token_hash)) != token
    response = app.test_client().get(f"/calendar/{token}.ics")  # no login: a calendar app
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "no-store" in response.headers["Cache-Control"]
    assert "private" in response.headers["Cache-Control"]
    calendar = Calendar.from_ical(response.data)
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Groepsbijeenkomst", "Groepsbijeenkomst"]
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED", "CANCELLED"]
    text = response.get_data(as_text=True)
    for secret in ("Grenzen", "Linde", "kamer-geheim", "Sanne", "Begeleider", slug,
                   "video.example.org"):
        assert secret not in text, secret
    assert calendar.walk("VTIMEZONE")  # the local hour travels with its zone


def test_with_neutral_titles_off_the_feed_names_group_topic_and_place_but_no_room(app, world):
    slug, lead = world.space()
    add_meeting(world, slug, topic="Grenzen stellen", place="Buurthuis De Linde",
                room_url="https://video.example.org/kamer-geheim")
    client = client_of(app, lead)
    token = _make_link(client)
    response = client.post("/account/calendar/titles",
                           data={"csrf_token": csrf_token(client, "/account/calendar")})
    assert response.status_code == 302

    (event,) = _events(app.test_client(), token)

    assert str(event["SUMMARY"]) == f"Groep {slug}: Grenzen stellen"
    assert str(event["LOCATION"]) == "Buurthuis De Linde"
    feed = app.test_client().get(f"/calendar/{token}.ics").get_data(as_text=True)
    assert "kamer-geheim" not in feed and "Begeleider" not in feed
    client.post("/account/calendar/titles", data={
        "csrf_token": csrf_token(client, "/account/calendar"), "neutral_titles": "y"})
    (event,) = _events(app.test_client(), token)
    assert str(event["SUMMARY"]) == "Groepsbijeenkomst" and "LOCATION" not in event


def test_only_meetings_of_usable_memberships_are_in_the_feed(app, world):
    slug, lead = world.space()
    suspended_slug, suspended_lead = world.space()
    left_slug, left_lead = world.space()
    outside_slug, _outside_lead = world.space()
    sanne = world.user()
    for space_slug, space_lead in ((slug, lead), (suspended_slug, suspended_lead),
                                   (left_slug, left_lead)):
        token = world.invite_token(space_slug, space_lead, email=sanne.email)
        world.accept(token, display_name="Sanne", email_user=sanne)
    with world.ctx():
        by_space = dict(db.session.execute(select(Membership.space_id, Membership.id).where(
            Membership.user_id == sanne.user_id)).all())
        suspended_space = world.space_obj(suspended_slug)
        members.suspend_member(world.actor(suspended_lead.user_id),
                               db.session.get(Membership, by_space[suspended_space.id]),
                               until=None)
        left_space = world.space_obj(left_slug)
        members.leave_space(world.actor(sanne.user_id), left_space)
    kept = add_meeting(world, slug, topic="Blijft")
    for other in (suspended_slug, left_slug, outside_slug):
        add_meeting(world, other)
    token = _make_link(client_of(app, sanne))

    events = _events(app.test_client(), token)

    assert [str(e["UID"]).split("@")[0] for e in events] == [f"meeting-{kept}"]


def test_revoked_renewed_and_unknown_tokens_are_404(app, world):
    slug, lead = world.space()
    add_meeting(world, slug)
    client = client_of(app, lead)
    first = _make_link(client)
    second = _make_link(client)
    anonymous = app.test_client()

    assert anonymous.get(f"/calendar/{first}.ics").status_code == 404
    assert anonymous.get(f"/calendar/{second}.ics").status_code == 200
    assert anonymous.get("/calendar/nietbestaand.ics").status_code == 404
    assert anonymous.get(f"/calendar/{'x' * 300}.ics").status_code == 404
    response = client.post("/account/calendar/revoke",
                           data={"csrf_token": csrf_token(client, "/account/calendar")})
    assert response.status_code == 302
    assert anonymous.get(f"/calendar/{second}.ics").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(CalendarFeed.id)) is None


def test_a_double_click_on_make_link_leaves_one_feed(app, world):
    slug, lead = world.space()
    client = client_of(app, lead)
    token = csrf_token(client, "/account/calendar")
    for _ in range(2):
        assert client.post("/account/calendar/link", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert len(db.session.scalars(select(CalendarFeed.id)).all()) == 1


def test_a_password_change_and_a_reset_stop_the_old_link(app, world):
    from app.accounts import service as accounts

    slug, lead = world.space()
    client = client_of(app, lead)
    token = _make_link(client)
    reauth(client)
    response = client.post("/account/password", data={
        "csrf_token": csrf_token(client, "/account/password"), "current_password": PASSWORD,
        "new_password": "een heel nieuw wachtwoord"})
    assert response.status_code == 302
    assert app.test_client().get(f"/calendar/{token}.ics").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(CalendarFeed.neutral_titles)) is True  # choice kept

    token = _make_link(client)
    assert app.test_client().get(f"/calendar/{token}.ics").status_code == 200
    with app.test_request_context():
        accounts.request_password_reset(email=lead.email, client_ip="127.0.0.1")
        from app.accounts.models import PasswordReset
        from app.tokens import new_token

        raw, token_hash = new_token()
        reset = db.session.scalar(select(PasswordReset))
        reset.token_hash = token_hash
        db.session.commit()
        accounts.reset_password(token=raw, new_password="weer een ander wachtwoord")
    assert app.test_client().get(f"/calendar/{token}.ics").status_code == 404


def test_the_calendar_page_needs_a_login_and_is_no_place_for_operators(app, world):
    slug, lead = world.space()
    anonymous = app.test_client()
    assert anonymous.get("/account/calendar").status_code == 302
    assert anonymous.post("/account/calendar/link").status_code in (302, 400)
    operator = client_of(app, world.operator)
    assert operator.get("/account/calendar").status_code == 403
    token = csrf_token(operator, "/")
    assert operator.post("/account/calendar/link", data={"csrf_token": token}).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(CalendarFeed.id)) is None


def test_titles_without_a_link_are_refused_with_a_message(app, world):
    slug, lead = world.space()
    client = client_of(app, lead)
    response = client.post("/account/calendar/titles", data={
        "csrf_token": csrf_token(client, "/account/calendar"), "neutral_titles": "y"})
    assert response.status_code == 400
    assert "Maak eerst een agendalink." in response.get_data(as_text=True)


# --- summer time -----------------------------------------------------------------------------

def _next(month: int, weekday_after: int) -> date:
    """The next last Sunday of `month` (the change day in the EU) from today on."""
    year = date.today().year
    while True:
        last = date(year, month + 1, 1) - timedelta(days=1)
        change = last - timedelta(days=(last.weekday() - 6) % 7)
        if change > date.today():
            return change + timedelta(days=weekday_after)
        year += 1


def test_meetings_keep_their_local_hour_across_the_summer_time_changes(app, world):
    slug, lead = world.space()
    march, october = _next(3, 0), _next(10, 0)  # the Sundays the clocks change
    moments = [local_at(march - timedelta(days=1), 19, 30), local_at(march, 19, 30),
               local_at(march + timedelta(days=7), 19, 30),
               local_at(october - timedelta(days=7), 19, 30), local_at(october, 19, 30)]
    for moment in moments:  # the next October change is always within the feed's reach
        add_meeting(world, slug, starts_at=moment.astimezone(timezone.utc))
    token = _make_link(client_of(app, lead))

    events = _events(app.test_client(), token)

    starts = [e.decoded("DTSTART") for e in events]
    assert [(s.hour, s.minute) for s in starts] == [(19, 30)] * 5
    assert all(str(s.tzinfo) == "Europe/Amsterdam" for s in starts)
    utc_hours = [s.astimezone(timezone.utc).hour for s in starts]
    assert utc_hours == [18, 17, 17, 17, 18]  # winter UTC+1, summer UTC+2
    ends = [e.decoded("DTEND") for e in events]
    assert all(end - start == timedelta(minutes=90) for start, end in zip(starts, ends))
