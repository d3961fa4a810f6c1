"""Moderation pages: flagging a post and following the flag, the queue, one case (claim,
take over, release, resolve), the log with its CSV export, asking for another look at a
hidden post, and a member's private notices. Thin: parse, call one service, render."""
from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_timedelta
from flask_babel import gettext as _

from app.errors import ServiceError
from app.forms import ConfirmForm, page_arg, show_error
from app.limits import flag_limit
from app.forum import queries as forum_queries
from app.moderation import audit, cases, flags, outcomes, queries, resolve
from app.moderation.forms import FlagForm, LogFilterForm, ResolveForm, TakeOverForm
from app.moderation.labels import (
    ACTION_LABELS, FLAG_STATUS_LABELS, OUTCOME_LABELS, REASON_HINTS, REASON_LABELS,
)
from app.spaces.access import space_page

bp = Blueprint("moderation", __name__)


@bp.app_template_filter("waited")
def _waited(delta) -> str:
    return format_timedelta(delta, threshold=1.0)


@bp.app_context_processor
def _labels():
    return {"flag_reason_labels": REASON_LABELS, "outcome_labels": OUTCOME_LABELS,
            "moderation_action_labels": ACTION_LABELS}


# --- the member's side: flag, follow, withdraw --------------------------------------------

@bp.route("/s/<slug>/p/<id:post_id>/flag", methods=["GET", "POST"])
@flag_limit
@space_page
def flag(space, actor, post_id: int):
    post = forum_queries.get_post(actor, space, post_id)
    page = queries.flag_page(actor, post)
    form = FlagForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            flags.flag_post(actor, post, reason=form.reason.data, note=form.note.data or "")
        except ServiceError as exc:
            show_error(form, exc)
        else:
            return redirect(url_for("moderation.flag", slug=space.slug, post_id=post.id,
                                    sent=1))
    return render_template("moderation/flag.html", space=space, page=page, form=form,
                           hints=REASON_HINTS, statuses=FLAG_STATUS_LABELS,
                           confirm=ConfirmForm(), sent=request.args.get("sent") == "1"
                           ), 400 if form.errors else 200


@bp.post("/s/<slug>/p/<id:post_id>/flag/withdraw")
@space_page
def withdraw(space, actor, post_id: int):
    post = forum_queries.get_post(actor, space, post_id)
    mine = queries.flag_page(actor, post).mine
    # Nothing open to withdraw (a double submit, or handled meanwhile): back to the status.
    if mine is not None and mine.is_open and ConfirmForm().validate_on_submit():
        flags.withdraw_flag(actor, mine.flag)
        flash(_("Your report has been withdrawn."), "info")
    return redirect(url_for("moderation.flag", slug=space.slug, post_id=post.id))


@bp.post("/s/<slug>/p/<id:post_id>/review")
@space_page
def review(space, actor, post_id: int):
    post = forum_queries.get_post(actor, space, post_id)
    if ConfirmForm().validate_on_submit():
        outcomes.request_review(actor, post)
        flash(_("Thank you. A moderator will look at your message again."), "info")
    return redirect(url_for("forum.thread", slug=space.slug, thread_id=post.thread_id,
                            page=forum_queries.page_of(post.number), _anchor=f"p{post.number}"))


@bp.get("/s/<slug>/notices")
@space_page
def notices(space, actor):
    return render_template("moderation/notices.html", space=space,
                           notices=queries.my_notices(actor, space))


# --- the queue and one case ---------------------------------------------------------------

@bp.get("/s/<slug>/moderation")
@space_page
def queue(space, actor):
    return render_template("moderation/queue.html", space=space,
                           queue=queries.queue_page(actor, space), confirm=ConfirmForm())


def _case_page(space, actor, case, *, form=None, error: str | None = None, status: int = 200):
    return render_template(
        "moderation/case.html", space=space, case=case,
        item=queries.case_item(actor, space, case), history=queries.case_history(actor, case),
        form=form or ResolveForm(), confirm=ConfirmForm(), take_over=TakeOverForm(),
        error=error, now=actor.now), status


@bp.get("/s/<slug>/moderation/<id:case_id>")
@space_page
def case(space, actor, case_id: int):
    return _case_page(space, actor, queries.get_case(actor, space, case_id))


def _claim_action(space, actor, case_id: int, action, form_cls=ConfirmForm):
    case = queries.get_case(actor, space, case_id)
    form = form_cls()
    if form.validate_on_submit():
        try:
            action(case, form)
        except ServiceError as exc:
            # Lost a race for the claim: say who has it, on the case page (409 Conflict).
            return _case_page(space, actor, case, error=exc.message, status=409)
    return redirect(url_for("moderation.case", slug=space.slug, case_id=case.id))


@bp.post("/s/<slug>/moderation/<id:case_id>/claim")
@space_page
def claim(space, actor, case_id: int):
    return _claim_action(space, actor, case_id, lambda c, f: cases.claim_case(actor, c))


@bp.post("/s/<slug>/moderation/<id:case_id>/take-over")
@space_page
def take_over(space, actor, case_id: int):
    def act(case, form):
        holder = form.holder.data or ""
        cases.take_over_case(actor, case, holder_id=int(holder) if holder.isdigit() else None)
    return _claim_action(space, actor, case_id, act, TakeOverForm)


@bp.post("/s/<slug>/moderation/<id:case_id>/release")
@space_page
def release(space, actor, case_id: int):
    return _claim_action(space, actor, case_id, lambda c, f: cases.release_case(actor, c))


def _end_of_day(day) -> datetime:
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time(23, 59), tzinfo=zone)


@bp.post("/s/<slug>/moderation/<id:case_id>/resolve")
@space_page
def resolve_case(space, actor, case_id: int):
    case = queries.get_case(actor, space, case_id)
    form = ResolveForm()
    if case.resolved_at is not None:
        # Sent twice (a double click), or someone else was quicker: show how it stands.
        flash(_("This report has already been handled."), "info")
        return redirect(url_for("moderation.case", slug=space.slug, case_id=case.id))
    if form.validate_on_submit():
        try:
            resolve.resolve_case(
                actor, case, outcomes=form.outcomes.data, note=form.note.data or "",
                reason=form.reason.data or "", body=form.body.data or "",
                warning=form.warning.data or "", indefinitely=form.indefinitely.data,
                until=_end_of_day(form.until.data) if form.until.data else None)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("Handled. The people who reported it have been told."), "info")
            return redirect(url_for("moderation.queue", slug=space.slug))
    return _case_page(space, actor, case, form=form, status=400)


# --- the log ------------------------------------------------------------------------------

def _log_filters(actors) -> tuple[LogFilterForm, audit.LogFilter]:
    form = LogFilterForm(request.args)
    form.who.choices = [("", _("Everyone")), *((str(i), name) for i, name in actors)]
    form.validate()
    who = form.who.data or ""
    return form, audit.LogFilter(
        action=form.action.data or None, who=int(who) if who.isdigit() else None,
        since=None if form.since.errors else form.since.data,
        until=None if form.until.errors else form.until.data)


@bp.get("/s/<slug>/moderation/log")
@space_page
def log(space, actor):
    _form, filters = _log_filters([])
    page = audit.log_page(actor, space, filters, page_arg(request))
    form, _filters = _log_filters(page.actors)
    return render_template("moderation/log.html", space=space, page=page, form=form,
                           reason_text=audit.reason_text, detail_text=audit.detail_text,
                           args={k: v for k, v in request.args.items() if k != "page"})


@bp.get("/s/<slug>/moderation/log.csv")
@space_page
def log_csv(space, actor):
    _form, filters = _log_filters([])
    body = audit.log_csv(actor, space, filters)
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="moderatielog-{space.slug}.csv"'})
