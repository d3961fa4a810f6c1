"""The facilitators' intake pages: the interest page's set-up, the registrations list, one
registration with its answers and the decisions. Thin: parse, call one service, redirect."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.errors import ServiceError
from app.forms import ConfirmForm, show_error
from app.intake import decisions, queries, setup
from app.intake.forms import DeclineForm, IntakeSetupForm, StatusForm
from app.intake.models import NEXT, STATUS_LABELS, STATUSES
from app.spaces.access import space_page
from app.urls import external_url

bp = Blueprint("intake", __name__)


@bp.route("/s/<slug>/intake/setup", methods=["GET", "POST"])
@space_page
def setup_page(space, actor):
    page = queries.intake_page(actor, space)  # 403 for everyone but the facilitators
    form = IntakeSetupForm(obj=page)
    if form.validate_on_submit():
        try:
            setup.save_intake_page(actor, space, is_open=form.is_open.data,
                                   introduction=form.introduction.data or "",
                                   rhythm=form.rhythm.data or "",
                                   questions=form.questions.data or "",
                                   decline_message=form.decline_message.data or "")
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("Saved."), "info")
            return redirect(url_for("intake.setup_page", slug=space.slug))
    link = external_url("interest.page", key=page.public_key) if page.public_key else None
    return render_template("intake/setup.html", space=space, form=form, page=page, link=link,
                           renew=ConfirmForm()), 400 if form.errors else 200


@bp.post("/s/<slug>/intake/setup/key")
@space_page
def renew_key(space, actor):
    queries.intake_page(actor, space)
    if ConfirmForm().validate_on_submit():
        try:
            setup.renew_public_key(actor, space)
        except ServiceError as exc:
            flash(exc.message, "warning")
        else:
            flash(_("The page has a new address. The old link no longer works."), "info")
    return redirect(url_for("intake.setup_page", slug=space.slug))


@bp.get("/s/<slug>/intake")
@space_page
def registrations(space, actor):
    found = queries.registrations_of(actor, space)
    counts = {status: sum(1 for r in found if r.status == status) for status in STATUSES}
    return render_template("intake/registrations.html", space=space, registrations=found,
                           counts=counts, labels=STATUS_LABELS)


def _registration_page(space, actor, registration, *, status_form=None, decline_form=None,
                       admit_form=None):
    decline_form = decline_form or DeclineForm(message=decisions.decline_text(space),
                                               formdata=None)
    return render_template("intake/registration.html", space=space, registration=registration,
                           labels=STATUS_LABELS, next_statuses=NEXT.get(registration.status, ()),
                           status_form=status_form or StatusForm(formdata=None),
                           decline_form=decline_form, admit_form=admit_form or ConfirmForm())


@bp.get("/s/<slug>/intake/<id:registration_id>")
@space_page
def registration(space, actor, registration_id: int):
    found = queries.get_registration(actor, space, registration_id)
    return _registration_page(space, actor, found)


def _decide(space, actor, registration_id: int, form, name: str, action, done: str):
    """Validate the decision's form and call its service: back to the list when done, the
    registration again with the reason at the form (400) when refused."""
    found = queries.get_registration(actor, space, registration_id)
    if form.validate_on_submit():
        try:
            action(found, form)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(done, "info")
            return redirect(url_for("intake.registrations", slug=space.slug))
    found = queries.get_registration(actor, space, registration_id)
    return _registration_page(space, actor, found, **{name: form}), 400


@bp.post("/s/<slug>/intake/<id:registration_id>/status")
@space_page
def change_status(space, actor, registration_id: int):
    return _decide(space, actor, registration_id, StatusForm(), "status_form",
                   lambda r, f: decisions.change_status(actor, r, status=f.status.data),
                   _("Saved."))


@bp.post("/s/<slug>/intake/<id:registration_id>/admit")
@space_page
def admit(space, actor, registration_id: int):
    return _decide(space, actor, registration_id, ConfirmForm(), "admit_form",
                   lambda r, f: decisions.admit_registration(actor, r),
                   _("Admitted: the invitation has been sent."))


@bp.post("/s/<slug>/intake/<id:registration_id>/decline")
@space_page
def decline(space, actor, registration_id: int):
    return _decide(space, actor, registration_id, DeclineForm(), "decline_form",
                   lambda r, f: decisions.decline_registration(actor, r, message=f.message.data),
                   _("Declined: your message has been sent."))
