"""Forum pages: the space home, threads, replies, editing, reactions, pin and lock."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.database import best_effort
from app.errors import Forbidden, ServiceError, error_page
from app.forms import page_arg, show_error
from app.limits import post_limit, upload_limit
from app.forum import queries, quotes, seeding, service, tabs
from app.forum.home_rows import row_renderer
from app.forum.post_blocks import post_blocks
from app.forum.reply_form import reply_form
from app.forum.forms import EditForm, PostForm, ReactForm, TitleForm, ToggleForm
from app.forum.seed_forms import SeedThreadForm
from app.forum.models import THREAD_KINDS
from app.forum.planned_views import planned_reply_url, publication_time_of, say_when_planned
from app.meetings.queries import next_meeting
from app.spaces.access import space_page
from app.spaces.departure_queries import group_size

bp = Blueprint("forum", __name__)


def post_url(space, post) -> str:
    return url_for("forum.thread", slug=space.slug, thread_id=post.thread_id,
                   page=queries.page_of(post.number), _anchor=f"p{post.number}")


@bp.get("/s/<slug>/")
@space_page
def home(space, actor):
    tabbed = tabs.space_home_tab(actor, space, tabs.tab_arg(request.args.get("kind")),
                                 page_arg(request))
    kinds = queries.startable_kinds(actor, space)
    return render_template("forum/home.html", space=space, home=tabbed.home, tabs=tabbed,
                           can_start=bool(kinds), next_meeting=next_meeting(space, actor.now),
                           size=group_size(actor, space),
                           new_kind=tabbed.tab if tabbed.tab in kinds else None,
                           kept_row=row_renderer(actor))


@bp.route("/s/<slug>/t/new", methods=["GET", "POST"])
@post_limit
@upload_limit
@space_page
def new_thread(space, actor):
    kinds = queries.startable_kinds(actor, space)
    if not kinds:
        return error_page(403, _("In this group only the facilitators start conversations. "
                                 "You can reply to every conversation."))
    requested = request.form.get("kind") if request.method == "POST" else None
    if requested in THREAD_KINDS and requested not in kinds:
        return error_page(403)
    form = SeedThreadForm()  # with a statement's positions and an assignment's due date
    form.kind.choices = [c for c in form.kind.choices if c[0] in kinds]
    if request.method == "GET" and request.args.get("kind") in kinds:
        form.kind.data = request.args["kind"]
    if form.validate_on_submit():
        try:
            thread = seeding.start_thread(actor, space, kind=form.kind.data,
                                          title=form.title.data, body=form.body.data,
                                          files=form.files.data, labels=form.labels(),
                                          due_day=form.due_date.data,
                                          due_time=form.due_time.data,
                                          publish_at=publication_time_of(form))
        except ServiceError as exc:
            show_error(form, exc)
        else:
            say_when_planned(thread)
            return redirect(url_for("forum.thread", slug=space.slug, thread_id=thread.id))
    return render_template("forum/new_thread.html", space=space, form=form), 400 if form.errors else 200


@bp.get("/s/<slug>/t/<id:thread_id>")
@space_page
def thread(space, actor, thread_id: int):
    thread, last_read = queries.get_thread_read(actor, space, thread_id)
    quoting = quotes.requested_quote(actor, thread, request.args.get("quote"))
    if ("page" not in request.args and quoting is None
            and last_read is not None and last_read < thread.post_count):
        # Open at the first unread post.
        number = last_read + 1
        return redirect(url_for("forum.thread", slug=space.slug, thread_id=thread.id,
                                page=queries.page_of(number), _anchor=f"p{number}"))
    page = queries.thread_page(actor, thread, page_arg(request), last_read_number=last_read)
    if page.posts and (last_read or 0) < page.posts[-1].number:
        # Bookkeeping: with the database refusing writes the thread still opens.
        best_effort(service.mark_read, actor, thread, upto=page.posts[-1].number)
    return _thread_page(actor, space, thread, page, None, quoting=quoting)


def _thread_page(actor, space, thread, page, form, *, refused_text: str | None = None,
                 quoting=None) -> str:
    """`form`: the reply form as sent (None: an empty one, kept by app/forum/reply_form.py)."""
    quoted = quotes.quotes_for_page(thread, page.posts)
    return render_template("forum/thread.html", space=space, page=page, thread=thread,
                           refused_text=refused_text, quoting=quoting,
                           blocks=post_blocks(actor, space, thread, page, quoted),
                           reply_form=reply_form(actor, space, thread, page, form, quoting))


@bp.post("/s/<slug>/t/<id:thread_id>/reply")
@post_limit
@upload_limit
@space_page
def reply(space, actor, thread_id: int):
    thread = queries.get_thread(actor, space, thread_id)
    form = PostForm()
    quoted = quotes.quoted_post(actor, thread, form.quote_of.data)
    refused_text, status = None, 400
    if form.validate_on_submit():
        try:
            post = service.reply(actor, thread, body=form.body.data, files=form.files.data,
                                 quote=quoted, publish_at=publication_time_of(form))
        except ServiceError as exc:
            show_error(form, exc)
            if exc.field == "quote_of":
                form.quote_of.data = ""  # sent again, the text goes without the quote
        except Forbidden:
            # Closed since the page was opened: say so on the thread, and keep the text.
            refused_text, status = form.body.data, 403
        else:
            if post.publish_at is not None:
                say_when_planned(post)
                return redirect(planned_reply_url(space, thread, post))
            return redirect(post_url(space, post))
    # Re-render the last page with the reply form holding the user's text and the reason.
    last_read = queries.last_read(actor, thread)
    page = queries.thread_page(actor, thread, queries.page_of(thread.post_count),
                               last_read_number=last_read)
    quoting = quotes.requested_quote(actor, thread, form.quote_of.data)
    return _thread_page(actor, space, thread, page, form, refused_text=refused_text,
                        quoting=quoting), status


@bp.route("/s/<slug>/t/<id:thread_id>/title", methods=["GET", "POST"])
@space_page
def edit_title(space, actor, thread_id: int):
    thread = queries.get_thread_for_title_edit(actor, space, thread_id)
    form = TitleForm(title=thread.title)
    if form.validate_on_submit():
        try:
            service.edit_thread_title(actor, thread, title=form.title.data)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            return redirect(url_for("forum.thread", slug=space.slug, thread_id=thread.id, page=1))
    return render_template("forum/edit_title.html", space=space, thread=thread,
                           form=form), 400 if form.errors else 200


@bp.route("/s/<slug>/p/<id:post_id>/edit", methods=["GET", "POST"])
@space_page
def edit_post(space, actor, post_id: int):
    post = queries.get_post_for_edit(actor, space, post_id)
    form = EditForm(body=post.body)
    if form.validate_on_submit():
        try:
            service.edit_post(actor, post, body=form.body.data)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            return redirect(post_url(space, post))
    return render_template("forum/edit_post.html", space=space, post=post, form=form,
                           confirm=ToggleForm()), 400 if form.errors else 200


@bp.post("/s/<slug>/p/<id:post_id>/delete")
@space_page
def delete_post(space, actor, post_id: int):
    post = queries.get_post(actor, space, post_id)
    if ToggleForm().validate_on_submit():
        service.delete_post(actor, post)
        flash(_("Your message has been deleted."), "info")
    return redirect(post_url(space, post))


@bp.post("/s/<slug>/p/<id:post_id>/react")
@space_page
def react(space, actor, post_id: int):
    post = queries.get_post(actor, space, post_id)
    form = ReactForm()
    if form.validate_on_submit():
        try:
            kind, _sep, on = (form.choice.data or "").partition(":")
            service.set_reaction(actor, post, kind=kind, on=on == "1")
        except ServiceError as exc:
            flash(exc.message, "error")
    return redirect(post_url(space, post))


@bp.post("/s/<slug>/t/<id:thread_id>/pin")
@space_page
def pin(space, actor, thread_id: int):
    thread = queries.get_thread(actor, space, thread_id)
    form = ToggleForm()
    if form.validate_on_submit():
        service.set_pinned(actor, thread, pinned=form.on.data == "1")
    return redirect(url_for("forum.thread", slug=space.slug, thread_id=thread.id, page=1))


@bp.post("/s/<slug>/t/<id:thread_id>/lock")
@space_page
def lock(space, actor, thread_id: int):
    thread = queries.get_thread(actor, space, thread_id)
    form = ToggleForm()
    if form.validate_on_submit():
        service.set_locked(actor, thread, locked=form.on.data == "1")
    return redirect(url_for("forum.thread", slug=space.slug, thread_id=thread.id, page=1))
