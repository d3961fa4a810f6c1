"""Intake under twin submits at the same moment (real requests in threads, released
together, on SQLite and PostgreSQL): one registration and one mail for two identical
registrations, one invitation for two admits, and neither answers 500."""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.notify.outbox import OutboxMessage
from app.spaces.models import Invitation
from tests.conftest import csrf_token, login
from tests.intake import open_interest_page, post_registration, registrations
from tests.test_races import ROUNDS, at_once


def _mail_to(app, address: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.to_addr == address))


def test_two_identical_registrations_at_once_make_one_registration_and_one_mail(app, world):
    slug, lead = world.space()
    key = open_interest_page(world, slug, lead)
    for n in range(ROUNDS):
        address = f"tweeling{n}@example.org"
        clients = [app.test_client(), app.test_client()]
        responses = at_once(*(lambda c=c: post_registration(c, key, email=address)
                              for c in clients))
        assert [r.status_code for r in responses] == [302, 302]
        assert len(registrations(app, email=address)) == 1
        assert _mail_to(app, address) == 1


def test_two_admits_at_once_send_one_invitation(app, world):
    from app.database import utcnow
    from app.intake.models import Registration

    slug, lead = world.space()
    for n in range(ROUNDS):
        address = f"toegelaten{n}@example.org"
        with world.ctx():
            now = utcnow()
            row = Registration(space_id=world.space_obj(slug).id, name="Sam", email=address,
                               answers="[]", created_at=now, mailed_at=now, confirm_by=now,
                               confirmed_at=now)
            db.session.add(row)
            db.session.commit()
            registration_id = row.id
        clients = [app.test_client(), app.test_client()]
        tokens = []
        for client in clients:
            login(client, lead)
            tokens.append(csrf_token(client, "/"))
        path = f"/s/{slug}/intake/{registration_id}/admit"
        responses = at_once(*(lambda c=c, t=t: c.post(path, data={"csrf_token": t})
                              for c, t in zip(clients, tokens)))
        assert sorted(r.status_code for r in responses) == [302, 302]
        with world.ctx():
            assert db.session.scalar(select(func.count()).select_from(Invitation)
                                     .where(Invitation.email == address)) == 1
        assert registrations(app, email=address)[0].status == "admitted"
