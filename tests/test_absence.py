"""Absence: a member cancels for a meeting ("Ik meld me af") with an optional reason that
only the facilitators see, takes it back before the start, or marks a period away; other
members never see anyone's absence. Bad paths: wrong role 403, other space and non-member
404, too long a reason and impossible periods at the field (400, text kept), double submit."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.meetings.models import Attendance
from tests.attendance import add_meeting, attendance_of, away_rows, client_of, local_at
from tests.conftest import csrf_token


def _cancel(client, slug, meeting_id, reason="", token=None):
    token = token or csrf_token(client, f"/s/{slug}/meetings/{meeting_id}/absence")
    return client.post(f"/s/{slug}/meetings/{meeting_id}/absence",
                       data={"csrf_token": token, "reason": reason})


def test_member_cancels_with_a_reason_only_the_facilitators_see(app, world):
    slug, lead = world.space()
    sanne = world.member(slug, lead, name="Sanne")
    kees = world.member(slug, lead, name="Kees")
    meeting_id = add_meeting(world, slug, topic="Grenzen stellen")
    sanne_client, kees_client = client_of(app, sanne), client_of(app, kees)

    response = _cancel(sanne_client, slug, meeting_id, "Afspraak bij de tandarts")

    assert response.status_code == 302
    row = attendance_of(app, meeting_id, sanne.membership_id)
    assert row.cancelled_at is not None and row.reason == "Afspraak bij de tandarts"
    lead_page = client_of(app, lead).get(f"/s/{slug}/meetings/{meeting_id}/attendance")
    text = lead_page.get_data(as_text=True)
    assert lead_page.status_code == 200
    assert "Sanne" in text and "Afspraak bij de tandarts" in text and "Afgemeld" in text
    # Sanne sees her own cancellation and reason; Kees sees neither hers nor her name.
    own = sanne_client.get(f"/s/{slug}/meetings/{meeting_id}/absence").get_data(as_text=True)
    assert "Je hebt je afgemeld voor deze bijeenkomst." in own
    for path in (f"/s/{slug}/meetings/{meeting_id}/absence", f"/s/{slug}/meetings/mine",
                 f"/s/{slug}/meetings/away"):
        page = kees_client.get(path).get_data(as_text=True)
        assert "tandarts" not in page and "Sanne" not in page, path
    assert kees_client.get(f"/s/{slug}/meetings/{meeting_id}/attendance").status_code == 403
    assert kees_client.get(f"/s/{slug}/members/{sanne.membership_id}/attendance").status_code == 403


def test_cancelling_twice_keeps_one_cancellation_with_the_latest_reason(app, world):
    slug, lead = world.space()
    sanne = world.member(slug, lead)
    meeting_id = add_meeting(world, slug)
    client = client_of(app, sanne)
    token = csrf_token(client, f"/s/{slug}/meetings/{meeting_id}/absence")

    assert _cancel(client, slug, meeting_id, "Ziek", token).status_code == 302
    assert _cancel(client, slug, meeting_id, "Ziek", token).status_code == 302
    assert _cancel(client, slug, meeting_id, "Griep", token).status_code == 302

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1
    assert attendance_of(app, meeting_id, sanne.membership_id).reason == "Griep"


def test_member_takes_a_cancellation_back_before_the_start_and_not_after(app, world, clock):
    slug, lead = world.space()
    sanne = world.member(slug, lead)
    meeting_id = add_meeting(world, slug, starts_in=timedelta(hours=2))
    other_id = add_meeting(world, slug, starts_in=timedelta(hours=3))
    client = client_of(app, sanne)
    token = csrf_token(client, f"/s/{slug}/meetings/{meeting_id}/absence")
    _cancel(client, slug, meeting_id, "Druk", token)
    _cancel(client, slug, other_id, "Druk", token)

    response = client.post(f"/s/{slug}/meetings/{meeting_id}/absence/withdraw",
                           data={"csrf_token": token})

    assert response.status_code == 302
    row = attendance_of(app, meeting_id, sanne.membership_id)
    assert row.cancelled_at is None and row.reason == ""
    clock.move(timedelta(hours=4))  # both meetings have started
    assert client.post(f"/s/{slug}/meetings/{other_id}/absence/withdraw",
                       data={"csrf_token": token}).status_code == 403
    assert _cancel(client, slug, meeting_id, "Toch niet", token).status_code == 403
    assert attendance_of(app, other_id, sanne.membership_id).cancelled_at is not None
    assert attendance_of(app, meeting_id, sanne.membership_id).cancelled_at is None


def test_nobody_cancels_for_a_meeting_the_facilitators_cancelled(app, world):
    slug, lead = world.space()
    sanne = world.member(slug, lead)
    meeting_id = add_meeting(world, slug, cancelled=True)
    client = client_of(app, sanne)
    page = client.get(f"/s/{slug}/meetings/{meeting_id}/absence").get_data(as_text=True)
    assert "afmelden kan niet meer" in page
    assert _cancel(client, slug, meeting_id, "x", csrf_token(client, "/")).status_code == 403
    assert attendance_of(app, meeting_id, sanne.membership_id) is None


def test_too_long_a_reason_is_refused_at_the_field_with_the_text_kept(app, world):
    slug, lead = world.space()
    sanne = world.member(slug, lead)
    meeting_id = add_meeting(world, slug)
    reason = "Lang verhaal " * 100

    response = _cancel(client_of(app, sanne), slug, meeting_id, reason)

    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="reason-error"' in text and "Lang verhaal Lang verhaal" in text
    assert attendance_of(app, meeting_id, sanne.membership_id) is None


def test_another_spaces_meeting_and_an_outsider_get_404(app, world):
    slug, lead = world.space()
    other_slug, other_lead = world.space()
    sanne = world.member(slug, lead)
    foreign = add_meeting(world, other_slug)
    own = add_meeting(world, slug)
    client = client_of(app, sanne)
    token = csrf_token(client, "/")
    for path in (f"/s/{slug}/meetings/{foreign}/absence",
                 f"/s/{slug}/meetings/{foreign}/attendance",
                 f"/s/{other_slug}/meetings/{foreign}/absence"):
        assert client.get(path).status_code == 404, path
    assert _cancel(client, slug, foreign, "x", token).status_code == 404
    assert client.post(f"/s/{slug}/meetings/{foreign}/absence/withdraw",
                       data={"csrf_token": token}).status_code == 404
    outsider = client_of(app, world.user())
    for path in (f"/s/{slug}/meetings/{own}/absence", f"/s/{slug}/meetings/mine",
                 f"/s/{slug}/meetings/away", f"/s/{slug}/meetings/{own}/attendance"):
        assert outsider.get(path).status_code == 404, path
    lead_client = client_of(app, lead)
    assert lead_client.get(f"/s/{slug}/meetings/{foreign}/attendance").status_code == 404
    assert lead_client.get(f"/s/{slug}/members/{other_lead.membership_id}/attendance"
                           ).status_code == 404


# --- periods away ----------------------------------------------------------------------------

def _away(client, slug, first, last, reason="", token=None):
    token = token or csrf_token(client, f"/s/{slug}/meetings/away")
    return client.post(f"/s/{slug}/meetings/away", data={
        "csrf_token": token, "first_day": first.isoformat(), "last_day": last.isoformat(),
        "reason": reason})


def test_a_period_away_counts_its_meetings_as_cancelled_for_the_facilitators(app, world):
    slug, lead = world.space()
    sanne = world.member(slug, lead, name="Sanne")
    day = date.today() + timedelta(days=10)
    inside = add_meeting(world, slug, starts_at=local_at(day, 19, 30))
    outside = add_meeting(world, slug, starts_at=local_at(day + timedelta(days=7), 19, 30))
    client = client_of(app, sanne)

    response = _away(client, slug, day - timedelta(days=2), day + timedelta(days=2),
                     "Opname in de kliniek")

    assert response.status_code == 302
    lead_client = client_of(app, lead)
    inside_page = lead_client.get(f"/s/{slug}/meetings/{inside}/attendance").get_data(as_text=True)
    assert 'data-status="away"' in inside_page and "Opname in de kliniek" in inside_page
    outside_page = lead_client.get(f"/s/{slug}/meetings/{outside}/attendance").get_data(as_text=True)
    assert 'data-status="away"' not in outside_page
    mine = client.get(f"/s/{slug}/meetings/mine").get_data(as_text=True)
    assert "Er niet" in mine
    # The same period sent again stays one period.
    _away(client, slug, day - timedelta(days=2), day + timedelta(days=2), "Opname")
    assert len(away_rows(app, sanne.membership_id)) == 1


def test_impossible_periods_are_refused_at_the_field_with_the_text_kept(app, world):
    slug, lead = world.space()
    sanne = world.member(slug, lead)
    client = client_of(app, sanne)
    today = date.today()
    cases = [
        (today + timedelta(days=5), today + timedelta(days=2), "last_day"),  # backwards
        (today - timedelta(days=9), today - timedelta(days=3), "last_day"),  # over
        (today + timedelta(days=400), today + timedelta(days=401), "first_day"),  # far ahead
        (today, today + timedelta(days=500), "last_day"),  # too long
    ]
    for first, last, field in cases:
        response = _away(client, slug, first, last, "Mijn eigen uitleg")
        text = response.get_data(as_text=True)
        assert response.status_code == 400, (first, last)
        assert f'id="{field}-error"' in text and "Mijn eigen uitleg" in text, (first, last)
    response = client.post(f"/s/{slug}/meetings/away", data={
        "csrf_token": csrf_token(client, "/"), "first_day": "morgen", "last_day": ""})
    assert response.status_code == 400
    assert away_rows(app, sanne.membership_id) == []


def test_member_removes_only_their_own_period_away(app, world):
    slug, lead = world.space()
    sanne, kees = world.member(slug, lead), world.member(slug, lead)
    start = date.today() + timedelta(days=3)
    _away(client_of(app, kees), slug, start, start + timedelta(days=4), "Vakantie")
    kees_period = away_rows(app, kees.membership_id)[0].id
    client = client_of(app, sanne)
    _away(client, slug, start, start + timedelta(days=1))
    own_period = away_rows(app, sanne.membership_id)[0].id
    token = csrf_token(client, "/")

    assert client.post(f"/s/{slug}/meetings/away/{kees_period}/remove",
                       data={"csrf_token": token}).status_code == 404
    assert "Vakantie" not in client.get(f"/s/{slug}/meetings/away").get_data(as_text=True)
    assert client.post(f"/s/{slug}/meetings/away/{own_period}/remove",
                       data={"csrf_token": token}).status_code == 302
    assert away_rows(app, sanne.membership_id) == []
    assert len(away_rows(app, kees.membership_id)) == 1


def test_the_meeting_page_carries_the_panel_for_members_and_facilitators(app, world):
    slug, lead = world.space()
    sanne = world.member(slug, lead, name="Sanne")
    kees = world.member(slug, lead, name="Kees")
    meeting_id = add_meeting(world, slug, topic="Samen eten")
    page_path = f"/s/{slug}/meetings/{meeting_id}"
    sanne_client = client_of(app, sanne)
    before = sanne_client.get(page_path).get_data(as_text=True)
    assert f'action="/s/{slug}/meetings/{meeting_id}/absence"' in before
    assert "Ik meld me af" in before

    response = _cancel(sanne_client, slug, meeting_id, "Verjaardag van mijn moeder")

    assert response.headers["Location"].endswith(page_path)  # back on the meeting's page
    after = sanne_client.get(page_path).get_data(as_text=True)
    assert "Je hebt je afgemeld voor deze bijeenkomst." in after
    assert "Verjaardag van mijn moeder" in after and "Ik kom toch" in after
    other = client_of(app, kees).get(page_path).get_data(as_text=True)
    assert "Verjaardag" not in other and "Sanne" not in other and "Ik meld me af" in other
    assert f"/meetings/{meeting_id}/attendance" not in other
    lead_page = client_of(app, lead).get(page_path).get_data(as_text=True)
    assert "Verwacht: 2 · afgemeld: 1 · er niet: 0" in lead_page
    assert f"/meetings/{meeting_id}/attendance" in lead_page


def test_the_meetings_list_leads_to_the_own_record_away_periods_and_calendar(app, world):
    slug, lead = world.space()
    sanne = world.member(slug, lead)
    page = client_of(app, sanne).get(f"/s/{slug}/meetings").get_data(as_text=True)
    for path in (f"/s/{slug}/meetings/mine", f"/s/{slug}/meetings/away", "/account/calendar"):
        assert f'href="{path}"' in page, path
