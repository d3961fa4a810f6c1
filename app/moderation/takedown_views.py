"""Taking things down without a flag: hide or show a post or a whole conversation, and
remove a post for good. Thin: parse, call one service, redirect or render the form again."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.errors import ServiceError
from app.forms import ConfirmForm, show_error
from app.forum.queries import page_of
from app.moderation import outcomes, takedown
from app.moderation.forms import EraseForm, TakedownForm
from app.moderation.models import DIRECT
from app.spaces.access import space_page

bp = Blueprint("takedown", __name__)


def _at_post(space, post):
    return redirect(url_for("forum.thread", slug=space.slug, thread_id=post.thread_id,
                            page=page_of(post.number), _anchor=f"p{post.number}"))


def _at_thread(space, thread):
    return redirect(url_for("forum.thread", slug=space.slug, thread_id=thread.id, page=1))


def _form_page(space, form, *, what: str, post=None, thread=None):
    return render_template("moderation/takedown.html", space=space, form=form, what=what,
                           post=post, thread=thread), 400 if form.errors else 200


@bp.route("/s/<slug>/p/<id:post_id>/hide", methods=["GET", "POST"])
@space_page
def hide_post(space, actor, post_id: int):
    post = takedown.post_to_hide(actor, space, post_id)
    form = TakedownForm()
    if form.validate_on_submit():
        try:
            outcomes.hide_post(actor, post, reason=form.reason.data or "", source=DIRECT)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("The message is hidden from the group. Its author can read why."), "info")
            return _at_post(space, post)
    return _form_page(space, form, what="hide_post", post=post)


@bp.post("/s/<slug>/p/<id:post_id>/unhide")
@space_page
def unhide_post(space, actor, post_id: int):
    post = takedown.post_to_hide(actor, space, post_id)
    if ConfirmForm().validate_on_submit():
        outcomes.unhide_post(actor, post)
        flash(_("The group can read the message again."), "info")
    return _at_post(space, post)


@bp.route("/s/<slug>/p/<id:post_id>/erase", methods=["GET", "POST"])
@space_page
def erase_post(space, actor, post_id: int):
    post = takedown.post_to_erase(actor, space, post_id)
    form = EraseForm()
    if form.validate_on_submit():
        try:
            takedown.erase_post(actor, post, reason=form.reason.data or "",
                                confirmed=bool(form.confirm.data))
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("The message has been removed for good."), "info")
            return _at_post(space, post)
    return _form_page(space, form, what="erase_post", post=post)


@bp.route("/s/<slug>/t/<id:thread_id>/hide", methods=["GET", "POST"])
@space_page
def hide_thread(space, actor, thread_id: int):
    thread = takedown.thread_to_hide(actor, space, thread_id)
    form = TakedownForm()
    if form.validate_on_submit():
        try:
            takedown.hide_thread(actor, thread, reason=form.reason.data or "")
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("The conversation is hidden from the members."), "info")
            return _at_thread(space, thread)
    return _form_page(space, form, what="hide_thread", thread=thread)


@bp.post("/s/<slug>/t/<id:thread_id>/unhide")
@space_page
def unhide_thread(space, actor, thread_id: int):
    thread = takedown.thread_to_hide(actor, space, thread_id)
    if ConfirmForm().validate_on_submit():
        takedown.unhide_thread(actor, thread)
        flash(_("The members can see the conversation again."), "info")
    return _at_thread(space, thread)
