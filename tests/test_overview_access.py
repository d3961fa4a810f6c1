"""Who may read the participation overview (/s/<slug>/overview): the facilitators; the
co-facilitators only where the space allows it; members, moderators and suspended members
get 403, outsiders and other spaces' facilitators 404; still readable after the rental."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import login
from tests.overview import set_space


def _page(client, slug):
    return client.get(f"/s/{slug}/overview")


def _as(client, person):
    login(client, person)
    return client


def test_facilitator_opens_the_overview_from_the_group_menu(app, client, world):
    slug, lead = world.space()
    _as(client, lead)
    home = client.get(f"/s/{slug}/").get_data(as_text=True)
    assert f'href="/s/{slug}/overview"' in home
    response = _page(client, slug)
    assert response.status_code == 200
    assert "Deelname-overzicht" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["member", "moderator"])
def test_members_and_moderators_are_refused_the_overview_with_403(app, client, world, role):
    slug, lead = world.space()
    person = world.member(slug, lead, role=role)
    _as(client, person)
    assert _page(client, slug).status_code == 403
    assert f'href="/s/{slug}/overview"' not in client.get(f"/s/{slug}/").get_data(as_text=True)


def test_cofacilitator_is_refused_unless_the_space_allows_it(app, client, world):
    slug, lead = world.space()
    co = world.member(slug, lead, role="cofacilitator")
    _as(client, co)
    assert _page(client, slug).status_code == 403
    assert f'href="/s/{slug}/overview"' not in client.get(f"/s/{slug}/").get_data(as_text=True)

    set_space(world, slug, overview_for_cofacilitators=True)
    assert _page(client, slug).status_code == 200
    assert f'href="/s/{slug}/overview"' in client.get(f"/s/{slug}/").get_data(as_text=True)


def test_outsiders_and_another_spaces_facilitator_get_404(app, client, world):
    slug, _lead = world.space()
    other_slug, other_lead = world.space()
    _as(client, other_lead)
    assert _page(client, slug).status_code == 404
    assert _page(client, other_slug).status_code == 200
    stranger = app.test_client()
    login(stranger, world.user())
    assert _page(stranger, slug).status_code == 404
    assert _page(stranger, "bestaat-niet").status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(app, client, world):
    slug, _lead = world.space()
    response = _page(client, slug)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_suspended_member_is_refused(app, client, world):
    from app.extensions import db
    from app.spaces import members
    from app.spaces.models import Membership

    slug, lead = world.space()
    person = world.member(slug, lead)
    with world.ctx():
        members.suspend_member(world.actor(lead.user_id),
                               db.session.get(Membership, person.membership_id), until=None)
    _as(client, person)
    assert _page(client, slug).status_code == 403


def test_facilitator_still_reads_the_overview_after_the_rental_ended(app, client, world):
    from datetime import date

    slug, lead = world.space()
    world.member(slug, lead, name="Anouk")
    set_space(world, slug, rental_start=date.today() - timedelta(days=90),
              rental_end=date.today() - timedelta(days=1))
    _as(client, lead)
    response = _page(client, slug)
    assert response.status_code == 200
    assert "Anouk" in response.get_data(as_text=True)
