"""Two-factor login use cases: switch it on with a confirmed code (ten recovery codes, shown
once), renew the codes, switch it off (members only), and the code step of the login. The
checks themselves live in app/accounts/twofactor.py."""
from __future__ import annotations

import secrets

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from app import policy
from app.accounts.models import LoginFailure, User
from app.accounts.security_models import RecoveryCode, TwoFactor
from app.accounts.service import TooManyAttempts, _failure_limits, _too_many_failures
from app.accounts.sessions import end_sessions_of
from app.accounts.twofactor import matching_step, normalise_code, seal, verify_second_factor
from app.audit import events
from app.audit.service import record
from app.database import transactional, utcnow
from app.errors import ServiceError, require
from app.extensions import db
from app.tokens import hash_token

RECOVERY_CODE_COUNT = 10
# Letters and digits that cannot be mistaken for each other on paper (no 0/o, 1/l/i).
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


# 24 characters from 31: about 119 bits. Only a plain SHA-256 of a code is kept (found by
# its hash, app/tokens.py), which is sound only for a secret of at least 112 bits (ASVS 5.0
# 6.5.2): a shorter code could be recovered from a copy of the database by trying them all.
RECOVERY_CODE_LENGTH = 24


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
    # In groups of six for reading and typing; the check ignores the hyphens.
    return "-".join(raw[i:i + 6] for i in range(0, RECOVERY_CODE_LENGTH, 6))


def _replace_recovery_codes(user_id: int) -> list[str]:
    """Ten fresh codes; every earlier code (used or not) stops working. Only hashes are kept."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user_id, code_hash=hash_token(normalise_code(code)))
                       for code in codes)
    return codes


def user_for_code_step(user_id: int) -> User | None:
    """The account whose password was just right, for the login's second step."""
    return db.session.get(User, user_id)


def recovery_codes_left(user) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


@transactional
def enable_second_factor(actor, *, secret: str, code: str,
                         keep_session_id: int | None = None) -> list[str]:
    """Switch on (or move to a new app) once the user proves the app shows the right code
    for `secret`. Returns the ten recovery codes, which are never shown again. Every other
    session of the account ends (ASVS 7.4.3); `keep_session_id`, the browser making the
    change, stays."""
    require(policy.can_set_up_second_factor(actor))
    user = actor.user
    step = matching_step(secret, normalise_code(code), utcnow().timestamp())
    if step is None:
        raise ServiceError(_("That code is not correct. Type the six digits your app shows "
                             "now for Kring."), "code")
    replacing = bool(user.two_factor_on)
    factor = db.session.get(TwoFactor, user.id)
    if factor is None:
        factor = TwoFactor(user_id=user.id)
        db.session.add(factor)
    factor.secret = seal(secret)
    factor.confirmed_at = utcnow()
    factor.last_step = step  # the code just typed cannot be used again to log in
    codes = _replace_recovery_codes(user.id)
    # The flag moves with the confirmed row, in this same transaction (read on every request).
    user.two_factor_on = True
    end_sessions_of(user.id, keep_id=keep_session_id)
    record(events.TWO_FACTOR_ENABLED, actor_id=user.id, subject_id=user.id,
           detail="new app" if replacing else "")
    return codes


@transactional
def renew_recovery_codes(actor) -> list[str]:
    require(policy.can_renew_recovery_codes(actor))
    codes = _replace_recovery_codes(actor.user.id)
    record(events.RECOVERY_CODES_RENEWED, actor_id=actor.user.id, subject_id=actor.user.id)
    return codes


@transactional
def disable_second_factor(actor, *, keep_session_id: int | None = None) -> None:
    """Members only: those who must use a second factor can replace it, never remove it."""
    require(policy.can_disable_second_factor(actor))
    user = actor.user
    remove_second_factor(user, keep_session_id=keep_session_id)
    record(events.TWO_FACTOR_DISABLED, actor_id=user.id, subject_id=user.id)


def remove_second_factor(user: User, *, keep_session_id: int | None = None) -> None:
    """Inside a use case: the app and the recovery codes go, every other session ends."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(TwoFactor).where(TwoFactor.user_id == user.id))
    user.two_factor_on = False
    end_sessions_of(user.id, keep_id=keep_session_id)


@transactional
def check_login_code(user: User, *, code: str, client_ip: str) -> str | None:
    """The login's second step: "totp" or "recovery" when the code is accepted, None when
    not. A wrong code counts with the wrong passwords (the same throttle keys), so codes
    cannot be guessed faster than passwords; it returns instead of raising so the failure
    is kept. TooManyAttempts when the throttle is full."""
    limits = _failure_limits(user.email, client_ip)
    if _too_many_failures(limits):
        raise TooManyAttempts(_("Too many attempts. Wait a minute and try again."))
    kind = verify_second_factor(user, code)
    if kind is None:
        now = utcnow()
        db.session.add_all([LoginFailure(key=key, at=now) for key in limits])
        # Whoever typed it is not known to be the account holder: subject only.
        record(events.TWO_FACTOR_FAILED, subject_id=user.id)
        return None
    if kind == "recovery":
        record(events.RECOVERY_CODE_USED, actor_id=user.id, subject_id=user.id)
    return kind
