"""Operator pages under /admin/: the rented spaces, one rental with its first facilitator's
invitation. Thin: parse, call one service, redirect or render."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.admin import queries, service
from app.admin.forms import EndForm, ExtendForm, FirstFacilitatorForm, RentalForm, SpaceForm
from app.errors import ServiceError
from app.forms import ConfirmForm, show_error
from app.notify.outbox import MAIL_STATES
from app.spaces import service as space_service
from app.web import current_actor

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@login_required
def index():
    queries.rented_spaces(current_actor())  # refuses non-operators
    return redirect(url_for("admin.spaces"))


@bp.route("/spaces", methods=["GET", "POST"])
@login_required
def spaces():
    actor = current_actor()
    uses = queries.rented_spaces(actor)
    form = SpaceForm()
    if form.validate_on_submit():
        try:
            space, _raw = space_service.create_space(
                actor, name=form.name.data, slug=form.slug.data, theme=form.theme.data or "",
                description=form.description.data or "", renter=form.renter.data,
                rental_start=form.rental_start.data, rental_end=form.rental_end.data,
                seat_limit=form.seat_limit.data, facilitator_email=form.facilitator_email.data)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            # The operator never sees the link: whoever holds it could join as facilitator.
            flash(_("The space has been created and its facilitator invited."), "info")
            return redirect(url_for("admin.space", slug=space.slug, invited=1))
    return render_template("admin/spaces.html", uses=uses, form=form,
                           states=queries.RENTAL_STATE_LABELS), 400 if form.errors else 200


def _detail(use, *, edit=None, extend=None, end=None, invite=None, first=None):
    """The rental page with its forms; a form given here failed and shows its errors
    (`first`: a refused resend or withdrawal of the first facilitator's invitation)."""
    failed = any(f is not None and f.errors for f in (edit, extend, end, invite, first))
    return render_template(
        "admin/space.html", use=use, states=queries.RENTAL_STATE_LABELS,
        invitation_states=queries.INVITATION_STATE_LABELS, mail_states=MAIL_STATES,
        edit=edit or RentalForm(obj=use.space, formdata=None),
        extend=extend or ExtendForm(prefix="extend", formdata=None),
        end=end or EndForm(prefix="end", formdata=None),
        invite=invite or FirstFacilitatorForm(prefix="first", formdata=None),
        first=first or ConfirmForm(formdata=None),
        invited=request.args.get("invited") == "1",
    ), 400 if failed else 200


@bp.route("/spaces/<slug>", methods=["GET", "POST"])
@login_required
def space(slug: str):
    actor = current_actor()
    use = queries.rented_space(actor, slug)
    if request.method == "GET":
        return _detail(use)
    form = RentalForm()
    if form.validate_on_submit():
        try:
            service.update_rental(
                actor, use.space, name=form.name.data, theme=form.theme.data or "",
                description=form.description.data or "", renter=form.renter.data,
                rental_start=form.rental_start.data, rental_end=form.rental_end.data,
                seat_limit=form.seat_limit.data)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("Saved."), "info")
            return redirect(url_for("admin.space", slug=slug))
    return _detail(use, edit=form)


@bp.post("/spaces/<slug>/extend")
@login_required
def extend(slug: str):
    actor = current_actor()
    use = queries.rented_space(actor, slug)
    form = ExtendForm(prefix="extend")
    if form.validate_on_submit():
        try:
            service.extend_rental(actor, use.space, rental_end=form.rental_end.data)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("The rental has been extended."), "info")
            return redirect(url_for("admin.space", slug=slug))
    return _detail(use, extend=form)


@bp.post("/spaces/<slug>/end")
@login_required
def end(slug: str):
    actor = current_actor()
    use = queries.rented_space(actor, slug)
    form = EndForm(prefix="end")
    if form.validate_on_submit():
        try:
            service.end_rental(actor, use.space)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("The rental has ended. The group can still read its space, but not "
                    "write in it."), "info")
            return redirect(url_for("admin.space", slug=slug))
    return _detail(use, end=form)


@bp.post("/spaces/<slug>/first-facilitator")
@login_required
def invite_first(slug: str):
    actor = current_actor()
    use = queries.rented_space(actor, slug)
    form = FirstFacilitatorForm(prefix="first")
    if form.validate_on_submit():
        try:
            service.invite_first_facilitator(actor, use.space, email=form.email.data)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("The invitation has been sent. The link works only for that address."),
                  "info")
            return redirect(url_for("admin.space", slug=slug))
    return _detail(use, invite=form)


def _invitation_action(slug: str, action, done: str):
    actor = current_actor()
    use = queries.rented_space(actor, slug)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            action(actor, use.space)
        except ServiceError as exc:
            show_error(form, exc)  # e.g. accepted meanwhile: said on the page, 400
            return _detail(use, first=form)
        flash(done, "info")
    return redirect(url_for("admin.space", slug=slug))


@bp.post("/spaces/<slug>/first-facilitator/resend")
@login_required
def resend_first(slug: str):
    return _invitation_action(slug, service.resend_first_invitation,
                              _("A new invitation has been sent; the old link no longer works."))


@bp.post("/spaces/<slug>/first-facilitator/withdraw")
@login_required
def withdraw_first(slug: str):
    return _invitation_action(slug, service.withdraw_first_invitation,
                              _("The invitation has been withdrawn; its link no longer works."))
