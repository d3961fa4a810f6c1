"""The facilitators' intake pages and who reaches them: setting up the interest page (bad
input refused at the field with the text kept), the registrations list and one registration
(403 for every other role, 404 for outsiders and for another space's registration), and
unconfirmed registrations kept out of sight."""
from __future__ import annotations

import re

from tests.conftest import csrf_token, login
from tests.intake import INTRODUCTION, open_interest_page, registered_and_confirmed, registrations
from tests.mail import inbox, mail_app  # noqa: F401  (fixtures)


def _post(client, path: str, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, "/"), **data})


def _registered(app, world, inbox, *, email="sam@example.org", name="Sam"):
    slug, lead = world.space()
    key = open_interest_page(world, slug, lead)
    registration_id = registered_and_confirmed(app, app.test_client(), inbox, key, name=name,
                                               email=email, answers=("Rust", "Nee"))
    return slug, lead, registration_id


# --- the set-up -------------------------------------------------------------------------------

def test_facilitator_opens_the_interest_page_and_sees_its_address(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    page = client.get(f"/s/{slug}/intake/setup")
    assert page.status_code == 200
    assert 'id="is_open"' in page.get_data(as_text=True)
    response = _post(client, f"/s/{slug}/intake/setup", is_open="y", introduction=INTRODUCTION,
                     rhythm="Elke dinsdag", questions="Waarom nu?\n\nWat zoek je?",
                     decline_message="")
    assert response.status_code == 302
    html = client.get(f"/s/{slug}/intake/setup").get_data(as_text=True)
    key = re.search(r'value="http://kring\.test/aanmelden/([^"]+)"', html).group(1)
    public = app.test_client().get(f"/aanmelden/{key}").get_data(as_text=True)
    assert "Waarom nu?" in public and "Wat zoek je?" in public and "Elke dinsdag" in public


def test_opening_without_an_introduction_is_refused_with_the_text_kept(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    response = _post(client, f"/s/{slug}/intake/setup", is_open="y", introduction="  ",
                     rhythm="Elke dinsdag", questions="Mijn eigen vraag?", decline_message="")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Schrijf een introductie" in html
    assert "Mijn eigen vraag?" in html and 'value="Elke dinsdag"' in html
    too_many = "\n".join(f"Vraag {n}?" for n in range(9))
    response = _post(client, f"/s/{slug}/intake/setup", introduction="Hallo",
                     questions=too_many, rhythm="", decline_message="")
    assert response.status_code == 400
    assert "Stel hoogstens 8 vragen (nu 9)." in response.get_data(as_text=True)
    deep = "> " * 30 + "diep"
    response = _post(client, f"/s/{slug}/intake/setup", introduction=deep, rhythm="",
                     questions="", decline_message="")
    assert response.status_code == 400
    with world.ctx():
        from app.intake.setup import page_of

        assert page_of(world.space_obj(slug)) is None


def test_members_and_cofacilitators_may_not_see_intake_and_outsiders_get_a_404(
        mail_app, inbox, world):
    app = mail_app
    slug, lead, registration_id = _registered(app, world, inbox)
    paths = [f"/s/{slug}/intake", f"/s/{slug}/intake/setup",
             f"/s/{slug}/intake/{registration_id}"]
    posts = [f"/s/{slug}/intake/{registration_id}/admit",
             f"/s/{slug}/intake/{registration_id}/decline",
             f"/s/{slug}/intake/{registration_id}/status", f"/s/{slug}/intake/setup/key"]
    for role in ("member", "moderator", "cofacilitator"):
        person = world.member(slug, lead, role=role)
        client = app.test_client()
        login(client, person)
        for path in paths:
            assert client.get(path).status_code == 403, (role, path)
        for path in posts:
            assert _post(client, path, status="planned", message="x").status_code == 403, (role, path)
        assert "Aanmeldingen" not in client.get(f"/s/{slug}/").get_data(as_text=True)
    outsider = app.test_client()
    login(outsider, world.user())
    for path in paths:
        assert outsider.get(path).status_code == 404
    assert registrations(app)[0].status == "new"


def test_another_spaces_registration_is_a_404_for_a_facilitator(mail_app, inbox, world):
    app = mail_app
    _slug, _lead, registration_id = _registered(app, world, inbox)
    other_slug, other_lead = world.space()
    client = app.test_client()
    login(client, other_lead)
    assert client.get(f"/s/{other_slug}/intake/{registration_id}").status_code == 404
    for action in ("admit", "decline", "status"):
        response = _post(client, f"/s/{other_slug}/intake/{registration_id}/{action}",
                         status="planned", message="x")
        assert response.status_code == 404
    assert client.get(f"/s/{other_slug}/intake/999999").status_code == 404
    assert registrations(app)[0].status == "new"


def test_unconfirmed_registrations_do_not_count(app, client, world):
    from tests.intake import post_registration

    slug, lead = world.space()
    key = open_interest_page(world, slug, lead)
    post_registration(app.test_client(), key, name="Onbevestigd", email="nog-niet@example.org")
    [pending] = registrations(app)
    login(client, lead)
    assert "Onbevestigd" not in client.get(f"/s/{slug}/intake").get_data(as_text=True)
    assert client.get(f"/s/{slug}/intake/{pending.id}").status_code == 404


