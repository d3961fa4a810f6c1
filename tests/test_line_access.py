"""Who reaches which line, and bad input on the line: a member never reads another member's
line (404), a co-facilitator reads the lines only where the space allows it (403 otherwise),
another space's member is a 404, hostile Markdown is sanitised, a refused message keeps its
text, a double submit stores one message, and members cannot message each other at all."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.errors import Forbidden
from app.extensions import db
from app.line import service
from app.line.models import LineConversation, LineMessage
from app.notify.models import Notification
from app.spaces import members as member_service
from app.spaces.models import Membership
from app.text import BODY_MAX
from tests.conftest import csrf_token, login
from tests.test_bad_input import HOSTILE, NESTED, assert_field_error, assert_kept, assert_sanitised
from tests.test_line import messages, told, write


def line_rows(world) -> tuple[int, int]:
    with world.ctx():
        return (db.session.scalar(select(func.count()).select_from(LineConversation)),
                db.session.scalar(select(func.count()).select_from(LineMessage)))


def set_space(world, slug, **values) -> None:
    with world.ctx():
        space = world.space_obj(slug)
        for name, value in values.items():
            setattr(space, name, value)
        db.session.commit()


@pytest.fixture
def group(world):
    slug, lead = world.space()
    sanne = world.member(slug, lead, name="Sanne")
    hamid = world.member(slug, lead, name="Hamid")
    return slug, lead, sanne, hamid


def test_member_cannot_read_or_write_another_members_line(app, client, world, group):
    slug, lead, sanne, hamid = group
    other = app.test_client()
    login(other, hamid)
    write(other, f"/s/{slug}/line", "Alleen voor de begeleiders")
    login(client, sanne)
    before = line_rows(world)

    assert client.get(f"/s/{slug}/line/{hamid.membership_id}").status_code == 404
    token = csrf_token(client, f"/s/{slug}/line")
    response = client.post(f"/s/{slug}/line/{hamid.membership_id}",
                           data={"csrf_token": token, "body": "Psst, Hamid"})
    assert response.status_code == 404
    assert line_rows(world) == before
    assert "Alleen voor de begeleiders" not in client.get(f"/s/{slug}/line").get_data(as_text=True)
    # A member writing to a facilitator directly is no line either: their own line is the way.
    assert client.get(f"/s/{slug}/line/{lead.membership_id}").status_code == 404


def test_leads_have_no_line_with_each_other(app, client, world, group):
    slug, lead, _sanne, _hamid = group
    colleague = world.member(slug, lead, role="cofacilitator", name="Co")
    login(client, lead)
    assert client.get(f"/s/{slug}/line/{colleague.membership_id}").status_code == 404
    assert client.get(f"/s/{slug}/line/{lead.membership_id}").status_code == 302  # own: /line
    assert write(client, f"/s/{slug}/line/{colleague.membership_id}", "Collega").status_code == 404
    assert line_rows(world) == (0, 0)


def test_member_opening_their_own_line_by_id_lands_on_it(app, client, world, group):
    slug, _lead, sanne, _hamid = group
    login(client, sanne)
    response = client.get(f"/s/{slug}/line/{sanne.membership_id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/s/{slug}/line")


def test_services_give_members_no_way_to_write_to_another_member(app, world, group):
    slug, _lead, sanne, hamid = group
    with world.ctx():
        actor = world.actor(sanne.user_id)
        with pytest.raises(Forbidden):
            service.write_to_member(actor, world.space_obj(slug),
                                    db.session.get(Membership, hamid.membership_id), body="Hoi")
    assert line_rows(world) == (0, 0)


def test_kring_has_no_route_for_private_messages_between_members(app):
    """The line is the only private conversation: the member's own, and the leads' view of a
    member's line. No other route takes a message to a person."""
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert {r for r in rules if "/line" in r} == {"/s/<slug>/line", "/s/<slug>/line/<id:member_id>"}
    assert not [r for r in rules if any(w in r for w in ("/dm", "/message", "/inbox", "/chat"))]


def test_cofacilitator_reads_no_line_unless_the_space_allows_it(app, client, world, group):
    slug, lead, sanne, _hamid = group
    co = world.member(slug, lead, role="cofacilitator", name="Co")
    member = app.test_client()
    login(member, sanne)
    write(member, f"/s/{slug}/line", "Eerste bericht")
    login(client, co)
    token = csrf_token(client, f"/s/{slug}/")
    before = line_rows(world)

    assert client.get(f"/s/{slug}/line").status_code == 403
    assert client.get(f"/s/{slug}/line/{sanne.membership_id}").status_code == 403
    assert client.post(f"/s/{slug}/line", data={"csrf_token": token, "body": "x"}).status_code == 403
    assert client.post(f"/s/{slug}/line/{sanne.membership_id}",
                       data={"csrf_token": token, "body": "x"}).status_code == 403
    assert line_rows(world) == before
    assert f"/s/{slug}/line" not in client.get(f"/s/{slug}/").get_data(as_text=True)

    set_space(world, slug, line_for_cofacilitators=True)
    assert "Sanne" in client.get(f"/s/{slug}/line").get_data(as_text=True)
    assert "Eerste bericht" in client.get(f"/s/{slug}/line/{sanne.membership_id}").get_data(as_text=True)
    assert write(client, f"/s/{slug}/line/{sanne.membership_id}", "Van de co").status_code == 302
    write(member, f"/s/{slug}/line", "Tweede bericht")
    assert co.membership_id in told(world)
    assert "co-begeleiders" in member.get(f"/s/{slug}/line").get_data(as_text=True)


def test_another_spaces_member_and_line_are_not_found(app, client, world, group):
    slug, lead, sanne, _hamid = group
    other_slug, other_lead = world.space()
    stranger = world.member(other_slug, other_lead, name="Elders")
    login(client, lead)
    token = csrf_token(client, f"/s/{slug}/line")

    assert client.get(f"/s/{slug}/line/{stranger.membership_id}").status_code == 404
    assert client.post(f"/s/{slug}/line/{stranger.membership_id}",
                       data={"csrf_token": token, "body": "Verkeerde groep"}).status_code == 404
    assert client.get(f"/s/{other_slug}/line").status_code == 404
    assert client.get(f"/s/{other_slug}/line/{stranger.membership_id}").status_code == 404
    outsider = app.test_client()
    login(outsider, world.user())
    assert outsider.get(f"/s/{slug}/line").status_code == 404
    assert outsider.get(f"/s/{slug}/line/{sanne.membership_id}").status_code == 404
    assert line_rows(world) == (0, 0)


def test_moderator_has_a_line_of_their_own(app, client, world, group):
    slug, lead, _sanne, _hamid = group
    moderator = world.member(slug, lead, role="moderator", name="Mo")
    login(client, moderator)
    assert write(client, f"/s/{slug}/line", "Even overleggen").status_code == 302
    assert told(world) == {lead.membership_id}


def test_line_of_someone_who_left_stays_readable_to_the_leads_but_closed(app, client, world, group):
    slug, lead, sanne, _hamid = group
    member = app.test_client()
    login(member, sanne)
    write(member, f"/s/{slug}/line", "Ik stop met de groep")
    with world.ctx():
        member_service.remove_member(world.actor(lead.user_id),
                                     db.session.get(Membership, sanne.membership_id), confirmed=True)
    login(client, lead)
    assert "uit de groep" in client.get(f"/s/{slug}/line").get_data(as_text=True)
    page = client.get(f"/s/{slug}/line/{sanne.membership_id}").get_data(as_text=True)
    assert "Ik stop met de groep" in page and 'name="body"' not in page
    assert write(client, f"/s/{slug}/line/{sanne.membership_id}", "Nog iets").status_code == 403
    assert member.get(f"/s/{slug}/line").status_code == 404


def test_line_of_someone_who_left_as_former_member_shows_no_name(app, client, world, group):
    slug, lead, sanne, _hamid = group
    member = app.test_client()
    login(member, sanne)
    write(member, f"/s/{slug}/line", "Tot ziens")
    with world.ctx():
        row = db.session.get(Membership, sanne.membership_id)
        row.anonymous_after_leaving = True
        db.session.commit()
        member_service.remove_member(world.actor(lead.user_id),
                                     db.session.get(Membership, sanne.membership_id),
                                     confirmed=True)
    login(client, lead)
    for path in (f"/s/{slug}/line", f"/s/{slug}/line/{sanne.membership_id}"):
        page = client.get(path).get_data(as_text=True)
        assert "oud-deelnemer" in page and "Sanne" not in page, path


def test_after_the_rental_the_line_can_be_read_but_not_written(app, client, world, group):
    slug, lead, sanne, _hamid = group
    login(client, sanne)
    write(client, f"/s/{slug}/line", "Voor het einde")
    token = csrf_token(client, f"/s/{slug}/line")
    set_space(world, slug, rental_start=date.today() - timedelta(days=60),
              rental_end=date.today() - timedelta(days=1))
    page = client.get(f"/s/{slug}/line")
    assert page.status_code == 200 and 'name="body"' not in page.get_data(as_text=True)
    assert client.post(f"/s/{slug}/line", data={"csrf_token": token, "body": "Na het einde"}
                       ).status_code == 403
    lead_client = app.test_client()
    login(lead_client, lead)
    assert lead_client.get(f"/s/{slug}/line/{sanne.membership_id}").status_code == 200
    assert messages(world) == ["Voor het einde"]


@pytest.mark.parametrize("side", ["member", "lead"])
def test_hostile_markdown_on_the_line_is_stored_and_shown_sanitised(app, client, world, group, side):
    slug, lead, sanne, _hamid = group
    writer, path = (sanne, f"/s/{slug}/line") if side == "member" else (
        lead, f"/s/{slug}/line/{sanne.membership_id}")
    login(client, writer)
    assert write(client, path, HOSTILE).status_code == 302
    with world.ctx():
        body_html = db.session.scalar(select(LineMessage.body_html))
    assert_sanitised(body_html)
    reader = app.test_client()
    login(reader, lead if side == "member" else sanne)
    page = reader.get(f"/s/{slug}/line" if side == "lead" else f"/s/{slug}/line/{sanne.membership_id}")
    assert page.status_code == 200
    assert '<script>alert' not in page.get_data(as_text=True)


@pytest.mark.parametrize("body, error", [
    ("", "Schrijf eerst een bericht."),
    ("   \n\t ", "Schrijf eerst een bericht."),
    (NESTED, "te veel lagen"),
    ("Mijn verhaal " + "x" * BODY_MAX, "maximaal"),
])
@pytest.mark.parametrize("side", ["member", "lead"])
def test_refused_message_is_a_400_at_the_field_with_the_text_kept(app, client, world, group,
                                                                  body, error, side):
    slug, lead, sanne, _hamid = group
    writer, path = (sanne, f"/s/{slug}/line") if side == "member" else (
        lead, f"/s/{slug}/line/{sanne.membership_id}")
    login(client, writer)
    write(client, path, "Een eerder bericht")
    before = line_rows(world)

    response = write(client, path, body)

    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert_field_error(html, "body")
    assert error in html
    assert "Een eerder bericht" in html  # the line is still there around the form
    if body.strip():
        assert_kept(html, body)
    assert line_rows(world) == before


def test_double_submit_stores_one_message_and_tells_once(app, client, world, group):
    slug, lead, sanne, _hamid = group
    login(client, sanne)
    token = csrf_token(client, f"/s/{slug}/line")
    data = {"csrf_token": token, "body": "Twee keer geklikt"}
    first = client.post(f"/s/{slug}/line", data=data)
    second = client.post(f"/s/{slug}/line", data=data)
    assert first.status_code == second.status_code == 302
    assert messages(world) == ["Twee keer geklikt"]
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(Notification).where(
            Notification.kind == "line_message")) == 1
        assert db.session.scalar(select(LineConversation.message_count)) == 1
