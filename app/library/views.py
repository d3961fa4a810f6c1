"""Library pages: the list with its filters, an item, adding, editing and removing material,
"bespreek dit", and the space's own categories."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.errors import ServiceError, error_page
from app.forms import ConfirmForm, page_arg, show_error
from app.limits import upload_limit
from app.library import categories, queries, service
from app.forum.planned_views import publication_time_of
from app.library.forms import CategoryForm, EditItemForm, ItemForm
from app.library.models import KINDS
from app import policy
from app.spaces.access import space_page

bp = Blueprint("library", __name__)


def _status(form) -> int:
    return 400 if form.errors else 200


@bp.get("/s/<slug>/library")
@space_page
def index(space, actor):
    page = queries.library_page(actor, space, category=request.args.get("category") or None,
                                kind=request.args.get("kind") or None, page=page_arg(request))
    return render_template("library/index.html", space=space, library=page)


@bp.route("/s/<slug>/library/new", methods=["GET", "POST"])
@upload_limit
@space_page
def new(space, actor):
    if not policy.can_add_library_item(actor, space):
        return error_page(403)
    form = ItemForm()
    form.category.choices = queries.category_choices(queries.own_categories(space))
    if request.method == "GET":
        if request.args.get("kind") in KINDS:
            form.kind.data = request.args["kind"]
        form.category.data = request.args.get("category") or (
            "tips" if policy.can_mark_from_leads(actor, space) else "group")
    if form.validate_on_submit():
        try:
            item = service.add_item(
                actor, space, kind=form.kind.data, title=form.title.data,
                description=form.description.data, category=form.category.data,
                url=form.url.data, file=form.file.data, from_leads=form.from_leads.data,
                publish_at=publication_time_of(form))
        except ServiceError as exc:
            show_error(form, exc)
        else:
            return redirect(url_for("library.item", slug=space.slug, item_id=item.id))
    return render_template("library/new.html", space=space, form=form), _status(form)


@bp.get("/s/<slug>/library/<id:item_id>")
@space_page
def item(space, actor, item_id: int):
    item = queries.get_item(actor, space, item_id, include_removed=True)
    if item.deleted_at is not None:
        return render_template("library/removed.html", space=space, item=item), 410
    return render_template("library/item.html", space=space, item=item, confirm=ConfirmForm())


@bp.route("/s/<slug>/library/<id:item_id>/edit", methods=["GET", "POST"])
@upload_limit
@space_page
def edit(space, actor, item_id: int):
    item = queries.get_item_for_edit(actor, space, item_id)
    form = EditItemForm(obj=item if request.method == "GET" else None)
    form.category.choices = queries.category_choices(queries.own_categories(space))
    if request.method == "GET":
        form.category.data = item.category or str(item.category_id)
    if form.validate_on_submit():
        try:
            service.edit_item(actor, item, title=form.title.data,
                              description=form.description.data, category=form.category.data,
                              url=form.url.data, file=form.file.data,
                              from_leads=form.from_leads.data)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            return redirect(url_for("library.item", slug=space.slug, item_id=item.id))
    return render_template("library/edit.html", space=space, item=item, form=form,
                           confirm=ConfirmForm()), _status(form)


@bp.post("/s/<slug>/library/<id:item_id>/remove")
@space_page
def remove(space, actor, item_id: int):
    item = queries.get_item(actor, space, item_id)
    if ConfirmForm().validate_on_submit():
        service.remove_item(actor, item)
        flash(_("The material has been removed from the library."), "info")
    return redirect(url_for("library.index", slug=space.slug))


@bp.post("/s/<slug>/library/<id:item_id>/discuss")
@space_page
def discuss(space, actor, item_id: int):
    item = queries.get_item(actor, space, item_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("library.item", slug=space.slug, item_id=item.id))
    thread = service.discuss_item(actor, item)
    return redirect(url_for("forum.thread", slug=space.slug, thread_id=thread.id))


@bp.route("/s/<slug>/library/categories", methods=["GET", "POST"])
@space_page
def category_list(space, actor):
    if not policy.can_manage_library_categories(actor, space):
        return error_page(403)
    form = CategoryForm()
    if form.validate_on_submit():
        try:
            categories.add_category(actor, space, name=form.name.data)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("The category has been added."), "info")
            return redirect(url_for("library.category_list", slug=space.slug))
    return _categories_page(space, form), _status(form)


def _categories_page(space, form, *, failed_id: int | None = None, failed_form=None) -> str:
    return render_template("library/categories.html", space=space, form=form,
                           own=queries.own_categories(space), use=queries.category_use(space),
                           failed_id=failed_id, failed_form=failed_form,
                           rename_form=CategoryForm, confirm=ConfirmForm())


@bp.post("/s/<slug>/library/categories/<id:category_id>/rename")
@space_page
def rename_category(space, actor, category_id: int):
    category = queries.get_category(actor, space, category_id)
    form = CategoryForm(prefix=f"c{category.id}")
    if form.validate_on_submit():
        try:
            categories.rename_category(actor, space, category, name=form.name.data)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("The category has been renamed."), "info")
            return redirect(url_for("library.category_list", slug=space.slug))
    return _categories_page(space, CategoryForm(formdata=None), failed_id=category.id,
                            failed_form=form), 400


@bp.post("/s/<slug>/library/categories/<id:category_id>/remove")
@space_page
def remove_category(space, actor, category_id: int):
    category = queries.get_category(actor, space, category_id)
    if ConfirmForm().validate_on_submit():
        try:
            categories.remove_category(actor, space, category)
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            flash(_("The category has been removed."), "info")
    return redirect(url_for("library.category_list", slug=space.slug))


@bp.record_once
def _template_globals(state) -> None:
    """The library's labels for its pages (one mapping each, app/library/labels.py)."""
    from app.library.labels import FROM_LEADS, KIND_LABELS, category_label
    from app.web import current_actor

    state.app.jinja_env.globals.update(
        library_kind_labels=KIND_LABELS, library_category=category_label,
        library_from_leads=FROM_LEADS,
        library_planned=lambda item: not policy.is_published(current_actor(), item))
