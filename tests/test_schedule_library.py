"""Planned library material: a facilitator adds material with a publication moment; members
do not find it until then; the worker round tells the group at that moment (not when it was
added); the planned page lists it with the threads and replies."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from app.database import utcnow
from app.extensions import db
from app.library.models import LibraryItem
from tests.conftest import csrf_token
from tests.schedule import ahead, client_of, local, notes, publish
from tests.test_library import post_new


def _item_id(response) -> int:
    return int(re.search(r"/library/(\d+)", response.headers["Location"]).group(1))


def test_planned_material_reaches_the_group_at_its_moment_with_its_notification(app, world, clock):
    slug, lead = world.space()
    member = world.member(slug, lead)
    lead_client, member_client = client_of(app, lead), client_of(app, member)
    form = lead_client.get(f"/s/{slug}/library/new").get_data(as_text=True)
    assert 'name="publish_date"' in form
    moment = ahead(90)
    response = post_new(lead_client, slug, title="Voor volgende week", from_leads="y",
                        **local(moment))
    assert response.status_code == 302
    item_id = _item_id(response)
    assert member_client.get(f"/s/{slug}/library/{item_id}").status_code == 404
    assert "Voor volgende week" not in member_client.get(f"/s/{slug}/library").get_data(as_text=True)
    assert [n for n in notes(app) if n.kind == "library_item"] == []
    planned = lead_client.get(f"/s/{slug}/planned").get_data(as_text=True)
    assert "Voor volgende week" in planned

    clock.move(timedelta(minutes=91))
    assert publish(app) == 1
    with app.app_context():
        item = db.session.get(LibraryItem, item_id)
        assert item.publish_at is None and item.created_at == moment
    assert member_client.get(f"/s/{slug}/library/{item_id}").status_code == 200
    assert [n.membership_id for n in notes(app) if n.kind == "library_item"] == [
        member.membership_id]
    assert publish(app) == 0  # once


def test_bad_moment_for_material_is_refused_with_the_text_kept(app, world):
    slug, lead = world.space()
    response = post_new(client_of(app, lead), slug, title="Mijn titel blijft",
                        **local(utcnow() - timedelta(hours=1)))
    assert response.status_code == 400
    assert "Mijn titel blijft" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(LibraryItem.id)) is None


def test_post_now_publishes_planned_material_at_once(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    client = client_of(app, lead)
    item_id = _item_id(post_new(client, slug, title="Toch nu", from_leads="y",
                                **local(ahead(600))))
    token = csrf_token(client, f"/s/{slug}/planned")
    response = client.post(f"/s/{slug}/planned/l/{item_id}/publish", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/library/{item_id}")
    assert client_of(app, member).get(f"/s/{slug}/library/{item_id}").status_code == 200
    assert len([n for n in notes(app) if n.kind == "library_item"]) == 1
