"""Meeting pages: the list (coming and past), one meeting, and planning a one-off meeting or a
series. Changing meetings: app/meetings/edit_views.py."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app import policy
from app.errors import ServiceError, error_page
from app.forms import show_error
from app.meetings import attendance_queries, queries, recurrence, rhythm, service
from app.meetings.forms import ONCE, REPEAT_LABELS, PlanForm
from app.meetings.models import MeetingSeries
from app.extensions import db
from app.spaces.access import space_page
from app.spaces.models import CLOSED_GROUP

bp = Blueprint("meetings", __name__)
bp.add_app_template_filter(queries.meeting_time, "meeting_time")
bp.add_app_template_global(queries.short_day, "short_day")
bp.add_app_template_global(lambda frequency: REPEAT_LABELS.get(frequency, ""), "repeat_label")


def times_of(form) -> tuple:
    """The start and end a form gives on the group's clock, in UTC (one day; the end on it)."""
    day = form.start_date.data
    return (recurrence.local_moment(day, form.start_time.data, field="start_time"),
            recurrence.local_moment(day, form.end_time.data, field="end_time"))


def meeting_url(space, meeting) -> str:
    return url_for("meetings.detail", slug=space.slug, meeting_id=meeting.id)


@bp.get("/s/<slug>/meetings")
@space_page
def index(space, actor):
    if not policy.can_view_meetings(actor, space):
        return error_page(404)
    return render_template("meetings/index.html", space=space,
                           upcoming=queries.upcoming(space, actor.now),
                           past=queries.past(space, actor.now))


@bp.route("/s/<slug>/meetings/new", methods=["GET", "POST"])
@space_page
def new(space, actor):
    if not policy.can_manage_meetings(actor, space):
        return error_page(403)
    form = PlanForm()
    if form.validate_on_submit():
        try:
            starts_at, ends_at = times_of(form)
            details = dict(topic=form.topic.data or "", place=form.place.data or "",
                           room_url=form.room_url.data or "")
            if form.repeat.data == ONCE:
                meeting = service.plan_meeting(actor, space, starts_at=starts_at,
                                               ends_at=ends_at, **details)
            else:
                series = service.plan_series(
                    actor, space, frequency=form.repeat.data, starts_at=starts_at,
                    ends_at=ends_at, session_count=form.session_count.data,
                    last_day=form.last_day.data, **details)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            if form.repeat.data == ONCE:
                flash(_("The meeting is planned."), "info")
                return redirect(meeting_url(space, meeting))
            count = service.series_size(series)
            flash(ngettext("%(num)d meeting planned.", "%(num)d meetings planned.", count),
                  "info")
            return redirect(url_for("meetings.index", slug=space.slug))
    return render_template("meetings/new.html", space=space, form=form,
                           free=service.free_sessions(space)
                           if space.group_kind == CLOSED_GROUP and space.planned_sessions else None
                           ), 400 if form.errors else 200


@bp.get("/s/<slug>/meetings/<id:meeting_id>")
@space_page
def detail(space, actor, meeting_id: int):
    meeting = queries.get_meeting(actor, space, meeting_id)
    series = db.session.get(MeetingSeries, meeting.series_id) if meeting.series_id else None
    leads = policy.can_read_script(actor, meeting)
    return render_template(
        "meetings/detail.html", space=space, meeting=meeting, series=series,
        content=rhythm.content_threads(meeting) if leads else None,
        room_link=policy.can_see_room_link(actor, meeting), leads=leads,
        room_link_opens=queries.room_link_opens(space, meeting),
        panel=attendance_queries.panel(actor, meeting))


from app.meetings import edit_views  # noqa: E402,F401  (registers the change pages on bp)
