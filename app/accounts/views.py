"""Account pages: login, logout, forgotten password, account settings (sessions, password
and email: app/accounts/security_views.py)."""
from __future__ import annotations

import threading

from flask import (
    Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, logout_user

from app.accounts import reauth, service, sessions, twofactor_service
from app.accounts.forms import (
    ConfirmIdentityForm, ForgotForm, LanguageForm, LoginForm, NewDeviceNoticeForm, ResetForm,
    SecondFactorForm,
)
from app.accounts.signin import sign_in, sign_out
from app.accounts.twofactor import has_second_factor
from app.database import best_effort, utcnow
from app.errors import ServiceError, error_page
from app.forms import safe_next, show_error
from app.limits import (
    confirm_limit, login_code_limit, login_limit, refusal_page, reset_limit, too_many,
)
from app.web import language_cookie

bp = Blueprint("accounts", __name__)


def client_ip() -> str:
    # Behind a reverse proxy, KRING_TRUSTED_PROXIES makes remote_addr the real client.
    return request.remote_addr or "unknown"


_proxy_warning = threading.Event()


@bp.before_app_request
def _warn_about_an_untrusted_proxy():
    """In production, a forwarded request without KRING_TRUSTED_PROXIES means every client
    shares the proxy's address, so one guesser throttles everyone: say so once."""
    if _proxy_warning.is_set() or "X-Forwarded-For" not in request.headers:
        return
    config = current_app.config
    if config["PRODUCTION"] and not config["TRUSTED_PROXIES"]:
        _proxy_warning.set()
        current_app.logger.warning(
            "Requests arrive through a proxy (X-Forwarded-For) but KRING_TRUSTED_PROXIES is 0: "
            "login throttling sees the proxy's address for every client. Set "
            "KRING_TRUSTED_PROXIES to the number of proxies in front of Kring (usually 1).")


# Between the password and the code: who, since when, and where to go afterwards. Nothing
# else is in the session then; the code page is open for LOGIN_CODE_SECONDS.
PENDING_LOGIN = "login_pending"
LOGIN_CODE_SECONDS = 5 * 60


@refusal_page("accounts.login")
def _login_refused(message: str) -> str:
    """A throttled login (the rate limiter or the database's count of failures, both say it
    the same way): the form again with the email kept and the wait above it."""
    form = LoginForm()
    form.form_errors.append(message)
    return render_template("accounts/login.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@login_limit
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        try:
            user = service.authenticate(email=form.email.data, password=form.password.data,
                                        client_ip=client_ip())
        except service.TooManyAttempts as exc:
            return too_many(exc.retry_after)
        if user is not None:
            if has_second_factor(user):
                session.clear()
                session[PENDING_LOGIN] = {"user": user.id, "at": utcnow().timestamp(),
                                          "next": form.next.data or ""}
                return redirect(url_for("accounts.login_code"))
            return _finish_login(user, form.next.data)
        form.password.errors = [_("That email address and password do not match.")]
    return render_template("accounts/login.html", form=form), 400 if form.errors else 200


def _finish_login(user, form_next: str):
    """The last step of every login: a new session for this browser, then on to `next`."""
    best_effort(service.record_login, user, locale=request.cookies.get(language_cookie()))
    response = redirect(safe_next(form_next, url_for("spaces.index")))
    # The choice made as a visitor now lives in the account; a cookie left behind
    # would undo a later change made on another device.
    response.delete_cookie(language_cookie(), samesite="Lax", httponly=True,
                           secure=current_app.config["SESSION_COOKIE_SECURE"])
    return sign_in(user, response)


def _pending_login():
    """(user, next) of a password step passed less than LOGIN_CODE_SECONDS ago, or None."""
    pending = session.get(PENDING_LOGIN)
    if not isinstance(pending, dict) or not isinstance(pending.get("user"), int):
        return None
    at = pending.get("at")
    if not isinstance(at, (int, float)) or not 0 <= utcnow().timestamp() - at <= LOGIN_CODE_SECONDS:
        return None
    user = twofactor_service.user_for_code_step(pending["user"])
    if user is None or not has_second_factor(user):
        return None
    return user, str(pending.get("next") or "")


@refusal_page("accounts.login_code")
def _login_code_refused(message: str) -> str:
    form = SecondFactorForm()
    form.form_errors.append(message)
    return render_template("accounts/2fa_login.html", form=form)


@bp.route("/login/code", methods=["GET", "POST"])
@login_code_limit
def login_code():
    """The second step of the login: a code from the authenticator app or a recovery code."""
    pending = _pending_login()
    if pending is None:
        session.pop(PENDING_LOGIN, None)
        flash(_("Log in again, please: the step for the code stays open for five minutes."),
              "info")
        return redirect(url_for("accounts.login"))
    user, form_next = pending
    form = SecondFactorForm()
    if form.validate_on_submit():
        try:
            kind = twofactor_service.check_login_code(user, code=form.code.data,
                                                      client_ip=client_ip())
        except service.TooManyAttempts as exc:
            return too_many(exc.retry_after)
        if kind is not None:
            response = _finish_login(user, form_next)
            if kind == "recovery":
                left = twofactor_service.recovery_codes_left(user)
                message = ngettext("You logged in with a recovery code. You have %(num)d "
                                   "code left.", "You logged in with a recovery code. You "
                                   "have %(num)d codes left.", left)
                if left <= 3:
                    message += " " + _("Make new codes on the page Two-step login (Account).")
                flash(message, "warning" if left <= 3 else "info")
            return response
        form.code.errors = [_("That code is not correct. Use the newest code from your app, "
                              "or one of your recovery codes.")]
    return render_template("accounts/2fa_login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
@login_required
def logout():
    """Ends this browser's session row. When the database refuses that write, this browser
    is logged out all the same (its cookie goes; nobody stays logged in because the disk is
    full), the failure is logged, and the message says to check the open sessions later."""
    user_id = current_user.id
    ended = sessions.best_effort_log_out(user_id, g.user_session.id)
    sign_out()
    if ended:
        flash(_("You are logged out."), "info")
    else:
        current_app.logger.warning("logout of user %s: the database refused to end the "
                                   "session row; this browser's cookie was dropped", user_id)
        flash(_("You are logged out in this browser. Kring could not save this right now: "
                "later, look at your open sessions under Security."), "warning")
    response = redirect(url_for("accounts.login"))
    # Nothing of the group stays in this browser's cache or storage (a shared computer).
    # Not "cookies": the message above travels in the new session cookie.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@refusal_page("accounts.forgot_password")
def _forgot_refused(message: str) -> str:
    form = ForgotForm()
    form.form_errors.append(message)
    return render_template("accounts/forgot.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
@reset_limit
def forgot_password():
    form = ForgotForm()
    if form.validate_on_submit():
        try:
            service.request_password_reset(email=form.email.data, client_ip=client_ip())
        except service.TooManyAttempts as exc:
            return too_many(exc.retry_after)
        # The same answer whether or not the address has an account.
        hours = current_app.config["RESET_HOURS"]
        flash(ngettext("If this address has an account, we have sent it a link to choose a new "
                       "password. The link works for %(num)d hour.",
                       "If this address has an account, we have sent it a link to choose a new "
                       "password. The link works for %(num)d hours.", hours), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form), 400 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    if service.open_password_reset(token) is None:
        return error_page(410, _("This link has expired or was already used. Request a new one."))
    form = ResetForm()
    if form.validate_on_submit():
        try:
            service.reset_password(token=token, new_password=form.password.data)
        except service.LinkUsed as exc:
            return error_page(410, exc.message)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            # The service ended every session of the account, this browser's included;
            # the CSRF token stays, so a second submit meets the used link, not a 400.
            logout_user()
            flash(_("Your password has been changed. Log in with your new password."), "info")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form), 400 if form.errors else 200


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = LanguageForm(locale=current_user.locale)
    if form.validate_on_submit():
        try:
            service.set_locale(current_user._get_current_object(), locale=form.locale.data)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("Your language has been saved."), "info")
            return redirect(url_for("accounts.account"))
    device_form = NewDeviceNoticeForm(formdata=None, notify=current_user.notify_new_device)
    return render_template("accounts/account.html", form=form, device_form=device_form), \
        400 if form.errors else 200


@refusal_page("accounts.confirm_identity")
def _confirm_refused(message: str) -> str:
    form = ConfirmIdentityForm()
    form.form_errors.append(message)
    return render_template("accounts/confirm.html", form=form,
                           needs_code=has_second_factor(current_user))


@bp.route("/account/confirm", methods=["GET", "POST"])
@login_required
@confirm_limit
def confirm_identity():
    """The password again (and the second factor where set) before a sensitive change."""
    form = ConfirmIdentityForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    user = current_user._get_current_object()
    if form.validate_on_submit():
        try:
            reauth.confirm_identity(user, password=form.password.data, code=form.code.data)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            reauth.mark_confirmed()
            return redirect(safe_next(form.next.data, url_for("accounts.security")))
    return render_template("accounts/confirm.html", form=form,
                           needs_code=has_second_factor(user)), 400 if form.errors else 200


@bp.post("/language")
def language():
    """Language choice for visitors who are not logged in (a cookie, nothing stored)."""
    form = LanguageForm()
    target = safe_next(request.form.get("next"), url_for("spaces.index"))
    response = redirect(target)
    if form.validate_on_submit():
        response.set_cookie(language_cookie(), form.locale.data, max_age=365 * 24 * 3600,
                            samesite="Lax", httponly=True,
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


from app.accounts import security_views  # noqa: E402,F401  (registers the security pages on bp)
