"""Pages of statements and assignments: taking a position, rewording the positions, and
changing an assignment's due date. The thread page itself shows both (forum/views.py)."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.errors import ServiceError
from app.forms import show_error
from app.forum import assignments, queries, statements
from app.forum.forms import PostForm
from app.forum.seed_forms import DueForm, LabelsForm, PositionForm
from app.forum.views import _thread_page
from app.spaces.access import space_page

bp = Blueprint("seeding", __name__)


def _back(space, thread, anchor: str):
    return redirect(url_for("forum.thread", slug=space.slug, thread_id=thread.id, page=1,
                            _anchor=anchor))


@bp.post("/s/<slug>/t/<id:thread_id>/position")
@space_page
def take_position(space, actor, thread_id: int):
    thread = statements.get_statement(actor, space, thread_id)
    form = PositionForm()
    if form.validate_on_submit():
        value = form.position.data or ""
        number = int(value) if value.isascii() and value.isdigit() and len(value) < 3 else 0
        try:
            statements.take_position(actor, thread, position=number)
        except ServiceError as exc:
            error = exc.message
        else:
            return _back(space, thread, "poll")
    else:  # a field with a forbidden character, say: the form's own reason
        reasons = [reason for field in form.errors.values() for reason in field]
        error = reasons[0] if reasons else _("Choose one of the positions.")
    # Back to the statement with the reason beside the positions (the first page holds them).
    page = queries.thread_page(actor, thread, 1, last_read_number=queries.last_read(actor, thread))
    if page.kind_panel is not None:
        page.kind_panel.error = error
    return _thread_page(actor, space, thread, page, PostForm()), 400


@bp.route("/s/<slug>/t/<id:thread_id>/positions", methods=["GET", "POST"])
@space_page
def edit_positions(space, actor, thread_id: int):
    thread = statements.get_statement(actor, space, thread_id)
    poll = statements.poll_for_edit(actor, thread)
    form = LabelsForm(data={statements.label_field(p.number): p.label for p in poll.positions})
    if form.validate_on_submit():
        try:
            statements.edit_positions(actor, thread, labels=form.labels())
        except ServiceError as exc:
            show_error(form, exc)
        else:
            return _back(space, thread, "poll")
    return render_template("forum/edit_positions.html", space=space, thread=thread, poll=poll,
                           form=form), 400 if form.errors else 200


@bp.route("/s/<slug>/t/<id:thread_id>/due", methods=["GET", "POST"])
@space_page
def edit_due(space, actor, thread_id: int):
    thread = assignments.get_assignment(actor, space, thread_id)
    assignments.require_due_editable(actor, thread)
    form = DueForm()
    if request.method == "GET":
        form.due_date.data, form.due_time.data = assignments.due_fields(assignments.get_due(thread))
    if form.validate_on_submit():
        try:
            assignments.edit_due_date(actor, thread, day=form.due_date.data or "",
                                      time_of_day=form.due_time.data or "")
        except ServiceError as exc:
            show_error(form, exc)
        else:
            return _back(space, thread, "assignment")
    return render_template("forum/edit_due.html", space=space, thread=thread,
                           form=form), 400 if form.errors else 200
