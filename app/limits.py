"""Rate limits (Flask-Limiter) on the actions worth abusing, each rate from a setting; a breach
(and the database-backed login throttle) answers 429 with Retry-After on a Dutch page that
keeps what was typed. The counters live in RATELIMIT_STORAGE_URI (Redis with several processes)."""
from __future__ import annotations

import ipaddress
import math
import time

from flask import Flask, current_app, render_template, request, session
from flask_babel import ngettext
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user

from app.errors import unsaved_fields
from app.extensions import limiter
from app.tokens import hash_token

# The settings (config.py, README) this module reads: each one's rate, proved on its real
# endpoint by tests/security/test_rate_limits.py.
SETTINGS = ("RATELIMIT_LOGIN_ADDRESS", "RATELIMIT_LOGIN_ACCOUNT", "RATELIMIT_LOGIN_CODE",
            "RATELIMIT_CONFIRM", "RATELIMIT_RESET", "RATELIMIT_INVITATIONS", "RATELIMIT_POSTS",
            "RATELIMIT_FLAGS", "RATELIMIT_UPLOADS", "RATELIMIT_INTAKE")


# --- whose counter ------------------------------------------------------------------------------

def client_address() -> str:
    """The client address (ProxyFix makes it the real client's behind a proxy); IPv6 by its /64,
    which one household or server gets whole, so hopping inside it does not reset the count."""
    raw = request.remote_addr or "unknown"
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return f"ip:{raw[:64]}"
    if address.version == 6:
        if address.ipv4_mapped:
            return f"ip:{address.ipv4_mapped}"
        return "ip:" + str(ipaddress.ip_network(f"{address}/64", strict=False))
    return f"ip:{address}"


def account_or_address() -> str:
    """The logged-in account (colleagues behind one office address do not share a counter),
    else the client address."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"  # never get_id(): that is the session's key
    return client_address()


def submitted_account() -> str:
    """The account a login names, by a hash of its normalised email (the address itself is not
    kept in the counters), whether or not it exists: the answer tells nothing either way."""
    email = (request.form.get("email") or "").strip().lower()
    return "acct:" + hash_token(email)[:32]


def pending_account() -> str:
    """The account between the password and the code (the login's second step)."""
    pending = session.get("login_pending")
    user = pending.get("user") if isinstance(pending, dict) else None
    return f"user:{user}" if isinstance(user, int) else client_address()


# --- when a request counts ----------------------------------------------------------------------

def _refused(response) -> bool:
    """A wrong password or code (400): what guessing looks like."""
    return response.status_code == 400


def _done(response) -> bool:
    """Something was posted, sent or stored (a redirect after success)."""
    return response.status_code < 400


def _without_files() -> bool:
    return not any(part.filename for part in request.files.values())


def _rule(setting: str, key, *, counts=None, exempt_when=None):
    return limiter.shared_limit(lambda: current_app.config[setting], scope=setting.lower(),
                                key_func=key, methods=["POST"], deduct_when=counts,
                                exempt_when=exempt_when)


def _stack(*rules):
    def decorate(view):
        for rule in reversed(rules):
            view = rule(view)
        return view
    return decorate


# The decorators the views wear (between the route and the view's own decorators).
login_limit = _stack(_rule("RATELIMIT_LOGIN_ADDRESS", client_address),
                     _rule("RATELIMIT_LOGIN_ACCOUNT", submitted_account, counts=_refused))
login_code_limit = _stack(_rule("RATELIMIT_LOGIN_ADDRESS", client_address),
                          _rule("RATELIMIT_LOGIN_CODE", pending_account, counts=_refused))
confirm_limit = _rule("RATELIMIT_CONFIRM", account_or_address, counts=_refused)
reset_limit = _rule("RATELIMIT_RESET", client_address)
invitation_limit = _rule("RATELIMIT_INVITATIONS", account_or_address, counts=_done)
post_limit = _rule("RATELIMIT_POSTS", account_or_address, counts=_done)
flag_limit = _rule("RATELIMIT_FLAGS", account_or_address, counts=_done)
upload_limit = _rule("RATELIMIT_UPLOADS", account_or_address, counts=_done,
                     exempt_when=_without_files)
intake_limit = _rule("RATELIMIT_INTAKE", client_address)


# --- the answer -----------------------------------------------------------------------------------

def wait_message(seconds: int) -> str:
    # Rounded: a window that ends in 61 seconds is "1 minute" (Retry-After stays exact).
    minutes = max(1, round(seconds / 60))
    return ngettext("You tried this too often in a short time. Wait %(num)d minute and try "
                    "again.", "You tried this too often in a short time. Wait %(num)d minutes "
                    "and try again.", minutes)


# Pages that show their own form again (with the message above it) instead of the general
# 429 page: endpoint → function(message) returning the page's HTML.
REFUSAL_PAGES = {}


def refusal_page(endpoint: str):
    def register(render):
        REFUSAL_PAGES[endpoint] = render
        return render
    return register


def too_many(seconds: int):
    """The 429 for this request: its own form again where it registered one, else the general
    page with the text that was sent, to send again later."""
    seconds = max(1, int(seconds))
    message = wait_message(seconds)
    render = REFUSAL_PAGES.get(request.endpoint)
    if render is not None:
        body = render(message)
    else:
        fields = unsaved_fields() if request.method == "POST" else []
        body = render_template("errors/too_many.html", message=message, fields=fields,
                               action=request.script_root + request.full_path.rstrip("?"),
                               had_files=request.method == "POST" and not _without_files())
    return body, 429, {"Retry-After": str(seconds)}


def _breached(_exc: RateLimitExceeded):
    current = limiter.current_limit
    seconds = math.ceil(current.reset_at - time.time()) if current else 60
    return too_many(seconds)


def init_limits(app: Flask) -> None:
    app.register_error_handler(RateLimitExceeded, _breached)
