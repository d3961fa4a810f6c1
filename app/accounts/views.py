"""Account pages: login, logout, forgotten password, account settings (sessions, password
and email: app/accounts/security_views.py)."""
from __future__ import annotations

import threading

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, logout_user

from app.accounts import reauth, service, sessions
from app.accounts.forms import (
    ConfirmIdentityForm, ForgotForm, LanguageForm, LoginForm, NewDeviceNoticeForm, ResetForm,
)
from app.accounts.signin import sign_in, sign_out
from app.accounts.twofactor import has_second_factor
from app.errors import ServiceError, error_page
from app.forms import safe_next, show_error
from app.limits import confirm_limit, login_limit, refusal_page, reset_limit, too_many
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
                                        client_ip=client_ip(),
                                        locale=request.cookies.get(language_cookie()))
        except service.TooManyAttempts as exc:
            return too_many(exc.retry_after)
        if user is not None:
            return _finish_login(user, form.next.data)
        form.password.errors = [_("That email address and password do not match.")]
    return render_template("accounts/login.html", form=form), 400 if form.errors else 200


def _finish_login(user, form_next: str):
    """The last step of every login: a new session for this browser, then on to `next`."""
    response = redirect(safe_next(form_next, url_for("spaces.index")))
    # The choice made as a visitor now lives in the account; a cookie left behind
    # would undo a later change made on another device.
    response.delete_cookie(language_cookie(), samesite="Lax", httponly=True,
                           secure=current_app.config["SESSION_COOKIE_SECURE"])
    return sign_in(user, response)


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
    return redirect(url_for("accounts.login"))


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
