"""Changing meetings: edit or move one, cancel one, change a series from one meeting on, a
closed group's programme (draaiboek), and a meeting's preparation and reflection threads."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app import policy
from app.errors import ServiceError, error_page
from app.forms import ConfirmForm, show_error
from app.meetings import queries, recurrence, rhythm, series, service
from app.meetings.forms import ContentForm, EditForm, FollowingForm, ProgrammeForm
from app.meetings.views import bp, meeting_url, times_of
from app.spaces.access import space_page


def _changeable(actor, space, meeting_id: int):
    """The meeting, or the refusal page: 404 when not the reader's to see, 403 when they may
    not change it (or it was cancelled or has ended)."""
    meeting = queries.get_meeting(actor, space, meeting_id)
    return meeting, (None if policy.can_change_meeting(actor, meeting) else error_page(403))


def _when(meeting) -> dict:
    start, end = recurrence.to_local(meeting.starts_at), recurrence.to_local(meeting.ends_at)
    return dict(start_date=start.date(), start_time=start.time(), end_time=end.time())


@bp.route("/s/<slug>/meetings/<id:meeting_id>/edit", methods=["GET", "POST"])
@space_page
def edit(space, actor, meeting_id: int):
    meeting, refused = _changeable(actor, space, meeting_id)
    if refused:
        return refused
    form = EditForm(topic=meeting.topic, place=meeting.place, room_url=meeting.room_url,
                    script=meeting.script, **_when(meeting))
    if form.validate_on_submit():
        try:
            starts_at, ends_at = times_of(form)
            service.edit_meeting(actor, meeting, starts_at=starts_at, ends_at=ends_at,
                                 topic=form.topic.data or "", place=form.place.data or "",
                                 room_url=form.room_url.data or "",
                                 script=form.script.data or "")
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("The meeting was changed."), "info")
            return redirect(meeting_url(space, meeting))
    return render_template("meetings/edit.html", space=space, meeting=meeting, form=form,
                           ), 400 if form.errors else 200


@bp.post("/s/<slug>/meetings/<id:meeting_id>/cancel")
@space_page
def cancel(space, actor, meeting_id: int):
    meeting = queries.get_meeting(actor, space, meeting_id)
    if not ConfirmForm().validate_on_submit():
        return error_page(400)
    if not (policy.can_change_meeting(actor, meeting) or (
            meeting.cancelled_at is not None and policy.can_manage_meetings(actor, space))):
        return error_page(403)
    service.cancel_meeting(actor, meeting)
    flash(_("The meeting is cancelled. The group has been told."), "info")
    return redirect(meeting_url(space, meeting))


@bp.route("/s/<slug>/meetings/<id:meeting_id>/following", methods=["GET", "POST"])
@space_page
def following(space, actor, meeting_id: int):
    meeting, refused = _changeable(actor, space, meeting_id)
    if refused or meeting.series_id is None:
        return refused or error_page(404)
    form = FollowingForm(place=meeting.place, room_url=meeting.room_url, **_when(meeting))
    if form.validate_on_submit():
        try:
            starts_at, ends_at = times_of(form)
            moved = series.change_following(actor, meeting, starts_at=starts_at,
                                            ends_at=ends_at, place=form.place.data or "",
                                            room_url=form.room_url.data or "")
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(ngettext("%(num)d meeting changed.", "%(num)d meetings changed.",
                           len(moved)), "info")
            return redirect(url_for("meetings.index", slug=space.slug))
    return render_template("meetings/following.html", space=space, meeting=meeting,
                           form=form), 400 if form.errors else 200


@bp.route("/s/<slug>/meetings/programme", methods=["GET", "POST"])
@space_page
def programme(space, actor):
    if not policy.can_manage_meetings(actor, space):
        return error_page(403)
    sessions = queries.programme(space)
    editable = {m.id: m for m in sessions if policy.can_change_meeting(actor, m)}
    form = ProgrammeForm(data={"sessions": [
        {"meeting_id": m.id, "topic": m.topic, "script": m.script} for m in editable.values()]})
    if form.validate_on_submit():
        entries = {e.form.meeting_id.data: e.form for e in form.sessions}
        try:
            if not all(key.isdigit() for key in entries):
                return error_page(404)
            changed = series.save_programme(actor, space, sessions={
                int(key): (entry.topic.data or "", entry.script.data or "")
                for key, entry in entries.items()})
        except ServiceError as exc:
            meeting_id, _sep, name = (exc.field or "").partition(":")
            target = entries.get(meeting_id)
            if target is not None and hasattr(target, name):
                getattr(target, name).errors = [exc.message]
                # A list of sub-forms keeps the errors it found when validating: renew them.
                form.sessions.errors = [entry.errors for entry in form.sessions.entries]
            else:
                form.form_errors.append(exc.message)
        else:
            flash(ngettext("%(num)d session changed.", "%(num)d sessions changed.", changed),
                  "info")
            return redirect(url_for("meetings.programme", slug=space.slug))
    return render_template("meetings/programme.html", space=space, form=form,
                           sessions=sessions, editable=editable,
                           rows={str(m.id): m for m in sessions}), 400 if form.errors else 200


@bp.route("/s/<slug>/meetings/<id:meeting_id>/content", methods=["GET", "POST"])
@space_page
def content(space, actor, meeting_id: int):
    meeting, refused = _changeable(actor, space, meeting_id)
    if refused:
        return refused
    form = ContentForm()
    if request.method == "GET" and meeting.series_id is not None:
        form.scope.data = "following"
    if meeting.series_id is None:
        form.scope.choices = form.scope.choices[:1]
    if form.validate_on_submit():
        meetings = [meeting]
        if form.scope.data == "following":
            meetings = [m for m in queries.series_meetings(meeting, from_start=meeting.starts_at)
                        if m.cancelled_at is None]
        try:
            count = rhythm.plan_content(
                actor, meetings, preparation_title=form.preparation_title.data or "",
                preparation_body=form.preparation_body.data or "",
                hours_before=form.hours_before.data,
                reflection_title=form.reflection_title.data or "",
                reflection_body=form.reflection_body.data or "")
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(ngettext("%(num)d conversation planned.", "%(num)d conversations planned.",
                           count), "info")
            return redirect(meeting_url(space, meeting))
    return render_template("meetings/content.html", space=space, meeting=meeting, form=form,
                           threads=rhythm.content_threads(meeting)), 400 if form.errors else 200
