"""The second factor's core (app/accounts/twofactor.py): sealed secrets, one use per code."""
from __future__ import annotations

import pyotp
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.security_models import RecoveryCode, TwoFactor
from app.accounts.twofactor import new_secret, seal, unseal, verify_second_factor
from app.audit.service import truncated_address
from app.database import utcnow
from app.extensions import db
from app.tokens import hash_token


def _enrol(world, secret: str) -> int:
    person = world.user()
    with world.ctx():
        db.session.add(TwoFactor(user_id=person.user_id, secret=seal(secret), confirmed_at=utcnow()))
        db.session.add(RecoveryCode(user_id=person.user_id, code_hash=hash_token("abcde12345")))
        db.session.get(User, person.user_id).two_factor_on = True
        db.session.commit()
    return person.user_id


def test_secret_is_sealed_and_unseals_only_with_the_key(app):
    with app.app_context():
        secret = new_secret()
        sealed = seal(secret)
        assert secret not in sealed and unseal(sealed) == secret
        app.config["SECRET_KEY"] = "another-key-entirely-0123456789abcdef"
        try:
            assert unseal(sealed) is None
        finally:
            app.config["SECRET_KEY"] = "test-secret-key"


def test_authenticator_code_is_accepted_once_and_never_replayed(world):
    secret = new_secret()
    user_id = _enrol(world, secret)
    code = pyotp.TOTP(secret).now()
    with world.ctx():
        user = db.session.get(User, user_id)
        assert verify_second_factor(user, code) == "totp"
        db.session.commit()
        assert verify_second_factor(user, code) is None  # the same code again: refused
        assert verify_second_factor(user, "000000" if code != "000000" else "111111") is None


def test_recovery_code_works_once(world):
    user_id = _enrol(world, new_secret())
    with world.ctx():
        user = db.session.get(User, user_id)
        assert verify_second_factor(user, "ABCDE-12345") == "recovery"
        db.session.commit()
        assert verify_second_factor(user, "abcde12345") is None
        used = db.session.scalar(select(RecoveryCode.used_at).where(RecoveryCode.user_id == user_id))
        assert used is not None


def test_without_a_second_factor_no_code_is_accepted(world):
    person = world.user()
    with world.ctx():
        assert verify_second_factor(db.session.get(User, person.user_id), "123456") is None


def test_addresses_are_kept_only_to_a_network():
    assert truncated_address("192.0.2.77") == "192.0.2.0/24"
    assert truncated_address("2001:db8:abcd:12::1") == "2001:db8:abcd::/48"
    assert truncated_address("not an address") == ""
    assert truncated_address(None) == ""
