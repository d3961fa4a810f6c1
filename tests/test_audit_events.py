"""Every event the existing services write to the audit trail: who (account ids), about
whom, in which space, from which network (truncated), inside the use case's own transaction
(a refused change leaves no event), and never any content: no post text, no email, no name."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.accounts import service as accounts
from app.accounts.models import PasswordReset, User
from app.admin import service as admin
from app.audit import events
from app.audit.labels import EVENT_LABELS
from app.audit.models import AuditEvent
from app.database import utcnow
from app.errors import ServiceError
from app.extensions import db
from app.spaces import invitations, members
from app.spaces.models import Invitation, Membership
from app.tokens import new_token
from tests.conftest import PASSWORD, csrf_token

ADDRESS, NETWORK = "203.0.113.77", "203.0.113.0/24"
SECRET_POST = "Mijn schulden zijn 4321 euro en niemand weet het"


def rows(app, event: str | None = None) -> list[tuple]:
    with app.app_context():
        where = [AuditEvent.event == event] if event else []
        return [(e.actor_user_id, e.subject_user_id, e.space_id, e.ip_prefix, e.detail)
                for e in db.session.scalars(select(AuditEvent).where(*where)
                                            .order_by(AuditEvent.id))]


def from_address(app, address: str = ADDRESS):
    """A request context from `address`: the services read the origin there, like in a page."""
    return app.test_request_context(environ_base={"REMOTE_ADDR": address})


def space_id(world, slug: str) -> int:
    with world.ctx():
        return world.space_obj(slug).id


def assert_no_content(app, world, *texts: str) -> None:
    """No row holds an email address, a post, a name or a space's texts."""
    with app.app_context():
        everything = repr(db.session.execute(select(AuditEvent.__table__)).all())
        emails = db.session.scalars(select(User.email)).all()
        names = db.session.scalars(select(Membership.display_name)).all()
    assert "@" not in everything
    for text in (*texts, *emails, *names):
        assert text not in everything, text


def test_every_event_name_has_a_label():
    assert set(EVENT_LABELS) == set(events.EVENTS)


# --- accounts ---------------------------------------------------------------------------------

def _login(app, email: str, password: str, address: str = ADDRESS):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    token = csrf_token(client, "/login")
    return client.post("/login", data={"csrf_token": token, "email": email,
                                       "password": password})


def test_login_is_recorded_with_the_account_and_its_network(app, world):
    person = world.user()
    assert _login(app, person.email, PASSWORD).status_code == 302
    assert rows(app, events.LOGIN) == [(person.user_id, person.user_id, None, NETWORK, "")]


def test_login_from_ipv6_keeps_only_the_48_bit_network(app, world):
    person = world.user()
    _login(app, person.email, PASSWORD, address="2001:db8:1234:5678::1")
    assert rows(app, events.LOGIN)[0][3] == "2001:db8:1234::/48"


def test_failed_login_names_the_account_never_the_address_typed(app, world):
    person = world.user()
    assert _login(app, person.email, "verkeerd wachtwoord").status_code == 400
    assert _login(app, "niemand-hier@example.org", "verkeerd wachtwoord").status_code == 400
    assert rows(app, events.LOGIN_FAILED) == [(None, person.user_id, None, NETWORK, ""),
                                              (None, None, None, NETWORK, "")]
    assert_no_content(app, world, "niemand-hier")


def test_lockout_is_recorded_once_a_minute_however_often_a_guesser_knocks(app, world):
    person = world.user()
    for _ in range(5):
        _login(app, person.email, "fout")
    assert _login(app, person.email, PASSWORD).status_code == 429
    assert _login(app, person.email, PASSWORD).status_code == 429
    assert rows(app, events.LOCKOUT) == [(None, person.user_id, None, NETWORK, "")]
    assert rows(app, events.LOGIN) == []


def test_password_change_is_recorded(app, world):
    person = world.user()
    with from_address(app):
        accounts.change_password(db.session.get(User, person.user_id), current=PASSWORD,
                                 new="een ander lang wachtwoord")
    assert rows(app, events.PASSWORD_CHANGED) == [
        (person.user_id, person.user_id, None, NETWORK, "")]


def test_refused_password_change_leaves_no_event(app, world):
    person = world.user()
    with from_address(app), pytest.raises(ServiceError):
        accounts.change_password(db.session.get(User, person.user_id), current="fout",
                                 new="een ander lang wachtwoord")
    assert rows(app, events.PASSWORD_CHANGED) == []


def test_reset_request_is_recorded_for_an_account_and_not_for_an_unknown_address(app, world):
    person = world.user()
    with from_address(app):
        accounts.request_password_reset(email=person.email, client_ip=ADDRESS)
        accounts.request_password_reset(email="onbekend@example.org", client_ip=ADDRESS)
    assert rows(app, events.PASSWORD_RESET_REQUESTED) == [
        (None, person.user_id, None, NETWORK, "mail=sent")]
    assert_no_content(app, world, "onbekend")


def test_password_reset_through_a_link_is_recorded(app, world):
    person = world.user()
    raw, token_hash = new_token()
    with world.ctx():
        now = utcnow()
        db.session.add(PasswordReset(user_id=person.user_id, token_hash=token_hash,
                                     created_at=now, expires_at=now + timedelta(hours=1)))
        db.session.commit()
    with from_address(app):
        accounts.reset_password(token=raw, new_password="weer een nieuw wachtwoord")
    assert rows(app, events.PASSWORD_RESET) == [
        (person.user_id, person.user_id, None, NETWORK, "")]


def test_operator_made_on_the_command_line_is_recorded(app, world):
    result = app.test_cli_runner().invoke(args=["kring", "create-admin", "beheer@example.org"],
                                          input="een lang beheerwachtwoord\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == "beheer@example.org"))
    assert rows(app, events.OPERATOR_GRANTED) == [(None, user_id, None, "", "")]


# --- members of a space -----------------------------------------------------------------------

@pytest.fixture
def group(world):
    slug, lead = world.space()
    member = world.member(slug, lead, name="Sanne")
    thread = world.thread(slug, member, title="Over geld", body=SECRET_POST)
    world.reply(slug, thread, lead, SECRET_POST + " (citaat)")
    return slug, lead, member


def _membership(member) -> Membership:
    return db.session.get(Membership, member.membership_id)


def test_role_change_is_recorded_with_both_roles(app, world, group):
    slug, lead, member = group
    with from_address(app):
        members.change_role(world.actor(lead.user_id), _membership(member), role="moderator")
    assert rows(app, events.ROLE_CHANGED) == [
        (lead.user_id, member.user_id, space_id(world, slug), NETWORK,
         "before=member after=moderator")]
    assert_no_content(app, world, SECRET_POST, "Over geld", f"Groep {slug}")


def test_suspension_and_its_lifting_are_recorded(app, world, group):
    slug, lead, member = group
    with from_address(app):
        members.suspend_member(world.actor(lead.user_id), _membership(member), until=None)
        members.lift_suspension(world.actor(lead.user_id), _membership(member))
    sid = space_id(world, slug)
    assert rows(app, events.MEMBER_SUSPENDED) == [
        (lead.user_id, member.user_id, sid, NETWORK, "until=indefinite")]
    assert rows(app, events.MEMBER_UNSUSPENDED) == [(lead.user_id, member.user_id, sid, NETWORK, "")]


def test_removal_from_a_space_is_recorded(app, world, group):
    slug, lead, member = group
    with from_address(app):
        members.remove_member(world.actor(lead.user_id), _membership(member), confirmed=True)
    assert rows(app, events.MEMBER_REMOVED) == [
        (lead.user_id, member.user_id, space_id(world, slug), NETWORK, "")]
    assert_no_content(app, world, SECRET_POST)


def test_refused_removal_leaves_no_event(app, world, group):
    slug, lead, member = group
    with from_address(app), pytest.raises(ServiceError):
        members.remove_member(world.actor(lead.user_id), _membership(member), confirmed=False)
    assert rows(app, events.MEMBER_REMOVED) == []


def test_invitations_sent_and_revoked_are_recorded_without_the_address(app, world, group):
    slug, lead, _member = group
    known = world.user("bestaand@example.org")
    sid = space_id(world, slug)
    with from_address(app):
        invitation, _raw = invitations.invite(world.actor(lead.user_id), world.space_obj(slug),
                                              email="bestaand@example.org", role="member")
        other, _raw = invitations.invite(world.actor(lead.user_id), world.space_obj(slug),
                                         email="nieuw@example.org", role="moderator")
        invitations.revoke_invitation(world.actor(lead.user_id),
                                      db.session.get(Invitation, other.id))
        invitation_id, other_id = invitation.id, other.id
    sent = [r for r in rows(app, events.INVITATION_SENT) if r[3] == NETWORK]
    assert sent == [(lead.user_id, known.user_id, sid, NETWORK,
                     f"invitation={invitation_id} role=member"),
                    (lead.user_id, None, sid, NETWORK, f"invitation={other_id} role=moderator")]
    assert rows(app, events.INVITATION_REVOKED) == [
        (lead.user_id, None, sid, NETWORK, f"invitation={other_id} role=moderator")]
    assert_no_content(app, world, "bestaand", "nieuw")


# --- the operator's actions on spaces ---------------------------------------------------------

def _rental(world, slug, **changes):
    space = world.space_obj(slug)
    fields = dict(name=space.name, theme=space.theme, description=space.description,
                  renter=space.renter, rental_start=space.rental_start,
                  rental_end=space.rental_end, seat_limit=space.seat_limit)
    return space, {**fields, **changes}


def test_operator_actions_on_a_space_are_recorded(app, world):
    slug, _lead = world.space()
    operator = world.operator
    sid = space_id(world, slug)
    with from_address(app):
        actor = world.actor(operator.user_id)
        space, fields = _rental(world, slug, description="Nieuwe geheime omschrijving",
                                seat_limit=40)
        admin.update_rental(actor, space, **fields)
        end = space.rental_end
        admin.extend_rental(actor, world.space_obj(slug), rental_end=end + timedelta(days=30))
        admin.invite_first_facilitator(actor, world.space_obj(slug), email="tweede@example.org")
        admin.resend_first_invitation(actor, world.space_obj(slug))
        admin.withdraw_first_invitation(actor, world.space_obj(slug))
        admin.end_rental(actor, world.space_obj(slug))
    mine = [(event, detail) for event, (a, s, sp, ip, detail) in
            ((e, r) for e in events.EVENTS for r in rows(app, e))
            if a == operator.user_id and sp == sid and ip == NETWORK]
    kinds = [event for event, _detail in mine]
    assert kinds.count(events.RENTAL_CHANGED) == 1
    assert (events.RENTAL_CHANGED, "changed=description,seat_limit") in mine
    assert (events.RENTAL_EXTENDED,
            f"before={end.isoformat()} after={(end + timedelta(days=30)).isoformat()}") in mine
    assert kinds.count(events.INVITATION_SENT) == 2  # the new address, then its fresh link
    assert kinds.count(events.INVITATION_REVOKED) == 2  # the old link, then the withdrawal
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    assert (events.RENTAL_ENDED,
            f"before={(end + timedelta(days=30)).isoformat()} after={yesterday}") in mine
    assert_no_content(app, world, "Nieuwe geheime omschrijving", "tweede")


def test_space_creation_is_recorded_with_the_first_invitation(app, world):
    slug, lead = world.space()
    operator, sid = world.operator, space_id(world, slug)
    assert rows(app, events.SPACE_CREATED) == [(operator.user_id, None, sid, "", "")]
    first = [r for r in rows(app, events.INVITATION_SENT) if r[0] == operator.user_id]
    assert len(first) == 1 and first[0][2] == sid and first[0][4].endswith("role=facilitator")


def test_a_rental_change_that_changes_nothing_is_not_recorded(app, world):
    slug, _lead = world.space()
    with world.ctx():
        space, fields = _rental(world, slug)
        admin.update_rental(world.actor(world.operator.user_id), space, **fields)
    assert rows(app, events.RENTAL_CHANGED) == []
