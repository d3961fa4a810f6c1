"""Re-authentication before a sensitive change (email, password, 2FA, export, deletion): the
password again, and the second factor where the account has one. A view asks for it with
`@require_recent_auth`; the proof holds for REAUTH_MINUTES on this browser's session row, so
it dies with the session (logout, "end this session")."""
from __future__ import annotations

from datetime import timedelta
from functools import wraps

from flask import current_app, g, redirect, request, url_for
from flask_babel import gettext as _

from app.accounts.passwords import verify_password
from app.accounts.sessions import mark_reauthenticated
from app.accounts.twofactor import has_second_factor, verify_second_factor
from app.database import transactional, utcnow
from app.errors import ServiceError

def recently_confirmed() -> bool:
    """Read from the session row the user loader already has: no query."""
    row = g.get("user_session")
    if row is None or row.reauth_at is None:
        return False
    age = utcnow() - row.reauth_at
    return timedelta(0) <= age <= timedelta(minutes=current_app.config["REAUTH_MINUTES"])


def mark_confirmed() -> None:
    row = g.get("user_session")
    if row is not None:
        mark_reauthenticated(row.id)


def require_recent_auth(view):
    """Send the user to /account/confirm first unless they proved who they are lately; a
    POST without that proof is refused the same way (its data is not acted on)."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not recently_confirmed():
            target = request.full_path if request.method == "GET" else request.path
            return redirect(url_for("accounts.confirm_identity", next=target.rstrip("?")))
        return view(*args, **kwargs)
    return wrapper


@transactional
def confirm_identity(user, *, password: str, code: str = "") -> None:
    """Raise ServiceError unless the password (and the second factor, where set) is right.
    A used authenticator code is claimed in this transaction, so it cannot be replayed."""
    if not verify_password(user.password_hash, password or ""):
        raise ServiceError(_("Your password is not correct."), "password")
    if has_second_factor(user) and verify_second_factor(user, code or "") is None:
        raise ServiceError(_("That code is not correct. Use the newest code from your app, "
                             "or one of your recovery codes."), "code")
