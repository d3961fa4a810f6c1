"""Changing meetings: edit or move one, cancel one, change a series from one meeting on, a
closed group's programme. The group is told of a new time, place or link and of a
cancellation, once, by a mail that says nothing about the meeting itself."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.meetings.models import Meeting, MeetingSeries
from app.notify.models import Notification
from app.notify.outbox import OutboxMessage
from tests.conftest import csrf_token, login
from tests.mail import rendered_mail
from tests.meetings import ZONE, day_ahead, local_times, meetings_of, plan, plan_series


def _client(app, person):
    client = app.test_client()
    login(client, person)
    return client


def _post(client, path, data=None):
    return client.post(path, data={"csrf_token": csrf_token(client, path.rsplit("/", 1)[0]
                                                            if path.endswith("/cancel") else path),
                                   **(data or {})})


def _edit_data(meeting: Meeting, **changes) -> dict:
    start, end = meeting.starts_at.astimezone(ZONE), meeting.ends_at.astimezone(ZONE)
    return {"start_date": start.date().isoformat(), "start_time": start.strftime("%H:%M"),
            "end_time": end.strftime("%H:%M"), "topic": meeting.topic, "place": meeting.place,
            "room_url": meeting.room_url, "script": meeting.script, **changes}


MEETING_KINDS = ("meeting_changed", "meeting_cancelled")


def _notes(app, kind=None) -> list[Notification]:
    """Notifications about meetings (joining the group makes others)."""
    with app.app_context():
        query = select(Notification).where(Notification.kind.in_((kind,) if kind else MEETING_KINDS))
        rows = list(db.session.scalars(query))
        db.session.expunge_all()
        return rows


def _group(world):
    slug, lead = world.space()
    member = world.member(slug, lead, name="Sanne")
    return slug, lead, member


def _meeting_mail(app, person):
    return rendered_mail(app, OutboxMessage.to_addr == person.email,
                         OutboxMessage.notification_id.in_(
                             select(Notification.id).where(Notification.kind.in_(MEETING_KINDS))))


# --- one meeting ---------------------------------------------------------------------------

def test_facilitator_moves_one_meeting_and_the_group_is_told_without_details(app, world):
    slug, lead, member = _group(world)
    meeting_id = plan(world, slug, lead, day_ahead(5), topic="Geheim onderwerp",
                      place="Achterkamer")
    [meeting] = meetings_of(world, slug)
    new_day = day_ahead(6)
    response = _post(_client(app, lead), f"/s/{slug}/meetings/{meeting_id}/edit",
                     _edit_data(meeting, start_date=new_day.isoformat(), start_time="10:00",
                                end_time="11:30", place="Voorkamer"))
    assert response.status_code == 302
    [moved] = meetings_of(world, slug)
    assert local_times([moved]) == [f"{new_day} 10:00"] and moved.place == "Voorkamer"
    assert moved.changed_at is not None
    notes = _notes(app, "meeting_changed")
    assert [n.membership_id for n in notes] == [member.membership_id]  # not the one who moved it
    [mail] = _meeting_mail(app, member)
    text = mail.subject + mail.body_text + mail.body_html
    assert "bijeenkomst" in text.lower()
    for secret in ("Geheim onderwerp", "Achterkamer", "Voorkamer", "10:00"):
        assert secret not in text
    # The notification opens the meetings page.
    client = _client(app, member)
    assert "Een bijeenkomst van je groep is veranderd" in client.get(
        "/notifications").get_data(as_text=True)
    opened = client.get(f"/notifications/{notes[0].id}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/s/{slug}/meetings")


def test_changing_only_the_topic_or_script_tells_nobody_and_saving_twice_changes_once(app, world):
    slug, lead, member = _group(world)
    meeting_id = plan(world, slug, lead, day_ahead(5))
    [meeting] = meetings_of(world, slug)
    client = _client(app, lead)
    data = _edit_data(meeting, topic="Nieuw onderwerp", script="Eerst een rondje")
    assert _post(client, f"/s/{slug}/meetings/{meeting_id}/edit", data).status_code == 302
    assert _post(client, f"/s/{slug}/meetings/{meeting_id}/edit", data).status_code == 302
    [saved] = meetings_of(world, slug)
    assert (saved.topic, saved.script, saved.changed_at) == ("Nieuw onderwerp",
                                                             "Eerst een rondje", None)
    assert _notes(app) == []
    moved = _edit_data(saved, start_time="18:00")
    for _ in range(2):  # the same move sent twice: one change, one notification
        assert _post(client, f"/s/{slug}/meetings/{meeting_id}/edit", moved).status_code == 302
    assert len(_notes(app, "meeting_changed")) == 1


@pytest.mark.parametrize("changes, field", [
    ({"end_time": "08:00"}, "end_time"),
    ({"start_date": day_ahead(-2).isoformat()}, "start_date"),
    ({"start_time": ""}, "start_time"),
    ({"room_url": "ftp://kamer"}, "room_url"),
    ({"topic": "x" * 201}, "topic"),
])
def test_a_bad_change_is_refused_at_the_field_keeping_the_text_and_the_meeting(app, world,
                                                                              changes, field):
    slug, lead, member = _group(world)
    meeting_id = plan(world, slug, lead, day_ahead(5))
    [meeting] = meetings_of(world, slug)
    response = _post(_client(app, lead), f"/s/{slug}/meetings/{meeting_id}/edit",
                     _edit_data(meeting, script="Mijn draaiboektekst", **changes))
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="{field}-error"' in body and "Mijn draaiboektekst" in body
    assert meetings_of(world, slug)[0].starts_at == meeting.starts_at
    assert meetings_of(world, slug)[0].script == ""
    assert _notes(app) == []


@pytest.mark.parametrize("role", ["member", "moderator", "cofacilitator"])
def test_only_facilitators_change_or_cancel_a_meeting(app, world, role):
    slug, lead, _member = _group(world)
    person = world.member(slug, lead, role=role)
    meeting_id = plan(world, slug, lead, day_ahead(5))
    [meeting] = meetings_of(world, slug)
    client = _client(app, person)
    base = f"/s/{slug}/meetings/{meeting_id}"
    for path in ("/edit", "/content"):
        assert client.get(base + path).status_code == 403
    token = csrf_token(client, base)
    assert client.post(base + "/edit", data={"csrf_token": token, **_edit_data(
        meeting, topic="Gekaapt")}).status_code == 403
    assert client.post(base + "/cancel", data={"csrf_token": token}).status_code == 403
    assert client.get(f"/s/{slug}/meetings/programme").status_code == 403
    [unchanged] = meetings_of(world, slug)
    assert unchanged.topic == "" and unchanged.cancelled_at is None


def test_another_spaces_meeting_cannot_be_changed_or_cancelled(app, world):
    slug, lead, _member = _group(world)
    other_slug, other_lead = world.space()
    foreign = plan(world, other_slug, other_lead, day_ahead(5))
    other_series = plan_series(world, other_slug, other_lead, day_ahead(6), count=3)
    client = _client(app, lead)
    token = csrf_token(client, f"/s/{slug}/meetings")
    for path in (f"{foreign}/edit", f"{foreign}/content", f"{other_series[1]}/following"):
        assert client.get(f"/s/{slug}/meetings/{path}").status_code == 404
        assert client.post(f"/s/{slug}/meetings/{path}",
                           data={"csrf_token": token}).status_code == 404
    assert client.post(f"/s/{slug}/meetings/{foreign}/cancel",
                       data={"csrf_token": token}).status_code == 404
    assert all(m.cancelled_at is None for m in meetings_of(world, other_slug))


def test_cancelling_marks_the_meeting_tells_the_group_once_and_then_it_cannot_change(app, world):
    slug, lead, member = _group(world)
    meeting_id = plan(world, slug, lead, day_ahead(5), topic="Afscheid")
    client = _client(app, lead)
    for _ in range(2):  # a double click
        response = client.post(f"/s/{slug}/meetings/{meeting_id}/cancel", data={
            "csrf_token": csrf_token(client, f"/s/{slug}/meetings/{meeting_id}")})
        assert response.status_code == 302
    [meeting] = meetings_of(world, slug)
    assert meeting.cancelled_at is not None
    assert [n.membership_id for n in _notes(app, "meeting_cancelled")] == [member.membership_id]
    [mail] = _meeting_mail(app, member)
    assert "Afscheid" not in mail.subject + mail.body_text + mail.body_html
    page = _client(app, member).get(f"/s/{slug}/meetings").get_data(as_text=True)
    assert "Gaat niet door" in page
    assert client.get(f"/s/{slug}/meetings/{meeting_id}/edit").status_code == 403
    member_client = _client(app, member)
    assert member_client.post(f"/s/{slug}/meetings/{meeting_id}/cancel", data={
        "csrf_token": csrf_token(member_client, f"/s/{slug}/meetings")}).status_code == 403


def test_a_meeting_that_has_ended_can_no_longer_be_changed(app, world, clock):
    slug, lead, _member = _group(world)
    meeting_id = plan(world, slug, lead, day_ahead(1))
    clock.move(timedelta(days=3))
    client = _client(app, lead)
    assert client.get(f"/s/{slug}/meetings/{meeting_id}/edit").status_code == 403
    page = client.get(f"/s/{slug}/meetings").get_data(as_text=True)
    assert "Eerdere bijeenkomsten" in page


# --- this and following ---------------------------------------------------------------------

def test_this_and_following_splits_the_series_and_tells_the_group_once(app, world):
    slug, lead, member = _group(world)
    first = day_ahead(3)
    ids = plan_series(world, slug, lead, first, count=5)
    client = _client(app, lead)
    response = _post(client, f"/s/{slug}/meetings/{ids[2]}/following", {
        "start_date": (first + timedelta(days=14)).isoformat(), "start_time": "18:00",
        "end_time": "20:00", "place": "Zaal 2", "room_url": "https://video.example.org/z2"})
    assert response.status_code == 302
    meetings = meetings_of(world, slug)
    assert [t[-5:] for t in local_times(meetings)] == ["19:30", "19:30", "18:00", "18:00", "18:00"]
    assert [m.place for m in meetings] == ["", "", "Zaal 2", "Zaal 2", "Zaal 2"]
    with world.ctx():
        old, new = (db.session.get(MeetingSeries, meetings[0].series_id),
                    db.session.get(MeetingSeries, meetings[2].series_id))
        assert old.id != new.id and old.session_count == 2 and new.session_count == 3
        assert new.duration_minutes == 120
    assert len(_notes(app, "meeting_changed")) == 1


def test_this_and_following_from_the_first_meeting_keeps_one_series(app, world):
    slug, lead, _member = _group(world)
    first = day_ahead(3)
    ids = plan_series(world, slug, lead, first, count=3)
    response = _post(_client(app, lead), f"/s/{slug}/meetings/{ids[0]}/following", {
        "start_date": (first + timedelta(days=1)).isoformat(), "start_time": "19:30",
        "end_time": "21:00", "place": "", "room_url": ""})
    assert response.status_code == 302
    meetings = meetings_of(world, slug)
    assert len({m.series_id for m in meetings}) == 1
    assert [m.starts_at.astimezone(ZONE).date() for m in meetings] == [
        first + timedelta(days=1 + 7 * n) for n in range(3)]


def test_this_and_following_refuses_bad_times_and_one_off_meetings(app, world):
    slug, lead, _member = _group(world)
    ids = plan_series(world, slug, lead, day_ahead(3), count=3)
    single = plan(world, slug, lead, day_ahead(4))
    client = _client(app, lead)
    response = _post(client, f"/s/{slug}/meetings/{ids[1]}/following", {
        "start_date": day_ahead(10).isoformat(), "start_time": "21:00", "end_time": "20:00",
        "place": "Mijn plek blijft", "room_url": ""})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'id="end_time-error"' in body and "Mijn plek blijft" in body
    assert client.get(f"/s/{slug}/meetings/{single}/following").status_code == 404
    member = world.member(slug, lead)
    assert _client(app, member).get(f"/s/{slug}/meetings/{ids[1]}/following").status_code == 403


# --- a closed group's programme (draaiboek) -------------------------------------------------

def _closed(world, slug, sessions=3):
    with world.ctx():
        space = world.space_obj(slug)
        space.group_kind, space.planned_sessions = "closed", sessions
        db.session.commit()


def _programme_data(ids, topics, scripts):
    data = {}
    for n, (meeting_id, topic, script) in enumerate(zip(ids, topics, scripts)):
        data.update({f"sessions-{n}-meeting_id": str(meeting_id), f"sessions-{n}-topic": topic,
                     f"sessions-{n}-script": script})
    return data


def test_facilitator_fills_in_the_programme_members_see_topics_never_scripts(app, world):
    slug, lead, member = _group(world)
    _closed(world, slug)
    ids = plan_series(world, slug, lead, day_ahead(3), count=3)
    client = _client(app, lead)
    page = client.get(f"/s/{slug}/meetings/programme").get_data(as_text=True)
    assert page.count("Bijeenkomst ") >= 3
    response = _post(client, f"/s/{slug}/meetings/programme", _programme_data(
        ids, ["Kennismaken", "Grenzen", "Afsluiten"], ["Rondje namen", "Oefening nee zeggen", ""]))
    assert response.status_code == 302
    assert [(m.session_number, m.topic) for m in meetings_of(world, slug)] == [
        (1, "Kennismaken"), (2, "Grenzen"), (3, "Afsluiten")]
    listing = _client(app, member).get(f"/s/{slug}/meetings").get_data(as_text=True)
    assert "Grenzen" in listing and "Oefening nee zeggen" not in listing
    detail = _client(app, member).get(f"/s/{slug}/meetings/{ids[1]}").get_data(as_text=True)
    assert "Oefening nee zeggen" not in detail
    assert "Oefening nee zeggen" in client.get(f"/s/{slug}/meetings/{ids[1]}").get_data(as_text=True)
    assert _notes(app) == []  # a programme is no change of time or place


def test_programme_refuses_a_too_long_topic_at_its_field_and_another_spaces_session(app, world):
    slug, lead, _member = _group(world)
    _closed(world, slug)
    ids = plan_series(world, slug, lead, day_ahead(3), count=2)
    other_slug, other_lead = world.space()
    foreign = plan(world, other_slug, other_lead, day_ahead(4))
    client = _client(app, lead)
    response = _post(client, f"/s/{slug}/meetings/programme", _programme_data(
        ids, ["x" * 201, "Goed"], ["Blijft staan", ""]))
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'id="sessions-0-topic-error"' in body and "Blijft staan" in body
    assert [m.topic for m in meetings_of(world, slug)] == ["", ""]
    response = _post(client, f"/s/{slug}/meetings/programme", _programme_data(
        [foreign], ["Overgenomen"], [""]))
    assert response.status_code == 404
    assert meetings_of(world, other_slug)[0].topic == ""
