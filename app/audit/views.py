"""The audit trail's pages: /admin/audit for operators, /s/<slug>/audit for a space's
facilitators, each with its CSV of the same filtered rows. Thin: parse the filters, call one
query, render."""
from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_login import login_required

from app.audit import queries
from app.audit.export import platform_csv, space_csv
from app.audit.forms import AuditFilterForm
from app.audit.labels import EVENT_LABELS, SPACE_EVENT_LABELS, detail_text
from app.forms import page_arg
from app.spaces.access import space_page
from app.web import current_actor

bp = Blueprint("audit", __name__)


def _filters(labels: dict, *, platform: bool) -> tuple[AuditFilterForm, queries.AuditFilter]:
    """The form as the reader filled it in and the filters that hold: a value that does not
    validate is shown with its error and left out."""
    form = AuditFilterForm(request.args)
    form.event.choices = [("", _("Everything")), *((k, str(v)) for k, v in labels.items())]
    form.space.choices = [("", _("All group spaces"))]
    if not platform:
        del form.space
    form.validate()

    def ok(name):
        f = getattr(form, name, None)
        return f.data if f is not None and not f.errors and f.data else None
    space = ok("space")
    return form, queries.AuditFilter(event=ok("event"), since=ok("since"), until=ok("until"),
                                     space_id=int(space) if space else None)


def _args() -> dict:
    return {k: v for k, v in request.args.items() if k != "page"}


@bp.get("/admin/audit")
@login_required
def platform():
    return _platform_page(*_filters(EVENT_LABELS, platform=True))


def _platform_page(form, filters):
    page = queries.platform_audit_page(current_actor(), filters, page_arg(request))
    form.space.choices += [(str(i), slug) for i, slug in page.spaces]
    return render_template("audit/platform.html", form=form, page=page, args=_args(),
                           labels=EVENT_LABELS, detail_text=detail_text
                           ), 400 if form.errors else 200


@bp.get("/admin/audit.csv")
@login_required
def platform_export():
    form, filters = _filters(EVENT_LABELS, platform=True)
    if form.errors:  # the filters as a page, with what is wrong (400)
        return _platform_page(form, filters)
    body = platform_csv(queries.platform_audit_rows(current_actor(), filters))
    return _csv(body, "audit-platform.csv")


@bp.get("/s/<slug>/audit")
@space_page
def space(space, actor):
    return _space_page(space, actor, *_filters(SPACE_EVENT_LABELS, platform=False))


def _space_page(space, actor, form, filters):
    page = queries.space_audit_page(actor, space, filters, page_arg(request))
    return render_template("audit/space.html", space=space, form=form, page=page,
                           args=_args(), labels=EVENT_LABELS, detail_text=detail_text
                           ), 400 if form.errors else 200


@bp.get("/s/<slug>/audit.csv")
@space_page
def space_export(space, actor):
    form, filters = _filters(SPACE_EVENT_LABELS, platform=False)
    if form.errors:
        return _space_page(space, actor, form, filters)
    body = space_csv(queries.space_audit_rows(actor, space, filters))
    return _csv(body, f"audit-{space.slug}.csv")


def _csv(body: str, filename: str) -> Response:
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})
