"""Export pages: /account/export (a member's own data) and /s/<slug>/export (a facilitator's
copy of the space). Asking and downloading need a recent re-authentication; the state is a
plain page with a "refresh" link, static/js/export.js polls the status as an enhancement."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, redirect, render_template, url_for
from flask_login import login_required

from app import storage
from app.accounts.reauth import require_recent_auth
from app.errors import NotFound
from app.exports import queries, service
from app.exports.labels import STATUS_LABELS
from app.exports.models import QUEUED, RUNNING
from app.forms import ConfirmForm
from app.spaces.access import space_page
from app.web import current_actor

bp = Blueprint("exports", __name__)

# The zip is a download, never a page: nothing in it runs or loads in the browser.
FILE_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"


def _page(template: str, export, **context):
    return render_template(template, export=export, form=ConfirmForm(),
                           waiting=export is not None and export.status in (QUEUED, RUNNING),
                           status_label=STATUS_LABELS.get(export.status) if export else None,
                           **context)


def _status(export):
    return jsonify(status=export.status, progress=export.progress,
                   label=str(STATUS_LABELS.get(export.status, "")))


def _send(export, name: str):
    try:
        handle = storage.open_export(export.file_key)
    except (FileNotFoundError, ValueError):
        raise NotFound() from None
    response = Response(_chunks(handle), mimetype="application/zip", direct_passthrough=True)
    response.content_length = export.size_bytes
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Content-Security-Policy"] = FILE_CSP
    return response


def _chunks(handle):
    with handle:
        while chunk := handle.read(storage.CHUNK):
            yield chunk


def _filename(export, prefix: str) -> str:
    return f"{prefix}-{export.finished_at:%Y-%m-%d}.zip"


# --- my own data ------------------------------------------------------------------------------

@bp.get("/account/export")
@login_required
def personal():
    export = queries.latest_export(current_actor())
    return _page("exports/personal.html", export)


@bp.post("/account/export")
@login_required
@require_recent_auth
def request_personal():
    if ConfirmForm().validate_on_submit():
        service.request_personal_export(current_actor())
    return redirect(url_for("exports.personal"), 303)


@bp.get("/account/export/<id:export_id>/status")
@login_required
def personal_status(export_id: int):
    return _status(queries.own_export(current_actor(), export_id))


@bp.get("/account/export/<id:export_id>/download")
@login_required
def personal_download_page(export_id: int):
    # Where the re-authentication page sends someone back to after a refused POST.
    return redirect(url_for("exports.personal"))


@bp.post("/account/export/<id:export_id>/download")
@login_required
@require_recent_auth
def personal_download_link(export_id: int):
    actor = current_actor()
    export = queries.own_export(actor, export_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("exports.personal"), 303)
    token = service.issue_download_link(actor, export)
    return redirect(url_for("exports.personal_file", export_id=export.id, token=token), 303)


@bp.get("/account/export/<id:export_id>/<token>")
@login_required
def personal_file(export_id: int, token: str):
    export = service.downloadable(current_actor(), export_id, token)
    return _send(export, _filename(export, "kring-mijn-gegevens"))


# --- a facilitator's copy of the space ----------------------------------------------------------

@bp.get("/s/<slug>/export")
@space_page
def space(space, actor):
    export = queries.latest_export(actor, space=space)
    return _page("exports/space.html", export, space=space)


@bp.post("/s/<slug>/export")
@space_page
@require_recent_auth
def request_space(space, actor):
    if ConfirmForm().validate_on_submit():
        service.request_space_export(actor, space)
    return redirect(url_for("exports.space", slug=space.slug), 303)


@bp.get("/s/<slug>/export/<id:export_id>/status")
@space_page
def space_status(space, actor, export_id: int):
    return _status(queries.own_export(actor, export_id, space=space))


@bp.get("/s/<slug>/export/<id:export_id>/download")
@space_page
def space_download_page(space, actor, export_id: int):
    return redirect(url_for("exports.space", slug=space.slug))


@bp.post("/s/<slug>/export/<id:export_id>/download")
@space_page
@require_recent_auth
def space_download_link(space, actor, export_id: int):
    export = queries.own_export(actor, export_id, space=space)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("exports.space", slug=space.slug), 303)
    token = service.issue_download_link(actor, export)
    return redirect(url_for("exports.space_file", slug=space.slug, export_id=export.id,
                            token=token), 303)


@bp.get("/s/<slug>/export/<id:export_id>/<token>")
@space_page
def space_file(space, actor, export_id: int, token: str):
    export = service.downloadable(actor, export_id, token, space=space)
    return _send(export, _filename(export, f"kring-{space.slug}"))
