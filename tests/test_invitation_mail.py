"""The invitation mail says who invites (the renting organisation and the inviter's name in
the group, or the organisation alone for the first facilitator) and nothing about the group;
the facilitator sees on the invite page whether each invitation's mail is queued, sent or
failed, as it really stands."""
from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from app.extensions import db
from app.notify.outbox import OutboxMessage, invitation_mail_state
from app.spaces.models import Invitation
from tests.conftest import QueryCounter, login
from tests.mail import (  # noqa: F401  (inbox and mail_app are fixtures)
    Rendered, clear_outbox, inbox, mail_app, rendered_mail, run_deliver)


def invitation_mail(app, address: str) -> Rendered:
    return rendered_mail(app, OutboxMessage.to_addr == address)[-1]


def invitation_of(app, address: str) -> Invitation:
    with app.app_context():
        invitation = db.session.scalar(select(Invitation).where(Invitation.email == address))
        db.session.expunge(invitation)
        return invitation


def test_invitation_mail_names_the_organisation_and_the_inviters_name_in_the_group(app, world):
    slug, lead = world.space()
    world.member(slug, lead, name="Geheime Deelnemer")
    thread_id = world.thread(slug, lead, title="Geheim gesprek", body="Geheime tekst")
    world.invite_token(slug, lead, email="nieuw@example.org")
    mail = invitation_mail(app, "nieuw@example.org")
    sentence = f"{lead.name} van Welzijn Test nodigt je uit voor een groep op Kring."
    assert sentence in mail.body_text
    assert sentence in mail.body_html
    assert mail.invitation_id == invitation_of(app, "nieuw@example.org").id
    assert thread_id
    for secret in (f"Groep {slug}", "Geheime Deelnemer", "Geheim gesprek", "Geheime tekst",
                   f"/s/{slug}"):
        assert secret not in mail.subject + mail.body_text + mail.body_html
    assert "Welzijn" not in mail.subject  # the lock screen shows no organisation either


def test_first_facilitator_invitation_names_the_organisation_only(app, world):
    operator = world.user(operator=True)
    from app.spaces import service as spaces

    with world.ctx():
        spaces.create_space(
            world.actor(operator.user_id), name="Grip op geld", slug="grip", theme="Geld",
            description="Omschrijving", renter="Stichting Zorg & Welzijn <Noord>",
            rental_start=date.today(), rental_end=date.today() + timedelta(days=30),
            seat_limit=10, facilitator_email="eerste@example.org")
    mail = invitation_mail(app, "eerste@example.org")
    assert ("Stichting Zorg & Welzijn <Noord> nodigt je uit voor een groep op Kring."
            in mail.body_text)
    # Escaped in HTML: an organisation's name is text, never markup.
    assert ("Stichting Zorg &amp; Welzijn &lt;Noord&gt; nodigt je uit voor een groep op Kring."
            in mail.body_html)
    assert operator.email not in mail.body_text + mail.body_html
    assert " van Stichting" not in mail.body_text  # nobody's name: the operator is in no group


def _state_cells(page: str) -> dict[str, tuple[str, str]]:
    """Email address → (data-state, cell text) for each row of the open invitations."""
    cells = {}
    for address, state, text in re.findall(
            r'<tr><td>([^<]+)</td><td>[^<]*</td>\s*<td class="mail-state" data-state="([a-z]*)">(.*?)</td>',
            page, re.S):
        cells[address] = (state, re.sub(r"<[^>]+>", " ", text).strip())
    return cells


def test_facilitator_sees_whether_each_invitations_mail_is_queued_sent_or_failed(mail_app, world, inbox, client):
    slug, lead = world.space()
    clear_outbox(mail_app)
    inbox.refuse = {"verkeerd@example.org": "550 5.1.1 no such user"}
    world.invite_token(slug, lead, email="verstuurd@example.org")
    world.invite_token(slug, lead, email="verkeerd@example.org")
    assert run_deliver(mail_app) == {"sent": 1, "retry": 0, "dead": 1}
    world.invite_token(slug, lead, email="wacht@example.org")

    login(client, lead)
    page = client.get(f"/s/{slug}/invite")
    assert page.status_code == 200
    cells = _state_cells(page.get_data(as_text=True))
    assert cells["wacht@example.org"] == ("queued", "in de wachtrij")
    assert cells["verstuurd@example.org"] == ("sent", "verstuurd")
    state, text = cells["verkeerd@example.org"]
    assert state == "failed" and text.startswith("mislukt")
    assert "Kijk of het adres klopt" in text and "Trek deze uitnodiging dan in" in text
    assert "Kijk of het adres klopt" not in cells["verstuurd@example.org"][1]

    # A mail waiting for its retry is still queued, not failed.
    inbox.refuse = {"later@example.org": "451 4.7.1 try again later"}
    world.invite_token(slug, lead, email="later@example.org")
    assert run_deliver(mail_app)["retry"] == 1
    cells = _state_cells(client.get(f"/s/{slug}/invite").get_data(as_text=True))
    assert cells["later@example.org"] == ("queued", "in de wachtrij")


def test_invitation_mail_state_follows_the_outbox_for_the_operators_view(mail_app, world, inbox):
    slug, lead = world.space()
    inbox.refuse = {"kapot@example.org": "550 5.1.1 no such user"}
    world.invite_token(slug, lead, email="kapot@example.org")
    invitation = invitation_of(mail_app, "kapot@example.org")
    with mail_app.app_context():
        assert invitation_mail_state(invitation) == "queued"
    run_deliver(mail_app)
    with mail_app.app_context():
        assert invitation_mail_state(invitation) == "failed"
    inbox.refuse = {}
    retried = mail_app.test_cli_runner().invoke(args=["kring", "outbox", "--retry"])
    assert retried.exit_code == 0
    with mail_app.app_context():
        assert invitation_mail_state(invitation) == "queued"
    run_deliver(mail_app)
    with mail_app.app_context():
        assert invitation_mail_state(invitation) == "sent"


def test_invite_page_statements_do_not_grow_with_open_invitations(app, world, client):
    slug, lead = world.space()
    login(client, lead)
    client.get(f"/s/{slug}/")  # the day's visit is recorded once (app/spaces/visits.py)
    counts = []
    for batch in (1, 4):  # one open invitation, then five
        for n in range(batch):
            world.invite_token(slug, lead, email=f"open{batch}-{n}@example.org")
        with app.app_context(), QueryCounter(db.engine) as counter:
            assert client.get(f"/s/{slug}/invite").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] == 6, counts  # the mail states: one of them
