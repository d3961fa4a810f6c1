"""Absence and attendance pages: "ik meld me af" (and taking it back), periods away, the
member's own record, the facilitators' list per meeting with the attendance record after
the start, and a member's record with their commitment for the facilitators."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.errors import ServiceError
from app.forms import ConfirmForm, show_error
from app.meetings import attendance, attendance_queries as queries
from app.meetings.attendance_forms import (
    OUTCOME_LABELS, STATUS_LABELS, AbsenceForm, AwayForm, CommitmentForm, record_form,
)
from app.meetings.queries import get_meeting
from app.spaces.access import space_page

bp = Blueprint("attendance", __name__)


def _meeting_page(space, meeting) -> str:
    """Back to the meeting's own page (app/meetings/views.py), where the panel shows it."""
    return url_for("meetings.detail", slug=space.slug, meeting_id=meeting.id)


@bp.route("/s/<slug>/meetings/<id:meeting_id>/absence", methods=["GET", "POST"])
@space_page
def absence(space, actor, meeting_id: int):
    meeting = get_meeting(actor, space, meeting_id)
    form = AbsenceForm()
    if form.validate_on_submit():
        try:
            attendance.send_absence(actor, meeting, reason=form.reason.data)
        except ServiceError as exc:
            show_error(form, exc)  # at the field, with the typed reason kept
        else:
            flash(_("You have cancelled for this meeting. The facilitators can see it."), "info")
            return redirect(_meeting_page(space, meeting))
    return render_template("meetings/absence.html", space=space, meeting=meeting, form=form,
                           panel=queries.panel(actor, meeting)), 400 if form.errors else 200


@bp.post("/s/<slug>/meetings/<id:meeting_id>/absence/withdraw")
@space_page
def withdraw(space, actor, meeting_id: int):
    meeting = get_meeting(actor, space, meeting_id)
    if ConfirmForm().validate_on_submit():
        attendance.take_back_absence(actor, meeting)
        flash(_("Your cancellation has been withdrawn: you are expected."), "info")
    return redirect(_meeting_page(space, meeting))


@bp.route("/s/<slug>/meetings/<id:meeting_id>/attendance", methods=["GET", "POST"])
@space_page
def meeting_attendance(space, actor, meeting_id: int):
    meeting = get_meeting(actor, space, meeting_id)
    rows = queries.roster(actor, meeting)  # Forbidden (403) for all but the facilitators
    form = record_form([r.membership.id for r in rows],
                       {r.membership.id: r.default_outcome for r in rows})
    if request.method == "POST" and form.validate_on_submit():
        outcomes = {r.membership.id: form[f"outcome-{r.membership.id}"].data for r in rows}
        try:
            attendance.record_attendance(actor, meeting, outcomes=outcomes)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("Attendance saved."), "info")
            return redirect(url_for("attendance.meeting_attendance", slug=space.slug,
                                    meeting_id=meeting.id))
    return render_template("meetings/attendance.html", space=space, meeting=meeting, rows=rows,
                           form=form, panel=queries.panel(actor, meeting, rows),
                           status_labels=STATUS_LABELS, outcome_labels=OUTCOME_LABELS), \
        400 if form.errors else 200


@bp.get("/s/<slug>/meetings/mine")
@space_page
def mine(space, actor):
    return render_template("meetings/mine.html", space=space,
                           record=queries.my_record(actor, space), own=True,
                           status_labels=STATUS_LABELS, outcome_labels=OUTCOME_LABELS)


@bp.route("/s/<slug>/members/<id:membership_id>/attendance", methods=["GET", "POST"])
@space_page
def member(space, actor, membership_id: int):
    record = queries.member_record(actor, space, membership_id)
    form = CommitmentForm(sessions=record.commitment)
    if form.validate_on_submit():
        try:
            attendance.set_commitment(actor, record.membership, sessions=form.sessions.data)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("Saved."), "info")
            return redirect(url_for("attendance.member", slug=space.slug,
                                    membership_id=membership_id))
    return render_template("meetings/mine.html", space=space, record=record, own=False,
                           form=form, status_labels=STATUS_LABELS,
                           outcome_labels=OUTCOME_LABELS), 400 if form.errors else 200


@bp.route("/s/<slug>/meetings/away", methods=["GET", "POST"])
@space_page
def away(space, actor):
    periods = queries.my_away_periods(actor, space)
    form = AwayForm()
    if form.validate_on_submit():
        try:
            attendance.mark_away(actor, space, first_day=form.first_day.data,
                                 last_day=form.last_day.data, reason=form.reason.data)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("Saved. The meetings in this period count as cancelled."), "info")
            return redirect(url_for("attendance.away", slug=space.slug))
    return render_template("meetings/away.html", space=space, periods=periods, form=form), \
        400 if form.errors else 200


@bp.post("/s/<slug>/meetings/away/<id:away_id>/remove")
@space_page
def remove_away(space, actor, away_id: int):
    period = queries.own_away_period(actor, space, away_id)
    if ConfirmForm().validate_on_submit():
        attendance.remove_away(actor, period)
        flash(_("The period away has been removed."), "info")
    return redirect(url_for("attendance.away", slug=space.slug))
