"""Operator pages under /admin/."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.admin import queries
from app.admin.forms import SpaceForm
from app.errors import ServiceError
from app.forms import show_error
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
    return render_template("admin/spaces.html", uses=uses, form=form), 400 if form.errors else 200


@bp.get("/spaces/<slug>")
@login_required
def space(slug: str):
    use = queries.rented_space(current_actor(), slug)
    return render_template("admin/space.html", use=use, invited=request.args.get("invited") == "1")
