"""The operator's command-line help for an account (app/accounts/operator_actions.py): a lost
second factor is reset and a lost device's sessions end, each recorded in the audit trail."""
from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.accounts.security_models import RecoveryCode, TwoFactor
from app.audit.models import AuditEvent
from app.extensions import db
from tests.conftest import login
from tests.test_accounts import is_logged_in


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["kring", *args])


def test_a_lost_second_factor_is_reset_by_the_operator_and_the_lead_sets_it_up_again(app, world):
    slug, lead = world.space()
    client = app.test_client()
    login(client, lead)  # enrols the lead's second factor (they must have one)
    assert is_logged_in(client)
    result = _cli(app, "reset-2fa", lead.email)
    assert result.exit_code == 0, result.output
    assert not is_logged_in(client)  # every session ended
    with app.app_context():
        assert db.session.get(User, lead.user_id).two_factor_on is False
        assert db.session.scalars(select(TwoFactor).where(TwoFactor.user_id == lead.user_id)).all() == []
        assert db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == lead.user_id)).all() == []
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "2fa_disabled")).one()
        assert event.subject_user_id == lead.user_id and event.detail == "operator reset"


def test_resetting_an_account_without_a_second_factor_or_unknown_says_so(app, world):
    person = world.user()
    assert _cli(app, "reset-2fa", person.email).exit_code != 0
    result = _cli(app, "reset-2fa", "nobody@example.org")
    assert result.exit_code != 0


def test_the_operator_ends_every_session_of_a_lost_device(app, world):
    person = world.user()
    first, second = app.test_client(), app.test_client()
    login(first, person)
    login(second, person)
    result = _cli(app, "end-sessions", person.email)
    assert result.exit_code == 0 and "2" in result.output
    assert not is_logged_in(first) and not is_logged_in(second)
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "session_ended")).one()
        assert event.subject_user_id == person.user_id
    assert _cli(app, "end-sessions", "nobody@example.org").exit_code != 0

