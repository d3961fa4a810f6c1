"""A group's own library categories: the leads add, rename and remove them (only while
empty); members choose them but cannot change them; built-in names stay the built-in ones."""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.library.models import LibraryCategory
from tests.conftest import csrf_token, login
from tests.test_library import add


def _post(client, slug, path, **data):
    token = csrf_token(client, f"/s/{slug}/library")
    return client.post(f"/s/{slug}/library/categories{path}", data={"csrf_token": token, **data})


def _category_id(name):
    return db.session.scalar(select(LibraryCategory.id).where(LibraryCategory.name == name))


def test_facilitator_adds_a_category_that_forms_and_filters_offer(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    login(client, lead)
    assert _post(client, slug, "", name="Brieven schrijven").status_code == 302
    assert _post(client, slug, "", name="Brieven schrijven").status_code == 302  # resent: one
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(LibraryCategory)) == 1
        category_id = _category_id("Brieven schrijven")
    add(world, slug, member, title="Voorbeeldbrief", category=str(category_id))
    login(client, member)
    form = client.get(f"/s/{slug}/library/new").get_data(as_text=True)
    assert f'value="{category_id}">Brieven schrijven</option>' in form
    page = client.get(f"/s/{slug}/library?category={category_id}").get_data(as_text=True)
    assert "Voorbeeldbrief" in page and f'<option value="{category_id}" selected>' in page


def test_category_names_must_differ_from_the_built_in_and_each_other(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    _post(client, slug, "", name="Formulieren")
    for name, message in (("tips", "vaste categorie"), ("Van de groep", "vaste categorie"),
                          ("formulieren", "al een categorie"), ("   ", "verplicht"),
                          ("x" * 61, "Maximaal 60 tekens")):
        response = _post(client, slug, "", name=name)
        assert response.status_code == 400, name
        assert message in response.get_data(as_text=True), name


def test_category_in_use_cannot_be_removed_until_it_is_empty(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    _post(client, slug, "", name="Oefeningen")
    with world.ctx():
        category_id = _category_id("Oefeningen")
    item_id = add(world, slug, lead, category=str(category_id))

    refused = _post(client, slug, f"/{category_id}/remove")
    assert refused.status_code == 302
    assert "nog materiaal" in client.get(refused.headers["Location"]).get_data(as_text=True)
    with world.ctx():
        assert _category_id("Oefeningen") == category_id
    client.post(f"/s/{slug}/library/{item_id}/remove",
                data={"csrf_token": csrf_token(client, f"/s/{slug}/library")})
    assert _post(client, slug, f"/{category_id}/remove").status_code == 302
    with world.ctx():
        assert _category_id("Oefeningen") is None


def test_facilitator_renames_a_category_and_a_bad_name_is_refused_at_its_field(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    _post(client, slug, "", name="Oud")
    _post(client, slug, "", name="Ander")
    with world.ctx():
        category_id = _category_id("Oud")
    clash = _post(client, slug, f"/{category_id}/rename", **{f"c{category_id}-name": "ander"})
    assert clash.status_code == 400
    assert f'id="c{category_id}-name-error"' in clash.get_data(as_text=True)
    assert 'value="ander"' in clash.get_data(as_text=True)
    ok = _post(client, slug, f"/{category_id}/rename", **{f"c{category_id}-name": "Nieuw"})
    assert ok.status_code == 302
    with world.ctx():
        assert _category_id("Nieuw") == category_id


def test_members_and_other_spaces_cannot_touch_categories(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    other_slug, other_lead = world.space()
    login(client, other_lead)
    _post(client, other_slug, "", name="Van elders")
    with world.ctx():
        foreign = _category_id("Van elders")
    login(client, lead)
    assert _post(client, slug, f"/{foreign}/rename", **{f"c{foreign}-name": "Mijn"}).status_code == 404
    assert _post(client, slug, f"/{foreign}/remove").status_code == 404
    login(client, member)
    assert client.get(f"/s/{slug}/library/categories").status_code == 403
    assert _post(client, slug, "", name="Van een lid").status_code == 403
    with world.ctx():
        assert _category_id("Van een lid") is None and _category_id("Van elders") == foreign
