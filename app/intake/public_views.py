"""The public interest page (no login): the theme, the rhythm and the facilitators'
introduction, the registration form, "check your email", and the confirmation link. Nothing
else about the space is shown here, ever."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for

from app.accounts.service import TooManyAttempts
from app.accounts.views import client_ip
from app.errors import ServiceError, error_page
from app.forms import ConfirmForm, show_error
from app.intake import register
from app.intake.forms import registration_form
from app.intake.queries import open_page
from app.limits import intake_limit

bp = Blueprint("interest", __name__)


def _opened(key: str):
    opened = open_page(key)
    if opened is None:
        abort(404)  # closed, unknown or ended: the same answer
    return opened


@bp.route("/aanmelden/<key>", methods=["GET", "POST"])
@intake_limit
def page(key: str):
    intake, space = _opened(key)
    form = registration_form(intake.question_list)
    status, headers = 200, {}
    if form.validate_on_submit():
        try:
            register.register(key, name=form.name.data, email=form.email.data,
                              answers=form.answers(), client_ip=client_ip(),
                              trap=form.website.data or "")
        except TooManyAttempts as exc:
            show_error(form, exc)  # at the field, everything typed kept
            status, headers = 429, {"Retry-After": str(exc.retry_after)}
        except ServiceError as exc:
            show_error(form, exc)
            status = 400
        else:
            # The same "check your email" for everyone: newcomer, member, known, robot.
            return redirect(url_for("interest.sent", key=key))
    elif form.errors:
        status = 400
    # `space` is not passed on purpose: the page shows no group menu, name or content.
    return render_template("intake/public.html", intake=intake, theme=space.theme,
                           form=form), status, headers


@bp.get("/aanmelden/<key>/verstuurd")
def sent(key: str):
    intake, space = _opened(key)
    return render_template("intake/sent.html", intake=intake, theme=space.theme)


@bp.route("/aanmelden/bevestigen/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """GET shows a button (a mail scanner following the link confirms nothing); the POST
    confirms. A link already used shows the thanks again."""
    found = register.open_confirmation(token)
    if found is None:
        return error_page(410, register.expired_link())
    if found.confirmed_at is not None:
        return render_template("intake/confirmed.html")
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            register.confirm_registration(token)
        except register.LinkExpired as exc:
            return error_page(410, exc.message)
        return render_template("intake/confirmed.html")
    return render_template("intake/confirm.html", form=form), 400 if form.errors else 200
