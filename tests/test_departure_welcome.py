"""The welcome thread: someone joining an open group that is under way (its first meeting
has started) gets a conversation where the group greets them, written by the facilitator
who invited them; the newcomer is named in it, the others hear of the newcomer with a link
to it. Not in a closed group, not before the first meeting, not for a lead."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.errors import ServiceError
from app.extensions import db
from app.forum.models import Thread
from app.notify.kinds import MENTION, NEW_MEMBER
from app.spaces.models import CLOSED_GROUP, Membership
from tests.departures import (
    client_of, meeting, notifications_of, set_space, threads_titled, tr,
)

WELCOME = "Welkom, Noor!"


def _started_group(world):
    slug, lead = world.space()
    other = world.member(slug, lead, name="Joost")
    meeting(world, slug, starts_in=timedelta(days=-7), minutes=90)  # the group is under way
    return slug, lead, other


def test_a_newcomer_in_an_open_group_under_way_gets_a_welcome_thread(app, world):
    slug, lead, other = _started_group(world)
    newcomer = world.member(slug, lead, name="Noor")
    [welcome] = threads_titled(world, slug, WELCOME)
    assert welcome.author_id == lead.membership_id  # the facilitator who invited Noor
    assert welcome.publish_at is None and welcome.kind == "discussion"
    # Noor is named in it, so Noor hears about it.
    assert [n.kind for n in notifications_of(world, newcomer) if n.thread_id == welcome.id] == [MENTION]
    # The others hear that someone joined; opening that notification leads to the welcome.
    [joined] = [n for n in notifications_of(world, other) if n.kind == NEW_MEMBER]
    assert joined.thread_id == welcome.id
    reader = client_of(app, other)
    response = reader.get(f"/notifications/{joined.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/s/{slug}/t/{welcome.id}")
    page = reader.get(f"/s/{slug}/t/{welcome.id}").get_data(as_text=True)
    assert tr(app, "Welcome, %(name)s!", name="Noor") in page
    # The group can greet Noor there.
    assert reader.get(f"/s/{slug}/").get_data(as_text=True).count(WELCOME) == 1


def test_the_longest_standing_facilitator_welcomes_when_the_inviter_cannot(app, world):
    slug, lead, _other = _started_group(world)
    second = world.member(slug, lead, role="facilitator", name="Tweede begeleider")
    token = world.invite_token(slug, second)
    with world.ctx():  # the inviting facilitator has left the group since
        db.session.get(Membership, second.membership_id).ended_at = db.func.now()
        db.session.commit()
    world.accept(token, display_name="Noor")
    [welcome] = threads_titled(world, slug, WELCOME)
    assert welcome.author_id == lead.membership_id


def test_no_welcome_thread_before_the_first_meeting(app, world):
    slug, lead = world.space()
    meeting(world, slug, starts_in=timedelta(days=2))  # planned, not started
    world.member(slug, lead, name="Noor")
    assert threads_titled(world, slug, WELCOME) == []


def test_a_cancelled_first_meeting_does_not_count_as_under_way(app, world):
    slug, lead = world.space()
    meeting(world, slug, starts_in=timedelta(days=-2), cancelled=True)
    world.member(slug, lead, name="Noor")
    assert threads_titled(world, slug, WELCOME) == []


def test_no_welcome_thread_in_a_closed_group(app, world):
    slug, lead, _other = _started_group(world)
    set_space(world, slug, group_kind=CLOSED_GROUP, planned_sessions=10)
    world.member(slug, lead, name="Noor")
    assert threads_titled(world, slug, WELCOME) == []


@pytest.mark.parametrize("role", ["cofacilitator", "facilitator"])
def test_a_lead_joining_gets_no_welcome_thread(app, world, role):
    slug, lead, _other = _started_group(world)
    world.member(slug, lead, role=role, name="Noor")
    assert threads_titled(world, slug, WELCOME) == []


def test_a_moderator_joining_is_welcomed_as_a_participant(app, world):
    slug, lead, _other = _started_group(world)
    world.member(slug, lead, role="moderator", name="Noor")
    assert len(threads_titled(world, slug, WELCOME)) == 1


def test_accepting_twice_opens_one_welcome_thread(app, world):
    slug, lead, _other = _started_group(world)
    token = world.invite_token(slug, lead)
    world.accept(token, display_name="Noor")
    with pytest.raises(ServiceError):
        world.accept(token, display_name="Noor")
    assert len(threads_titled(world, slug, WELCOME)) == 1


def test_joining_through_the_invitation_page_opens_the_welcome(app, world):
    slug, lead, _other = _started_group(world)
    token = world.invite_token(slug, lead)
    client = app.test_client()
    page = client.get(f"/invite/{token}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(f"/invite/{token}", data={
        "csrf_token": csrf, "display_name": "Noor", "password": "correct horse battery",
        "accept": "y"})
    assert response.status_code == 302
    [welcome] = threads_titled(world, slug, WELCOME)
    assert client.get(f"/s/{slug}/t/{welcome.id}").status_code == 200
    with world.ctx():
        assert db.session.scalar(select(Thread.post_count).where(Thread.id == welcome.id)) == 1
