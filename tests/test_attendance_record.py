"""The facilitators' list per meeting (expected / cancelled with reason / away), attendance
recorded after the start (present / cancelled / absent without notice, proposed from the
cancellations), the member's own record with the commitment line, and facilitators setting
a member's commitment. Bad paths: before the start, wrong role 403, other space 404,
nonsense at the field (400), recording twice."""
from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.meetings.models import Attendance
from app.spaces.models import Membership
from tests.attendance import add_meeting, attendance_of, client_of, local_at
from tests.conftest import csrf_token


def _selected(page: str, membership_id: int) -> str:
    select_html = re.search(rf'<select[^>]*name="outcome-{membership_id}".*?</select>', page,
                            re.S).group(0)
    return re.search(r'<option selected value="(\w+)"', select_html).group(1)


def _scene(app, world, clock):
    """Three members at a meeting in two hours: Sanne cancels, Kees is away, Ali comes."""
    slug, lead = world.space()
    sanne = world.member(slug, lead, name="Sanne")
    kees = world.member(slug, lead, name="Kees")
    ali = world.member(slug, lead, name="Ali")
    meeting_id = add_meeting(world, slug, starts_in=timedelta(hours=2), topic="Thuis")
    client = client_of(app, sanne)
    client.post(f"/s/{slug}/meetings/{meeting_id}/absence",
                data={"csrf_token": csrf_token(client, "/"), "reason": "Werk"})
    kees_client = client_of(app, kees)
    today = date.today()
    kees_client.post(f"/s/{slug}/meetings/away", data={
        "csrf_token": csrf_token(kees_client, "/"), "first_day": today.isoformat(),
        "last_day": (today + timedelta(days=3)).isoformat(), "reason": "Vakantie"})
    return slug, lead, sanne, kees, ali, meeting_id


def test_facilitator_sees_expected_cancelled_and_away_before_the_start(app, world, clock):
    slug, lead, sanne, kees, ali, meeting_id = _scene(app, world, clock)
    lead_client = client_of(app, lead)

    page = lead_client.get(f"/s/{slug}/meetings/{meeting_id}/attendance").get_data(as_text=True)

    assert "Verwacht: 2 · afgemeld: 1 · er niet: 1" in page  # the lead and Ali are expected
    rows = re.findall(r'<tr data-status="(\w+)">\s*<td><a [^>]*>([^<]+)</a>', page)
    assert {name: status for status, name in rows} == {
        "Sanne": "cancelled", "Kees": "away", "Ali": "expected",
        f"Begeleider {slug}": "expected"}
    assert "Werk" in page and "Vakantie" in page
    assert "<select" not in page  # nothing to record before the start
    token = csrf_token(lead_client, "/")
    response = lead_client.post(f"/s/{slug}/meetings/{meeting_id}/attendance", data={
        "csrf_token": token, f"outcome-{ali.membership_id}": "present"})
    assert response.status_code == 403
    assert attendance_of(app, meeting_id, ali.membership_id) is None


def test_facilitator_records_attendance_after_the_start_proposed_from_cancellations(
        app, world, clock):
    slug, lead, sanne, kees, ali, meeting_id = _scene(app, world, clock)
    lead_client = client_of(app, lead)
    clock.move(timedelta(hours=2, minutes=30))

    page = lead_client.get(f"/s/{slug}/meetings/{meeting_id}/attendance").get_data(as_text=True)
    assert _selected(page, sanne.membership_id) == "cancelled"
    assert _selected(page, kees.membership_id) == "cancelled"
    assert _selected(page, ali.membership_id) == "present"
    data = {"csrf_token": csrf_token(lead_client, "/"),
            f"outcome-{sanne.membership_id}": "cancelled",
            f"outcome-{kees.membership_id}": "cancelled",
            f"outcome-{ali.membership_id}": "absent",
            f"outcome-{lead.membership_id}": "present"}
    path = f"/s/{slug}/meetings/{meeting_id}/attendance"

    assert lead_client.post(path, data=data).status_code == 302
    assert lead_client.post(path, data=data).status_code == 302  # sent twice: the same rows

    assert attendance_of(app, meeting_id, ali.membership_id).outcome == "absent"
    sanne_row = attendance_of(app, meeting_id, sanne.membership_id)
    assert sanne_row.outcome == "cancelled" and sanne_row.reason == "Werk"
    assert attendance_of(app, meeting_id, kees.membership_id).outcome == "cancelled"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attendance)) == 4
    again = lead_client.get(path).get_data(as_text=True)
    assert _selected(again, ali.membership_id) == "absent"


def test_recording_refuses_an_unknown_answer_at_the_field(app, world, clock):
    slug, lead, sanne, kees, ali, meeting_id = _scene(app, world, clock)
    lead_client = client_of(app, lead)
    clock.move(timedelta(hours=3))
    response = lead_client.post(f"/s/{slug}/meetings/{meeting_id}/attendance", data={
        "csrf_token": csrf_token(lead_client, "/"), f"outcome-{ali.membership_id}": "maybe"})
    assert response.status_code == 400
    assert f'outcome-{ali.membership_id}' in response.get_data(as_text=True)
    assert attendance_of(app, meeting_id, ali.membership_id) is None


def test_only_facilitators_see_the_list_and_record(app, world, clock):
    slug, lead = world.space()
    co = world.member(slug, lead, role="cofacilitator")
    moderator = world.member(slug, lead, role="moderator")
    sanne = world.member(slug, lead)
    meeting_id = add_meeting(world, slug, starts_in=timedelta(hours=1))
    clock.move(timedelta(hours=2))
    for person in (co, moderator, sanne):
        client = client_of(app, person)
        path = f"/s/{slug}/meetings/{meeting_id}/attendance"
        assert client.get(path).status_code == 403
        assert client.post(path, data={"csrf_token": csrf_token(client, "/"),
                                       f"outcome-{sanne.membership_id}": "present"}
                           ).status_code == 403
    assert attendance_of(app, meeting_id, sanne.membership_id) is None


# --- the member's own record and commitment --------------------------------------------------

def test_member_sees_their_commitment_and_how_many_they_attended(app, world, clock):
    slug, lead = world.space()
    sanne = world.member(slug, lead, name="Sanne")
    kees = world.member(slug, lead, name="Kees")
    meetings = [add_meeting(world, slug, starts_in=timedelta(days=n, hours=1))
                for n in range(5)]
    upcoming = add_meeting(world, slug, starts_in=timedelta(days=30), topic="Afsluiting")
    lead_client = client_of(app, lead)
    member_page = f"/s/{slug}/members/{sanne.membership_id}/attendance"
    assert lead_client.post(member_page, data={
        "csrf_token": csrf_token(lead_client, member_page), "sessions": "6"}).status_code == 302
    clock.move(timedelta(days=5))
    token = csrf_token(lead_client, "/")
    for n, meeting_id in enumerate(meetings):
        lead_client.post(f"/s/{slug}/meetings/{meeting_id}/attendance", data={
            "csrf_token": token,
            f"outcome-{sanne.membership_id}": "absent" if n == 2 else "present",
            f"outcome-{kees.membership_id}": "present"})

    page = client_of(app, sanne).get(f"/s/{slug}/meetings/mine").get_data(as_text=True)

    assert "Je hebt afgesproken minstens 6 bijeenkomsten mee te doen: 4 gedaan." in page
    assert "Afwezig zonder afmelding" in page and "Afsluiting" in page
    assert f"/meetings/{upcoming}/absence" in page
    assert "Kees" not in page
    lead_view = lead_client.get(member_page).get_data(as_text=True)
    assert "Afgesproken: minstens 6 bijeenkomsten; 4 meegedaan." in lead_view


def test_facilitator_sets_a_commitment_and_bad_numbers_are_refused_at_the_field(app, world):
    slug, lead = world.space()
    sanne = world.member(slug, lead)
    lead_client = client_of(app, lead)
    path = f"/s/{slug}/members/{sanne.membership_id}/attendance"
    token = csrf_token(lead_client, path)
    for bad in ("0", "201", "-3", "zes"):
        response = lead_client.post(path, data={"csrf_token": token, "sessions": bad})
        text = response.get_data(as_text=True)
        assert response.status_code == 400, bad
        assert 'id="sessions-error"' in text and f'value="{bad}"' in text, bad
    assert lead_client.post(path, data={"csrf_token": token, "sessions": "8"}).status_code == 302
    assert lead_client.post(path, data={"csrf_token": token, "sessions": "8"}).status_code == 302
    with app.app_context():
        assert db.session.get(Membership, sanne.membership_id).commitment_sessions == 8
    assert lead_client.post(path, data={"csrf_token": token, "sessions": ""}).status_code == 302
    with app.app_context():
        assert db.session.get(Membership, sanne.membership_id).commitment_sessions is None


def test_a_closed_groups_commitment_is_at_most_its_planned_sessions(app, world):
    slug, lead = world.space()
    sanne = world.member(slug, lead)
    with world.ctx():
        world.space_obj(slug).planned_sessions = 10
        db.session.commit()
    lead_client = client_of(app, lead)
    path = f"/s/{slug}/members/{sanne.membership_id}/attendance"
    token = csrf_token(lead_client, path)
    assert lead_client.post(path, data={"csrf_token": token, "sessions": "11"}).status_code == 400
    assert lead_client.post(path, data={"csrf_token": token, "sessions": "10"}).status_code == 302


def test_only_facilitators_set_commitments_and_never_their_own(app, world):
    slug, lead = world.space()
    co = world.member(slug, lead, role="cofacilitator")
    sanne = world.member(slug, lead)
    kees = world.member(slug, lead)
    for person, target in ((co, sanne), (sanne, kees), (sanne, sanne)):
        client = client_of(app, person)
        path = f"/s/{slug}/members/{target.membership_id}/attendance"
        assert client.get(path).status_code == 403
        assert client.post(path, data={"csrf_token": csrf_token(client, "/"),
                                       "sessions": "5"}).status_code == 403
    lead_client = client_of(app, lead)
    own = f"/s/{slug}/members/{lead.membership_id}/attendance"
    assert lead_client.post(own, data={"csrf_token": csrf_token(lead_client, "/"),
                                       "sessions": "5"}).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Membership).where(
            Membership.commitment_sessions.is_not(None))) == 0


def test_a_member_who_joined_after_a_meeting_is_not_expected_at_it(app, world, clock):
    slug, lead = world.space()
    meeting_id = add_meeting(world, slug, starts_at=local_at(date.today(), 0, 0)
                             - timedelta(days=1))
    late = world.member(slug, lead, name="Laatkomer")
    page = client_of(app, lead).get(f"/s/{slug}/meetings/{meeting_id}/attendance")
    assert "Laatkomer" not in page.get_data(as_text=True)
    assert late.membership_id


def test_the_members_page_leads_facilitators_to_a_members_attendance(app, world):
    slug, lead = world.space()
    sanne = world.member(slug, lead, name="Sanne")
    link = f"/s/{slug}/members/{sanne.membership_id}/attendance"
    assert link in client_of(app, lead).get(f"/s/{slug}/members").get_data(as_text=True)
    member_view = client_of(app, sanne).get(f"/s/{slug}/members").get_data(as_text=True)
    assert "/attendance" not in member_view
