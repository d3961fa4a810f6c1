"""Account security pages: open sessions (end one, end all others), the password and the
email address (both after re-authentication), and the new-device notice setting."""
from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts import email_change, service, sessions
from app.accounts.devices import device_label
from app.accounts.forms import EmailChangeForm, NewDeviceNoticeForm, PasswordChangeForm
from app.accounts.reauth import require_recent_auth
from app.accounts.signin import sign_in, sign_out
from app.accounts.views import bp
from app.database import utcnow
from app.dates import format_approximate
from app.errors import ServiceError, error_page
from app.forms import ConfirmForm, show_error
from app.web import current_actor


@bp.get("/account/security")
@login_required
def security():
    now = utcnow()
    rows = [dict(id=row.id, device=device_label(row.device), prefix=row.ip_prefix,
                 seen=format_approximate(row.last_seen_at, now),
                 started=format_approximate(row.created_at, now),
                 this=row.id == g.user_session.id)
            for row in sessions.active_sessions(current_user)]
    return render_template("accounts/security.html", sessions=rows, form=ConfirmForm())


@bp.post("/account/sessions/<id:session_id>/end")
@login_required
def end_session(session_id: int):
    target = sessions.own_session(current_user, session_id)
    if target is None or not ConfirmForm().validate_on_submit():
        abort(404 if target is None else 400)
    this = target.id == g.user_session.id
    sessions.end_session(current_actor(), target)
    if this:
        sign_out()
        flash(_("You are logged out."), "info")
        return redirect(url_for("accounts.login"))
    flash(_("That session has been ended."), "info")
    return redirect(url_for("accounts.security"))


@bp.post("/account/sessions/end-others")
@login_required
def end_other_sessions():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    sessions.end_other_sessions(current_actor(), keep_id=g.user_session.id)
    flash(_("You are logged out everywhere else."), "info")
    return redirect(url_for("accounts.security"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@require_recent_auth
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            user = service.change_password(current_user._get_current_object(),
                                           current=form.current_password.data,
                                           new=form.new_password.data)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            # Every session ended, this one too: this browser goes on with a new key, so a
            # copy of its old cookie is useless.
            response = sign_in(user, redirect(url_for("accounts.security")))
            flash(_("Your password has been changed. You are logged out everywhere else."), "info")
            return response
    return render_template("accounts/password.html", form=form), 400 if form.errors else 200


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
@require_recent_auth
def change_email():
    form = EmailChangeForm()
    if form.validate_on_submit():
        try:
            email_change.request_email_change(current_actor(), new_email=form.email.data)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            hours = current_app.config["EMAIL_CHANGE_HOURS"]
            flash(_("We have sent a link to %(email)s. Open it within %(hours)d hours to "
                    "confirm the new address. Until then your old address stays.",
                    email=form.email.data.strip().lower(), hours=hours), "info")
            return redirect(url_for("accounts.security"))
    return render_template("accounts/email.html", form=form), 400 if form.errors else 200


@bp.route("/account/email/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """Opened from the mail to the new address, perhaps on another device: a button (a mail
    scanner that follows the link changes nothing)."""
    change = email_change.open_email_change(token)
    expired = _("This link has expired or was already used. Request a new one.")
    if change is None:
        return error_page(410, expired)
    form = ConfirmForm()
    if form.validate_on_submit():
        mine = current_user.is_authenticated and current_user.id == change.user_id
        try:
            email_change.confirm_email_change(
                token, keep_session_id=g.user_session.id if mine else None)
        except email_change.ChangeLinkUsed as exc:
            return error_page(410, exc.message)
        except ServiceError as exc:
            return error_page(400, exc.message)
        flash(_("Your email address has been changed."), "info")
        return redirect(url_for("accounts.security" if mine else "accounts.login"))
    return render_template("accounts/email_confirm.html", form=form, email=change.new_email)


@bp.post("/account/new-device")
@login_required
def new_device_notice():
    form = NewDeviceNoticeForm()
    if not form.validate_on_submit():
        abort(400)
    email_change.set_new_device_notice(current_user._get_current_object(),
                                       on=form.notify.data)
    flash(_("Your choice has been saved."), "info")
    return redirect(url_for("accounts.account"))
