"""Two-factor pages (/account/2fa): set it up with a QR code drawn here, recovery codes shown
once, renew them, switch it off (members only); and the guard that keeps those who must use
it (app/policy/twofactor.py) on the setup page until they have."""
from __future__ import annotations

from datetime import timedelta
from functools import wraps

import pyotp
import segno
from flask import (
    Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from app import policy
from app.accounts import twofactor_service as service
from app.accounts.forms import SecondFactorForm
from app.accounts.reauth import require_recent_auth
from app.accounts.twofactor import new_secret, seal, unseal
from app.database import utcnow
from app.errors import ServiceError
from app.forms import ConfirmForm, show_error
from app.web import current_actor

bp = Blueprint("twofactor", __name__)

# The secret being set up waits in this browser's session (sealed: the cookie is signed,
# not encrypted) until a code confirms it; only then does it reach the database.
PENDING_KEY = "2fa_pending_secret"
# What someone who must use a second factor may still reach before setting it up: the setup
# and what it needs, and the pages nobody may ever be kept from: where to get help now
# (/hulp) and what Kring keeps (/privacy).
OPEN_BEFORE_SETUP = frozenset({
    "static", "healthz", "twofactor.setup", "accounts.logout", "accounts.confirm_identity",
    "accounts.language", "help.crisis", "privacy.privacy",
})


@bp.before_app_request
def _second_factor_first():
    """Operators, facilitators, co-facilitators and moderators act only with a second
    factor: until they set one up, every request leads to the setup page. Reads the flag on
    the account and the actor's memberships (loaded once per request anyway): no query."""
    if request.endpoint in OPEN_BEFORE_SETUP or not current_user.is_authenticated:
        return None
    if current_user.two_factor_on or not policy.must_set_up_second_factor(current_actor()):
        return None
    return redirect(url_for("twofactor.setup"), 303)


def _logged_in_lately() -> bool:
    """This browser's session began (a login with the password) within REAUTH_MINUTES.
    Read from the session row the user loader already has: no query."""
    row = g.get("user_session")
    if row is None:
        return False
    age = utcnow() - row.created_at
    return timedelta(0) <= age <= timedelta(minutes=current_app.config["REAUTH_MINUTES"])


def _setup_door(view):
    """Setting up a first second factor right after logging in with the password needs no
    second password: that login is as fresh a proof as /account/confirm gives, and it leads
    a facilitator straight from the login to the setup. Anything else (replacing the app,
    or later) asks for the confirmation (require_recent_auth)."""
    confirmed_view = require_recent_auth(view)

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.two_factor_on and _logged_in_lately():
            return view(*args, **kwargs)
        return confirmed_view(*args, **kwargs)
    return wrapper


def _codes_page(codes: list[str], *, title: str):
    return render_template("accounts/2fa_codes.html", codes=codes, title=title)


def _this_session_id() -> int | None:
    row = g.get("user_session")
    return row.id if row is not None else None


@bp.get("/account/2fa")
@login_required
def overview():
    user = current_user._get_current_object()
    left = service.recovery_codes_left(user) if user.two_factor_on else 0
    return render_template("accounts/2fa.html", codes_left=left,
                           form=ConfirmForm(), low=service.RECOVERY_CODE_COUNT // 3)


def _pending_secret() -> str:
    secret = unseal(session.get(PENDING_KEY) or "")
    if secret is None:
        secret = new_secret()
        session[PENDING_KEY] = seal(secret)
    return secret


def qr_svg_html(uri: str) -> Markup:
    """The QR code as inline SVG, drawn here by segno: nothing comes from another host."""
    qr = segno.make(uri, error="m")
    return Markup(qr.svg_inline(scale=5, border=4, dark="#000", light="#fff",
                                svgclass="qr", title=_("QR code for your authenticator app")))


@bp.route("/account/2fa/setup", methods=["GET", "POST"])
@login_required
@_setup_door
def setup():
    user = current_user._get_current_object()
    actor = current_actor()
    form = SecondFactorForm()
    secret = _pending_secret()
    if form.validate_on_submit():
        try:
            codes = service.enable_second_factor(actor, secret=secret, code=form.code.data,
                                                 keep_session_id=_this_session_id())
        except ServiceError as exc:
            show_error(form, exc)
        else:
            session.pop(PENDING_KEY, None)
            return _codes_page(codes, title=_("Two-step login is on"))
    uri = pyotp.TOTP(secret).provisioning_uri(
        name=user.email, issuer_name=current_app.config["TWO_FACTOR_ISSUER"])
    return render_template(
        "accounts/2fa_setup.html", form=form, qr_svg_html=qr_svg_html(uri),
        secret_groups=[secret[i:i + 4] for i in range(0, len(secret), 4)],
        required=policy.must_use_second_factor(actor),
        replacing=user.two_factor_on), 400 if form.errors else 200


@bp.route("/account/2fa/codes", methods=["GET", "POST"])
@login_required
@require_recent_auth
def renew_codes():
    actor = current_actor()
    if not policy.can_renew_recovery_codes(actor):
        return redirect(url_for("twofactor.overview"))
    form = ConfirmForm()
    if form.validate_on_submit():
        codes = service.renew_recovery_codes(actor)
        return _codes_page(codes, title=_("Your new recovery codes"))
    return render_template("accounts/2fa_renew.html", form=form), 400 if form.errors else 200


@bp.route("/account/2fa/disable", methods=["GET", "POST"])
@login_required
@require_recent_auth
def disable():
    actor = current_actor()
    if not policy.can_disable_second_factor(actor):
        return redirect(url_for("twofactor.overview"))
    form = ConfirmForm()
    if form.validate_on_submit():
        service.disable_second_factor(actor, keep_session_id=_this_session_id())
        flash(_("Two-step login is off. You log in with your password only."), "info")
        return redirect(url_for("twofactor.overview"))
    return render_template("accounts/2fa_disable.html", form=form), 400 if form.errors else 200
