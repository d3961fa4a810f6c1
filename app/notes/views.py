"""The notes page of one member (facilitators only): read (recorded), add, remove, and
export as a download (POST, since it is recorded too)."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.errors import NotFound, ServiceError
from app.forms import ConfirmForm, show_error
from app.notes import service
from app.notes.forms import NoteForm
from app.notes.labels import ACCESS_LABELS
from app.notes.models import NOTE_MAX
from app.spaces.access import space_page
from app.spaces.queries import get_membership

bp = Blueprint("notes", __name__)


def _page(space, actor, membership, form, status: int = 200):
    notes = service.read_notes(actor, membership)  # 403 unless a facilitator; recorded
    return render_template("notes/member.html", space=space, member=membership, notes=notes,
                           form=form, record=service.access_record(actor, membership),
                           note_max=NOTE_MAX, access_labels=ACCESS_LABELS), status


@bp.route("/s/<slug>/members/<id:membership_id>/notes", methods=["GET", "POST"])
@space_page
def member(space, actor, membership_id: int):
    membership = get_membership(actor, space, membership_id)  # 404: other space, ended
    form = NoteForm()
    if form.validate_on_submit():
        try:
            service.add_note(actor, membership, body=form.body.data or "")
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("The note has been saved."), "info")
            return redirect(url_for("notes.member", slug=space.slug, membership_id=membership.id))
    return _page(space, actor, membership, form, 400 if form.errors else 200)


@bp.post("/s/<slug>/members/<id:membership_id>/notes/<id:note_id>/remove")
@space_page
def remove(space, actor, membership_id: int, note_id: int):
    membership = get_membership(actor, space, membership_id)
    note = service.get_note(membership, note_id)
    if note is None:
        raise NotFound()
    if ConfirmForm().validate_on_submit():
        service.remove_note(actor, membership, note)
        flash(_("The note has been removed."), "info")
    return redirect(url_for("notes.member", slug=space.slug, membership_id=membership.id))


@bp.post("/s/<slug>/members/<id:membership_id>/notes/export")
@space_page
def export(space, actor, membership_id: int):
    membership = get_membership(actor, space, membership_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("notes.member", slug=space.slug, membership_id=membership.id))
    text = service.export_notes(actor, membership)
    return Response(text, mimetype="text/plain", headers={
        "Content-Disposition": f'attachment; filename="notities-{space.slug}-{membership.id}.txt"'})
