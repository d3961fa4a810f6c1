"""The facilitators' decisions on intake: the registrations list
(confirmed ones only) and one registration, the statuses new → intake planned → admitted
(the invitation goes out) / declined (a kind, editable message by mail) / waiting list, the
content-free notification, and the answers deleted after the decision by the worker round."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.notify.models import Notification, NotificationSettings
from app.spaces.models import Invitation
from tests.conftest import csrf_token, login
from tests.intake import (
    open_interest_page, registered_and_confirmed, registrations,
)
from tests.mail import inbox, mail_app, run_deliver, text_part  # noqa: F401


def _post(client, path: str, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, "/"), **data})


def _registered(app, world, inbox, *, email="sam@example.org", name="Sam"):
    slug, lead = world.space()
    key = open_interest_page(world, slug, lead)
    registration_id = registered_and_confirmed(app, app.test_client(), inbox, key, name=name,
                                               email=email, answers=("Rust <b>en</b> herkenning", "Nee"))
    return slug, lead, registration_id


# --- the list, the notification, the decisions -------------------------------------------------

def test_facilitators_hear_of_a_confirmed_registration_without_its_content(
        mail_app, inbox, world):
    app = mail_app
    slug, lead = world.space()
    cofacilitator = world.member(slug, lead, role="cofacilitator")
    key = open_interest_page(world, slug, lead)
    with world.ctx():  # the lead wants intake news at once (the default is a daily digest)
        settings = NotificationSettings.defaults(lead.membership_id, world.space_obj(slug).id)
        settings.intake = "direct"
        db.session.add(settings)
        db.session.commit()
    registered_and_confirmed(app, app.test_client(), inbox, key, name="Kandidaat Geheim",
                             answers=("Mijn geheime reden", ""))
    with app.app_context():
        told = db.session.scalars(select(Notification).where(
            Notification.kind == "intake_new")).all()
        assert [n.user_id for n in told] == [lead.user_id]
        assert cofacilitator.user_id not in [n.user_id for n in told]
    client = app.test_client()
    login(client, lead)
    line = client.get("/notifications").get_data(as_text=True)
    assert "Iemand heeft zich aangemeld voor de groep" in line
    assert "Kandidaat Geheim" not in line
    run_deliver(app)
    [mail] = [m for m in inbox.to(lead.email) if "aanmelding" in m.message["Subject"]]
    assert mail.message["Subject"] == "Nieuwe aanmelding voor je groep"
    body = text_part(mail.message)
    assert "Iemand heeft zich aangemeld voor je groep en het e-mailadres bevestigd." in body
    for secret in ("Kandidaat Geheim", "Mijn geheime reden", "sam@example.org", f"Groep {slug}"):
        assert secret not in mail.content.decode("utf-8", "replace")


def test_list_shows_confirmed_registrations_and_detail_shows_the_answers_escaped(
        mail_app, inbox, world):
    app = mail_app
    slug, lead, registration_id = _registered(app, world, inbox, name="Sam <i>de</i> Vries")
    client = app.test_client()
    login(client, lead)
    listing = client.get(f"/s/{slug}/intake").get_data(as_text=True)
    assert "Sam &lt;i&gt;de&lt;/i&gt; Vries" in listing
    assert 'data-status="new"' in listing and "Nieuw: 1" in listing
    detail = client.get(f"/s/{slug}/intake/{registration_id}").get_data(as_text=True)
    assert "Rust &lt;b&gt;en&lt;/b&gt; herkenning" in detail
    assert "Wat hoop je in de groep te vinden?" in detail


def test_status_moves_to_intake_planned_then_waiting_list(mail_app, inbox, world):
    app = mail_app
    slug, lead, registration_id = _registered(app, world, inbox)
    client = app.test_client()
    login(client, lead)
    path = f"/s/{slug}/intake/{registration_id}/status"
    assert _post(client, path, status="planned").status_code == 302
    assert registrations(app)[0].status == "planned"
    assert _post(client, path, status="waiting").status_code == 302
    [waiting] = registrations(app)
    assert waiting.status == "waiting" and waiting.decided_at is None
    refused = _post(client, path, status="admitted")  # only through the admit button
    assert refused.status_code == 400
    assert "Kies een van de mogelijkheden uit de lijst." in refused.get_data(as_text=True)
    assert registrations(app)[0].status == "waiting"


def test_admitting_sends_the_invitation_and_the_candidate_can_join(mail_app, inbox, world):
    from tests.conftest import PASSWORD

    app = mail_app
    slug, lead, registration_id = _registered(app, world, inbox, email="kandidaat@example.org")
    client = app.test_client()
    login(client, lead)
    response = _post(client, f"/s/{slug}/intake/{registration_id}/admit")
    assert response.status_code == 302
    again = _post(client, f"/s/{slug}/intake/{registration_id}/admit")  # a double submit
    assert again.status_code == 302
    [admitted] = registrations(app)
    assert admitted.status == "admitted" and admitted.decided_at is not None
    with app.app_context():
        invitations = db.session.scalars(select(Invitation).where(
            Invitation.email == "kandidaat@example.org")).all()
        assert [i.id for i in invitations] == [admitted.invitation_id]
    run_deliver(app)
    [mail] = [m for m in inbox.to("kandidaat@example.org")
              if "uitnodiging" in m.message["Subject"].lower()]
    link = re.search(r"http://kring\.test(/invite/[A-Za-z0-9_\-]+)", text_part(mail.message))
    newcomer = app.test_client()
    joined = newcomer.post(link.group(1), data={
        "csrf_token": csrf_token(newcomer, link.group(1)), "display_name": "Sam",
        "password": PASSWORD, "accept": "y"})
    assert joined.status_code == 302 and joined.headers["Location"] == f"/s/{slug}/"
    listing = client.get(f"/s/{slug}/intake").get_data(as_text=True)
    assert "Toegelaten: 1" in listing
    # Decided: no more buttons, and a decline is refused.
    detail = client.get(f"/s/{slug}/intake/{registration_id}").get_data(as_text=True)
    assert "Toelaten en uitnodiging sturen" not in detail
    refused = _post(client, f"/s/{slug}/intake/{registration_id}/decline", message="Toch niet")
    assert refused.status_code == 400
    assert "al een besluit genomen" in refused.get_data(as_text=True)


def test_admitting_into_a_full_group_is_refused_and_changes_nothing(mail_app, inbox, world):
    app = mail_app
    slug, lead, registration_id = _registered(app, world, inbox)
    with world.ctx():
        world.space_obj(slug).seat_limit = 1
        db.session.commit()
    client = app.test_client()
    login(client, lead)
    response = _post(client, f"/s/{slug}/intake/{registration_id}/admit")
    assert response.status_code == 400
    assert "De groep is vol" in response.get_data(as_text=True)
    [registration] = registrations(app)
    assert registration.status == "new" and registration.invitation_id is None


def test_declining_mails_the_edited_kind_message_and_an_empty_one_is_refused(
        mail_app, inbox, world):
    app = mail_app
    slug, lead, registration_id = _registered(app, world, inbox, email="niet@example.org")
    client = app.test_client()
    login(client, lead)
    detail = client.get(f"/s/{slug}/intake/{registration_id}").get_data(as_text=True)
    assert "Dank je wel voor je aanmelding en voor het gesprek." in detail  # the kind default
    path = f"/s/{slug}/intake/{registration_id}/decline"
    empty = _post(client, path, message="   ")
    assert empty.status_code == 400
    assert registrations(app)[0].status == "new"
    long = _post(client, path, message="Lief bericht " + "x" * 3000)
    assert long.status_code == 400 and "Lief bericht xxx" in long.get_data(as_text=True)
    message = "Beste Sam,\nDeze groep past nu niet. <b>Sterkte</b>, we denken graag mee."
    assert _post(client, path, message=message).status_code == 302
    assert _post(client, path, message=message).status_code == 302  # twice: one mail
    [declined] = registrations(app)
    assert declined.status == "declined" and declined.decided_at is not None
    run_deliver(app)
    [mail] = [m for m in inbox.to("niet@example.org")
              if m.message["Subject"] == "Over je aanmelding"]
    body = text_part(mail.message)
    assert "Deze groep past nu niet. <b>Sterkte</b>, we denken graag mee." in body
    assert f"Groep {slug}" not in body and lead.name not in body
    html = mail.message.get_body(preferencelist=("html",)).get_content()
    assert "&lt;b&gt;Sterkte&lt;/b&gt;" in html


def test_answers_are_deleted_by_the_worker_round_ninety_days_after_the_decision(
        mail_app, inbox, world, clock):
    from app.notify.worker import run_once

    app = mail_app
    slug, lead = world.space()
    key = open_interest_page(world, slug, lead)
    ids = {who: registered_and_confirmed(app, app.test_client(), inbox, key, name=who,
                                         email=f"{who}@example.org", answers=(f"Antwoord {who}", ""))
           for who in ("toegelaten", "afgewezen", "wachtend")}
    client = app.test_client()
    login(client, lead)
    _post(client, f"/s/{slug}/intake/{ids['toegelaten']}/admit")
    _post(client, f"/s/{slug}/intake/{ids['afgewezen']}/decline", message="Helaas")
    _post(client, f"/s/{slug}/intake/{ids['wachtend']}/status", status="waiting")
    clock.move(timedelta(days=89))
    with app.app_context():
        run_once()
    assert all(r.answers for r in registrations(app))
    clock.move(timedelta(days=1, minutes=1))
    with app.app_context():
        assert run_once()["registrations_purged"] == 2
    found = {r.name: r for r in registrations(app)}
    assert set(found) == {"toegelaten", "wachtend"}  # the declined one is gone entirely
    assert found["toegelaten"].answers is None and found["toegelaten"].answers_deleted_at
    assert found["wachtend"].answer_pairs[0][1] == "Antwoord wachtend"
    login(client, lead)
    detail = client.get(f"/s/{slug}/intake/{ids['toegelaten']}").get_data(as_text=True)
    assert "De antwoorden zijn verwijderd op" in detail and "Antwoord toegelaten" not in detail


def test_the_number_of_days_is_configurable(mail_app, inbox, world, clock):
    from app.intake.purge import purge_registrations

    app = mail_app
    app.config["INTAKE_ANSWER_DAYS"] = 7
    slug, lead, registration_id = _registered(app, world, inbox)
    client = app.test_client()
    login(client, lead)
    _post(client, f"/s/{slug}/intake/{registration_id}/admit")
    clock.move(timedelta(days=7, minutes=1))
    with app.app_context():
        assert purge_registrations() == 1
    assert registrations(app)[0].answers is None
