"""Pages of the facilitators' line: /s/<slug>/line (a member's own line, or the leads' list)
and /s/<slug>/line/<member id> (one member's line, for the leads)."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from app.database import best_effort
from app.errors import ServiceError, error_page
from app.forms import show_error
from app.line import queries, service
from app.line.forms import LineForm
from app import policy
from app.spaces.access import space_page

bp = Blueprint("line", __name__)


def _page_arg() -> int | None:
    """?page=N, or None for the newest page (where a line opens)."""
    value = request.args.get("page", "")
    return int(value) if value.isascii() and value.isdigit() and 0 < len(value) < 7 else None


def _line_page(space, actor, page, form, *, status: int = 200):
    if page.conversation is not None and page.newest_id > page.last_read_id:
        # Bookkeeping: with the database refusing writes the line still opens.
        best_effort(service.mark_read, actor, page.conversation, page.member, upto=page.newest_id)
    own = actor.membership(space.id).id == page.member.id
    return render_template("line/conversation.html", space=space, line=page, form=form,
                           own=own), status


@bp.get("/s/<slug>/line")
@space_page
def index(space, actor):
    if policy.can_read_line(actor, space):
        return render_template("line/index.html", space=space, rows=queries.lines(actor, space))
    return _line_page(space, actor, queries.own_line(actor, space, _page_arg()), LineForm())


@bp.post("/s/<slug>/line")
@space_page
def write(space, actor):
    form = LineForm()
    if not policy.can_open_line(actor, space):
        return error_page(403)
    if form.validate_on_submit():
        try:
            service.write_to_facilitators(actor, space, body=form.body.data or "")
        except ServiceError as exc:
            show_error(form, exc)
        else:
            return redirect(url_for("line.index", slug=space.slug, _anchor="latest"))
    return _line_page(space, actor, queries.own_line(actor, space), form, status=400)


@bp.get("/s/<slug>/line/<id:member_id>")
@space_page
def conversation(space, actor, member_id: int):
    if actor.membership(space.id).id == member_id:
        return redirect(url_for("line.index", slug=space.slug))
    return _line_page(space, actor, queries.line_of(actor, space, member_id, _page_arg()),
                      LineForm())


@bp.post("/s/<slug>/line/<id:member_id>")
@space_page
def write_to(space, actor, member_id: int):
    page = queries.line_of(actor, space, member_id)
    if not policy.can_write_line_to(actor, page.member):
        return error_page(403)
    form = LineForm()
    if form.validate_on_submit():
        try:
            service.write_to_member(actor, space, page.member, body=form.body.data or "")
        except ServiceError as exc:
            show_error(form, exc)
        else:
            return redirect(url_for("line.conversation", slug=space.slug, member_id=member_id,
                                    _anchor="latest"))
    return _line_page(space, actor, page, form, status=400)
