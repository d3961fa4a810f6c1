"""The second factor's core: TOTP secrets sealed at rest, and checking a code (an
authenticator code, never the same time step twice, or a single-use recovery code). The
pages for setting it up and the login step build on these (app/accounts/twofactor_*)."""
from __future__ import annotations

import base64
import hmac

import pyotp
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import select, update

from app.accounts.security_models import RecoveryCode, TwoFactor
from app.database import utcnow
from app.extensions import db
from app.tokens import hash_token

STEP_SECONDS = 30
# A code from the step before or after is accepted too: phone clocks drift.
VALID_WINDOW = 1


def _fernet() -> Fernet:
    """The key that seals TOTP secrets, derived from SECRET_KEY: a copy of the database
    alone does not give away anyone's second factor."""
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=b"kring totp secrets").derive(current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode("ascii")).decode("ascii")


def unseal(sealed: str) -> str | None:
    try:
        return _fernet().decrypt(sealed.encode("ascii")).decode("ascii")
    except (InvalidToken, ValueError):
        return None


def new_secret() -> str:
    return pyotp.random_base32()


def confirmed_factor(user_id: int) -> TwoFactor | None:
    return db.session.scalar(select(TwoFactor).where(TwoFactor.user_id == user_id,
                                                     TwoFactor.confirmed_at.is_not(None)))


def has_second_factor(user) -> bool:
    """From the flag kept on the account (no query)."""
    return user is not None and bool(user.two_factor_on)


def normalise_code(code: str) -> str:
    # ASCII only: "١٢٣٤٥٦" counts as digits to str.isdigit but is no code (and would make
    # compare_digest raise).
    return "".join(ch for ch in (code or "") if ch.isascii() and ch.isalnum()).lower()


def matching_step(secret: str, code: str, now_ts: float) -> int | None:
    """The time step whose TOTP equals `code` (within the window), or None."""
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now_ts // STEP_SECONDS)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def accept_totp(factor: TwoFactor, code: str) -> bool:
    """Accept an authenticator code at most once: the step is claimed with one conditional
    UPDATE, so the same code sent twice (even at the same moment) works only once."""
    secret = unseal(factor.secret)
    step = None if secret is None else matching_step(secret, code, utcnow().timestamp())
    if step is None:
        return False
    claimed = db.session.execute(
        update(TwoFactor).where(TwoFactor.user_id == factor.user_id, TwoFactor.last_step < step)
        .values(last_step=step).execution_options(synchronize_session=False)).rowcount
    return claimed == 1


def accept_recovery_code(user_id: int, code: str) -> bool:
    """Use up one recovery code (claimed with a conditional UPDATE: single use)."""
    if len(code) < 10:
        return False
    claimed = db.session.execute(
        update(RecoveryCode).where(RecoveryCode.user_id == user_id,
                                   RecoveryCode.code_hash == hash_token(code),
                                   RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    return claimed == 1


def verify_second_factor(user, code: str) -> str | None:
    """Check a code for `user` inside the caller's transaction: "totp" or "recovery" for the
    kind that was accepted (and used up), None when it is wrong, replayed or 2FA is off."""
    factor = confirmed_factor(user.id)
    if factor is None:
        return None
    code = normalise_code(code)
    if accept_totp(factor, code):
        return "totp"
    if accept_recovery_code(user.id, code):
        return "recovery"
    return None
