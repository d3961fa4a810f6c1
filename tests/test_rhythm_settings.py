"""The group's rhythm on the settings page: open or closed group, sizes, the video-room lead
time, what co-facilitators may read and the silence threshold; a refused value changes
nothing and keeps what was typed."""
from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_token, login

BASE = {"name": "Grip op je geld", "theme": "Geld", "description": "Samen"}


def _as(app, person):
    client = app.test_client()
    login(client, person)
    return client


def _save(client, slug, **data):
    return client.post(f"/s/{slug}/settings",
                       data={"csrf_token": csrf_token(client, "/login"), **BASE, **data})


def _checked_kind(page: str) -> str:
    return re.search(r'<input checked [^>]*name="group_kind"[^>]*value="(\w+)"', page).group(1)


def test_facilitator_makes_the_group_closed_with_its_sessions_and_sizes(app, world):
    slug, lead = world.space()
    client = _as(app, lead)
    page = client.get(f"/s/{slug}/settings").get_data(as_text=True)
    assert _checked_kind(page) == "open"

    response = _save(client, slug, group_kind="closed", planned_sessions="10", min_members="5",
                     max_members="9", room_link_minutes="30", silent_after_days="7",
                     line_for_cofacilitators="y")
    assert response.status_code == 302
    with app.app_context():
        space = world.space_obj(slug)
        assert (space.group_kind, space.planned_sessions, space.min_members, space.max_members,
                space.room_link_minutes, space.silent_after_days) == ("closed", 10, 5, 9, 30, 7)
        assert space.line_for_cofacilitators is True
        assert space.overview_for_cofacilitators is False
    page = client.get(f"/s/{slug}/settings").get_data(as_text=True)
    assert _checked_kind(page) == "closed" and 'value="10"' in page


def test_an_open_group_forgets_its_number_of_sessions(app, world):
    slug, lead = world.space()
    client = _as(app, lead)
    _save(client, slug, group_kind="closed", planned_sessions="8")
    assert _save(client, slug, group_kind="open", planned_sessions="8").status_code == 302
    with app.app_context():
        space = world.space_obj(slug)
        assert (space.group_kind, space.planned_sessions) == ("open", None)


def test_empty_numbers_keep_the_current_values(app, world):
    slug, lead = world.space()
    assert _save(_as(app, lead), slug, group_kind="open").status_code == 302
    with app.app_context():
        space = world.space_obj(slug)
        assert (space.min_members, space.max_members, space.room_link_minutes,
                space.silent_after_days) == (4, 8, 15, 10)


@pytest.mark.parametrize("data,field", [
    ({"group_kind": "closed"}, "planned_sessions"),
    ({"group_kind": "closed", "planned_sessions": "0"}, "planned_sessions"),
    ({"group_kind": "closed", "planned_sessions": "101"}, "planned_sessions"),
    ({"group_kind": "secret"}, "group_kind"),
    ({"group_kind": "open", "min_members": "6", "max_members": "5"}, "max_members"),
    ({"group_kind": "open", "min_members": "0"}, "min_members"),
    ({"group_kind": "open", "room_link_minutes": "-5"}, "room_link_minutes"),
    ({"group_kind": "open", "room_link_minutes": "241"}, "room_link_minutes"),
    ({"group_kind": "open", "silent_after_days": "0"}, "silent_after_days"),
    ({"group_kind": "open", "silent_after_days": "veel"}, "silent_after_days"),
])
def test_refused_rhythm_values_change_nothing_and_keep_the_text(app, world, data, field):
    slug, lead = world.space()
    response = _save(_as(app, lead), slug, **{**data, "name": "Nieuwe naam"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and 'value="Nieuwe naam"' in page
    with app.app_context():
        space = world.space_obj(slug)
        assert (space.name, space.group_kind, space.min_members, space.max_members) == (
            f"Groep {slug}", "open", 4, 8)


def test_a_member_and_a_co_facilitator_cannot_change_the_rhythm(app, world):
    slug, lead = world.space()
    for role in ("member", "cofacilitator"):
        person = world.member(slug, lead, role=role)
        response = _save(_as(app, person), slug, group_kind="closed", planned_sessions="3",
                         overview_for_cofacilitators="y")
        assert response.status_code == 403
    with app.app_context():
        space = world.space_obj(slug)
        assert (space.group_kind, space.overview_for_cofacilitators) == ("open", False)
