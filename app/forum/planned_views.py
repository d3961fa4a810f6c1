"""The leads' planned page (/s/<slug>/planned) and its controls: change, publish now or
cancel a planned thread or reply; plus the small helpers the forum's write views use when a
publication moment was given."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app import policy
from app.dates import format_moment
from app.errors import ServiceError, error_page
from app.forms import ConfirmForm, show_error
from app.forum import planned, schedule
from app.forum.labels import THREAD_KIND_LABELS, shown_title
from app.forum.models import DISCUSSION, Post, Thread
from app.forum.planned_forms import PlannedReplyForm, PlannedThreadForm
from app.forum.queries import page_of
from app.spaces.access import space_page

bp = Blueprint("planned", __name__)


def publication_time_of(form):
    """The moment on a form with ScheduleFields, in UTC (None: now)."""
    return schedule.publication_time(form.publish_date.data, form.publish_time.data)


def say_when_planned(item) -> None:
    if item.publish_at is not None:
        flash(_("Planned for %(moment)s. Until then only the facilitators see it.",
                moment=format_moment(item.publish_at)), "info")


def planned_reply_url(space, thread, post) -> str:
    """Planned replies are shown (to the leads) below the thread's last page."""
    return url_for("forum.thread", slug=space.slug, thread_id=thread.id,
                   page=page_of(thread.post_count), _anchor=f"planned-{post.id}")


def _published_url(space, item) -> str:
    if not isinstance(item, (Thread, Post)):  # a library item
        return url_for("library.item", slug=space.slug, item_id=item.id)
    if isinstance(item, Thread):
        return url_for("forum.thread", slug=space.slug, thread_id=item.id)
    return url_for("forum.thread", slug=space.slug, thread_id=item.thread_id,
                   page=page_of(item.number), _anchor=f"p{item.number}")


def _already_out(space, item):
    flash(_("This has been published already."), "info")
    return redirect(_published_url(space, item))


def presented(space, entry) -> dict:
    """How the planned page shows one entry: its badge, heading, link and URL code (one
    mapping here rather than a ladder of kinds in the template)."""
    if entry.kind == "item":
        return dict(badge=_("Library"), badge_class="badge", heading=entry.title, code="l",
                    href=url_for("library.item", slug=space.slug, item_id=entry.item.id))
    if entry.kind == "reply":
        return dict(badge=_("Reply"), badge_class="badge", code="p",
                    heading=_("In: %(title)s", title=shown_title(entry.title)),
                    href=url_for("forum.thread", slug=space.slug, thread_id=entry.thread_id,
                                 _anchor=f"planned-{entry.item.id}"))
    seeded = entry.thread_kind != DISCUSSION
    return dict(badge=THREAD_KIND_LABELS[entry.thread_kind] if seeded else None,
                badge_class=f"kind kind-{entry.thread_kind}", heading=entry.title, code="t",
                href=url_for("forum.thread", slug=space.slug, thread_id=entry.thread_id))


@bp.get("/s/<slug>/planned")
@space_page
def index(space, actor):
    return render_template("forum/planned.html", space=space, presented=presented,
                           items=planned.planned_items(actor, space))


@bp.route("/s/<slug>/planned/<any(t, p):kind>/<id:item_id>", methods=["GET", "POST"])
@space_page
def edit(space, actor, kind: str, item_id: int):
    item = planned.get_planned(actor, space, kind, item_id)
    if item.publish_at is None:
        return _already_out(space, item)
    if not policy.can_change_planned(actor, item):
        return error_page(403)
    local = item.publish_at.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))
    when = dict(publish_date=local.date(), publish_time=local.time())
    if kind == "t":
        form = PlannedThreadForm(title=item.title, body=planned.opening_post(item).body, **when)
    else:
        form = PlannedReplyForm(body=item.body, **when)
    if form.validate_on_submit():
        try:
            moment = publication_time_of(form)
            if kind == "t":
                schedule.edit_planned_thread(actor, item, title=form.title.data,
                                             body=form.body.data, publish_at=moment)
            else:
                schedule.edit_planned_reply(actor, item, body=form.body.data, publish_at=moment)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            say_when_planned(item)
            return redirect(url_for("planned.index", slug=space.slug))
    return render_template("forum/planned_edit.html", space=space, item=item, kind=kind,
                           form=form), 400 if form.errors else 200


@bp.post("/s/<slug>/planned/<any(t, p, l):kind>/<id:item_id>/publish")
@space_page
def publish(space, actor, kind: str, item_id: int):
    item = planned.get_planned(actor, space, kind, item_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("planned.index", slug=space.slug))
    if item.publish_at is None:
        return _already_out(space, item)
    schedule.publish_now(actor, item)
    flash(_("Published: the group can read it now."), "info")
    return redirect(_published_url(space, item))


@bp.post("/s/<slug>/planned/<any(t, p):kind>/<id:item_id>/cancel")
@space_page
def cancel(space, actor, kind: str, item_id: int):
    item = planned.get_planned(actor, space, kind, item_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("planned.index", slug=space.slug))
    if item.publish_at is None:
        return _already_out(space, item)
    schedule.cancel_planned(actor, item)
    flash(_("The plan was cancelled: nothing was published."), "info")
    return redirect(url_for("planned.index", slug=space.slug))
