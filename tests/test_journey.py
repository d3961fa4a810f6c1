"""The main journey over HTTP: the operator rents a space, the facilitator joins and invites,
a member joins, accepts the agreement, starts a thread, replies and reacts."""
import re
from datetime import date, timedelta

from app.notify.models import OutboxMessage
from tests.conftest import PASSWORD, csrf_token, login
from tests.mail import rendered_mail
from tests.twofactor_steps import set_up


def _link_from_outbox(app, to: str) -> str:
    message = rendered_mail(app, OutboxMessage.to_addr == to)[-1]
    return re.search(r"http://kring\.test(/invite/\S+)", message.body_text).group(1)


def test_operator_to_member_journey(app, client, world):
    operator = world.user("beheer@example.org", operator=True)
    login(client, operator)
    token = csrf_token(client, "/admin/spaces")
    response = client.post("/admin/spaces", data={
        "csrf_token": token, "name": "Grip op je geld", "slug": "grip", "theme": "Geld",
        "description": "Samen", "renter": "Welzijn", "rental_start": date.today().isoformat(),
        "rental_end": (date.today() + timedelta(days=365)).isoformat(), "seat_limit": "10", "facilitator_email": "lead@example.org"})
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    invite_path = _link_from_outbox(app, "lead@example.org")
    # The link goes to the facilitator's mailbox only: whoever holds it can join.
    assert "/invite/" not in page and invite_path not in page
    # The operator cannot use it either, not even by chance.
    token = csrf_token(client, invite_path)
    client.post(invite_path, data={"csrf_token": token, "display_name": "Beheer", "accept": "y"})
    assert client.get("/s/grip/").status_code == 404

    lead_client = app.test_client()
    token = csrf_token(lead_client, invite_path)
    response = lead_client.post(invite_path, data={
        "csrf_token": token, "password": PASSWORD, "display_name": "Marieke", "accept": "y"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/s/grip/")
    # A facilitator sets up two-step login before anything else (password again, then the
    # app's code), and is back in the group.
    assert lead_client.get("/s/grip/").headers["Location"] == "/account/2fa/setup"
    set_up(lead_client, confirm_with_password=True)
    assert lead_client.get("/s/grip/").status_code == 200

    token = csrf_token(lead_client, "/s/grip/invite")
    response = lead_client.post("/s/grip/invite", data={
        "csrf_token": token, "email": "sanne@example.org", "role": "member"})
    assert response.status_code == 302
    member_path = _link_from_outbox(app, "sanne@example.org")
    assert member_path in lead_client.get("/s/grip/invite").get_data(as_text=True)

    member = app.test_client()
    token = csrf_token(member, member_path)
    response = member.post(member_path, data={
        "csrf_token": token, "password": PASSWORD, "display_name": "Sanne", "accept": "y"})
    assert response.status_code == 302
    home = member.get("/s/grip/")
    assert home.status_code == 200

    token = csrf_token(member, "/s/grip/t/new")
    response = member.post("/s/grip/t/new", data={
        "csrf_token": token, "kind": "discussion", "title": "Hoe houden jullie overzicht?",
        "body": "Ik gebruik een **schriftje**."})
    assert response.status_code == 302
    thread_path = response.headers["Location"]
    page = member.get(thread_path).get_data(as_text=True)
    assert "<strong>schriftje</strong>" in page

    token = csrf_token(lead_client, thread_path)
    response = lead_client.post(thread_path + "/reply", data={"csrf_token": token, "body": "Goed idee!"})
    assert response.status_code == 302
    page = lead_client.get(response.headers["Location"].split("#")[0]).get_data(as_text=True)
    assert "Goed idee!" in page

    post_id = re.search(r"/s/grip/p/(\d+)/react", page).group(1)
    token = csrf_token(member, thread_path)
    response = member.post(f"/s/grip/p/{post_id}/react", data={"csrf_token": token, "choice": "thanks:1"})
    assert response.status_code == 302
    page = member.get(thread_path + "?page=1").get_data(as_text=True)
    assert "Dank je: Sanne" in page or "Thanks: Sanne" in page

    # The operator rents the space out but never sees inside it.
    assert client.get("/s/grip/").status_code == 404
    admin_page = client.get("/admin/spaces/grip").get_data(as_text=True)
    assert "Sanne" not in admin_page and "Marieke" not in admin_page
    assert "2 / 10" in admin_page
