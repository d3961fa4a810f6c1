"""Group size: the facilitators see a warning on the members page and the space home when
the group has fewer participants than space.min_members, or has reached space.max_members;
nobody else sees it, and it costs the members page no statement and the home one (pinned)."""
from __future__ import annotations

import pytest

from app.extensions import db
from tests.conftest import QueryCounter
from tests.departures import client_of, set_space

BELOW = ("The group has %(num)d participant, fewer than its minimum of %(min)d.",
         "The group has %(num)d participants, fewer than its minimum of %(min)d.")
FULL = ("The group has %(num)d participant and has reached its maximum of %(max)d.",
        "The group has %(num)d participants and has reached its maximum of %(max)d.")


def tr(app, message: tuple[str, str], num: int, **values) -> str:
    from flask_babel import force_locale, ngettext

    with app.test_request_context(), force_locale("nl"):
        return ngettext(*message, num, **values)


def _group(world, participants: int, **limits):
    slug, lead = world.space()
    people = [world.member(slug, lead, name=f"Deelnemer {n}") for n in range(participants)]
    co = world.member(slug, lead, role="cofacilitator", name="Co")  # a lead: not counted
    if limits:
        set_space(world, slug, **limits)
    return slug, lead, people, co


def _text(app, client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("page", ["members", "home"])
def test_facilitator_is_warned_below_the_minimum(app, world, page):
    slug, lead, people, co = _group(world, 3)
    path = f"/s/{slug}/members" if page == "members" else f"/s/{slug}/"
    warning = tr(app, BELOW, num=3, min=4)
    assert warning in _text(app, client_of(app, lead), path)
    for person in (people[0], co):
        assert warning not in _text(app, client_of(app, person), path)
        assert "group-size" not in _text(app, client_of(app, person), path)


@pytest.mark.parametrize("page", ["members", "home"])
def test_facilitator_is_warned_at_the_maximum(app, world, page):
    slug, lead, people, _co = _group(world, 5, max_members=5)
    path = f"/s/{slug}/members" if page == "members" else f"/s/{slug}/"
    assert tr(app, FULL, num=5, max=5) in _text(app, client_of(app, lead), path)
    assert "group-size" not in _text(app, client_of(app, people[0]), path)


def test_no_warning_between_the_limits(app, world):
    slug, lead, _people, _co = _group(world, 4)
    for path in (f"/s/{slug}/members", f"/s/{slug}/"):
        assert "group-size" not in _text(app, client_of(app, lead), path)


def test_one_more_member_reaches_the_maximum_and_one_leaving_falls_below(app, world):
    slug, lead, people, _co = _group(world, 4, min_members=4, max_members=5)
    client = client_of(app, lead)
    assert "group-size" not in _text(app, client, f"/s/{slug}/")
    world.member(slug, lead, name="Nummer vijf")
    assert tr(app, FULL, num=5, max=5) in _text(app, client, f"/s/{slug}/")
    from app.spaces import members
    from app.spaces.models import Membership
    with world.ctx():
        for person in people[:2]:
            members.remove_member(world.actor(lead.user_id),
                                  db.session.get(Membership, person.membership_id), confirmed=True)
    assert tr(app, BELOW, num=3, min=4) in _text(app, client, f"/s/{slug}/members")


def _statements(app, client, path) -> int:
    client.get(path)
    with app.app_context():
        engine = db.engine
    with QueryCounter(engine) as counter:
        assert client.get(path).status_code == 200
    return counter.count


def test_the_warning_costs_the_home_one_statement_for_facilitators_only(app, world):
    small, lead_small, people_small, _ = _group(world, 1)
    large, lead_large, people_large, _ = _group(world, 12)
    for page in ("/s/{}/", "/s/{}/members"):
        counts = {(who, size): _statements(app, client_of(app, person), page.format(slug))
                  for size, slug, lead, people in (("small", small, lead_small, people_small),
                                                   ("large", large, lead_large, people_large))
                  for who, person in (("lead", lead), ("member", people[0]))}
        assert counts[("lead", "small")] == counts[("lead", "large")]
        assert counts[("member", "small")] == counts[("member", "large")]
        extra = 1 if page == "/s/{}/" else 0
        assert counts[("lead", "small")] - counts[("member", "small")] == extra, (page, counts)
