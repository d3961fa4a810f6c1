"""The facilitators' line (issue 10, item 7): a member writes privately to the facilitators,
the leads read every line with unread markers and write to a member, messages go through
app/markup.py, and the mail about a message says nothing of it."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.line.models import LineConversation, LineMessage
from app.notify.models import Notification
from app.notify.outbox import OutboxMessage, render
from app.spaces.models import Membership
from tests.conftest import csrf_token, login


def write(client, path: str, body: str):
    return client.post(path, data={"csrf_token": csrf_token(client, path), "body": body})


def messages(world) -> list[str]:
    with world.ctx():
        return list(db.session.scalars(select(LineMessage.body).order_by(LineMessage.id)))


def told(world, kind="line_message") -> set[int]:
    with world.ctx():
        return set(db.session.scalars(select(Notification.membership_id).where(
            Notification.kind == kind)))


def test_member_writes_to_the_facilitators_and_only_the_facilitators_are_told(app, client, world):
    slug, lead = world.space()
    second_lead = world.member(slug, lead, role="facilitator", name="Tweede begeleider")
    cofacilitator = world.member(slug, lead, role="cofacilitator", name="Co")
    member = world.member(slug, lead, name="Sanne")
    other = world.member(slug, lead, name="Ander lid")
    login(client, member)

    response = write(client, f"/s/{slug}/line", "Ik zit er even doorheen.")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/s/{slug}/line#latest")
    assert messages(world) == ["Ik zit er even doorheen."]
    # Both facilitators hear of it; the co-facilitator (the space keeps the line to the
    # facilitators by default), the other member and the author do not.
    assert told(world) == {lead.membership_id, second_lead.membership_id}
    assert cofacilitator.membership_id not in told(world) and other.membership_id not in told(world)
    page = client.get(f"/s/{slug}/line").get_data(as_text=True)
    assert "Ik zit er even doorheen." in page
    assert "Andere deelnemers kunnen dit niet zien" in page


def test_mail_about_a_line_message_says_nothing_of_it(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead, name="Sanne")
    login(client, member)
    write(client, f"/s/{slug}/line", "Mijn geheime zorg over thuis")
    with world.ctx():
        mails = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.notification_id.is_not(None))).all()
        assert [m.to_addr for m in mails] == [lead.email]
        with app.test_request_context():
            subject, text, html = render(mails[0])
    assert subject == "Er is een bericht voor je in Kring (je groep)"
    assert "Er is een bericht voor je in Kring" in text
    for part in (subject, text, html):
        assert "geheime" not in part and "Sanne" not in part and "Groep" not in part


def test_facilitator_sees_every_line_with_an_unread_marker_until_opened(app, client, world):
    slug, lead = world.space()
    sanne = world.member(slug, lead, name="Sanne")
    world.member(slug, lead, name="Hamid")  # no line yet: listed to start one
    member = app.test_client()
    login(member, sanne)
    write(member, f"/s/{slug}/line", "Hallo begeleiders")
    login(client, lead)

    listing = client.get(f"/s/{slug}/line").get_data(as_text=True)
    assert "Sanne" in listing and "Hamid" in listing
    assert listing.count('class="badge new"') == 1
    assert "Nog geen berichten" in listing  # Hamid's
    line = client.get(f"/s/{slug}/line/{sanne.membership_id}").get_data(as_text=True)
    assert "Hallo begeleiders" in line and 'id="unread"' in line

    assert 'class="badge new"' not in client.get(f"/s/{slug}/line").get_data(as_text=True)
    with world.ctx():
        assert db.session.scalar(select(Notification.read_at).where(
            Notification.membership_id == lead.membership_id,
            Notification.kind == "line_message")) is not None
    again = client.get(f"/s/{slug}/line/{sanne.membership_id}").get_data(as_text=True)
    assert 'id="unread"' not in again


def test_facilitator_answers_and_only_the_member_is_told(app, client, world):
    slug, lead = world.space()
    second_lead = world.member(slug, lead, role="facilitator", name="Tweede begeleider")
    sanne = world.member(slug, lead, name="Sanne")
    login(client, lead)

    response = write(client, f"/s/{slug}/line/{sanne.membership_id}", "Fijn dat je het zegt.")

    assert response.status_code == 302
    assert told(world) == {sanne.membership_id}
    # The colleague sees the line as unread on the list, without a notification.
    colleague = app.test_client()
    login(colleague, second_lead)
    assert 'class="badge new"' in colleague.get(f"/s/{slug}/line").get_data(as_text=True)
    member = app.test_client()
    login(member, sanne)
    notifications = member.get("/notifications").get_data(as_text=True)
    assert "De begeleiders schreven je privé" in notifications
    opened = member.get(f"/s/{slug}/line").get_data(as_text=True)
    assert "Fijn dat je het zegt." in opened and "Begeleider" in opened


def test_a_line_notification_opens_the_line_for_the_member_and_for_the_lead(app, client, world):
    slug, lead = world.space()
    sanne = world.member(slug, lead, name="Sanne")
    login(client, sanne)
    write(client, f"/s/{slug}/line", "Vraagje")
    leads = app.test_client()
    login(leads, lead)
    write(leads, f"/s/{slug}/line/{sanne.membership_id}", "Antwoord")

    def opened(person_client, person) -> str:
        with world.ctx():
            notification_id = db.session.scalar(select(Notification.id).where(
                Notification.kind == "line_message",
                Notification.membership_id == person.membership_id))
        return person_client.get(f"/notifications/{notification_id}").headers["Location"]

    assert opened(client, sanne).endswith(f"/s/{slug}/line#latest")
    assert opened(leads, lead).endswith(f"/s/{slug}/line/{sanne.membership_id}#latest")
    listed = leads.get("/notifications").get_data(as_text=True)
    assert "Nieuw privébericht op de lijn met Sanne" in listed
    assert "Vraagje" not in listed


def test_facilitator_starts_a_line_from_the_members_page(app, client, world):
    slug, lead = world.space()
    sanne = world.member(slug, lead, name="Sanne")
    login(client, lead)
    members = client.get(f"/s/{slug}/members").get_data(as_text=True)
    link = f'/s/{slug}/line/{sanne.membership_id}#write'
    assert link in members
    assert f'/s/{slug}/line/{lead.membership_id}#write' not in members  # not to oneself

    page = client.get(f"/s/{slug}/line/{sanne.membership_id}")
    assert page.status_code == 200 and "Schrijf aan Sanne" in page.get_data(as_text=True)
    write(client, f"/s/{slug}/line/{sanne.membership_id}", "Hoe gaat het met je?")
    with world.ctx():
        line = db.session.scalar(select(LineConversation))
        assert line.membership_id == sanne.membership_id
        assert line.started_by_id == lead.membership_id and line.message_count == 1


def test_members_page_shows_members_no_way_to_message_each_other(app, client, world):
    slug, lead = world.space()
    sanne = world.member(slug, lead, name="Sanne")
    world.member(slug, lead, name="Hamid")
    login(client, sanne)
    members = client.get(f"/s/{slug}/members").get_data(as_text=True)
    assert "/line/" not in members and "Privé schrijven" not in members


def test_moderation_case_links_to_the_line_with_the_author(app, client, world):
    from app.moderation import flags

    slug, lead = world.space()
    sanne = world.member(slug, lead, name="Sanne")
    thread_id = world.thread(slug, lead)
    post_id = world.reply(slug, thread_id, sanne, "Ik zie het niet meer zitten")
    with world.ctx():
        from app.forum.models import Post

        case_id = flags.flag_post(world.actor(lead.user_id), db.session.get(Post, post_id),
                                  reason="hurtful").case_id
    login(client, lead)
    case = client.get(f"/s/{slug}/moderation/{case_id}").get_data(as_text=True)
    assert f'/s/{slug}/line/{sanne.membership_id}#write' in case
    assert "Schrijf Sanne privé" in case


def test_default_agreement_says_members_do_not_message_each_other_privately(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    agreement = client.get(f"/s/{slug}/agreement").get_data(as_text=True)
    assert "geen privéberichten" in agreement
    assert "begeleiders" in agreement


def test_the_demo_has_lines_with_the_facilitators(app):
    from app.demo import CONTENT, seed_demo

    with app.app_context():
        seed_demo()
        counts = dict(db.session.execute(
            select(Membership.display_name, LineConversation.message_count)
            .join(LineConversation, LineConversation.membership_id == Membership.id)).all())
    assert counts == {CONTENT["people"][spec["member"]]["display_name"]: len(spec["messages"])
                      for spec in CONTENT["line"]}
