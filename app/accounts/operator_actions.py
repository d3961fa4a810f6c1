"""What the platform operator does for an account from the command line, after checking who
is asking outside Kring (by phone, in person): reset a lost second factor, end every session.
Never reachable from the web: a stolen operator session cannot take over an account."""
from __future__ import annotations

from flask_babel import gettext as _

from app.accounts.service import find_user_by_email
from app.accounts.sessions import end_sessions_of
from app.accounts.twofactor_service import remove_second_factor
from app.audit import events
from app.audit.service import record
from app.database import transactional
from app.errors import ServiceError


def _account(email: str):
    user = find_user_by_email(email)
    if user is None or user.erased_at is not None:
        raise ServiceError(_("There is no account with this email address."), "email")
    return user


@transactional
def reset_second_factor(*, email: str) -> None:
    """A lead who lost both the phone and the recovery codes: the factor goes, every session
    ends, and the next login leads through the setup again (leads must have one)."""
    user = _account(email)
    if not user.two_factor_on:
        raise ServiceError(_("This account has no two-step login."), "email")
    remove_second_factor(user)
    end_sessions_of(user.id)
    record(events.TWO_FACTOR_DISABLED, subject_id=user.id, detail="operator reset")


@transactional
def end_every_session(*, email: str) -> int:
    """A lost or stolen device: every session of the account ends at once."""
    user = _account(email)
    ended = end_sessions_of(user.id)
    record(events.SESSION_ENDED, subject_id=user.id, detail=f"operator ended {ended}")
    return ended
