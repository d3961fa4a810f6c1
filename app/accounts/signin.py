"""Starting a browser's session after a successful login (password, and the second step
where set): a fresh server-side session row, nothing carried over from before the login."""
from __future__ import annotations

import re
import secrets

from flask import current_app, request, session
from flask_login import login_user

from app.accounts import sessions

DEVICE_COOKIE = "kring_device"
DEVICE_COOKIE_DAYS = 400  # the longest browsers keep a cookie
_DEVICE_KEY = re.compile(r"[A-Za-z0-9_-]{43}")


def device_cookie() -> str:
    """__Host- prefixed like the session cookie where cookies travel over https only."""
    secure = current_app.config["SESSION_COOKIE_NAME"].startswith("__Host-")
    return "__Host-" + DEVICE_COOKIE if secure else DEVICE_COOKIE


def sign_in(user, response):
    """Log `user` in on this browser and return `response` with the device cookie set.
    The Flask session is cleared first: a session planted before the login (fixation)
    carries nothing into it, and its key is new."""
    browser_key = request.cookies.get(device_cookie(), "")
    if not _DEVICE_KEY.fullmatch(browser_key):
        browser_key = secrets.token_urlsafe(32)
    key = sessions.begin_session(user, user_agent=request.user_agent.string,
                                 ip=request.remote_addr or "", browser_key=browser_key)
    session.clear()
    user.session_key = key
    login_user(user)
    response.set_cookie(device_cookie(), browser_key, max_age=DEVICE_COOKIE_DAYS * 24 * 3600,
                        httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def sign_out() -> None:
    """Forget this browser's session (after its row was ended, or could not be)."""
    from flask_login import logout_user

    logout_user()
    session.clear()
