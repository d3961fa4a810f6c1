"""Pages for leaving a group: a facilitator sets a member's last meeting (or withdraws
it), and the leaving member chooses how their posts show afterwards. Thin: parse, call
one service, redirect or render."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.errors import ServiceError
from app.forms import ConfirmForm, show_error
from app.meetings.queries import meeting_time
from app.spaces import departure_queries as queries
from app.spaces import departures
from app.spaces.access import space_page
from app.spaces.departure_forms import LastMeetingForm, NameAfterLeavingForm

bp = Blueprint("departures", __name__)


def _meeting_label(meeting) -> str:
    return " · ".join(filter(None, (meeting_time(meeting), meeting.topic)))


def _meeting_id(raw) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


@bp.route("/s/<slug>/members/<id:membership_id>/departure", methods=["GET", "POST"])
@space_page
def plan(space, actor, membership_id: int):
    page = queries.departure_plan(actor, space, membership_id)  # 404 / 403 first
    form = LastMeetingForm()
    form.meeting.choices = [(str(m.id), _meeting_label(m)) for m in page.meetings]
    if form.validate_on_submit():
        try:
            departures.plan_departure(actor, page.membership,
                                      meeting_id=_meeting_id(form.meeting.data))
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("The last meeting is set. The farewell conversation opens when it "
                    "ends."), "info")
            return redirect(url_for("departures.plan", slug=space.slug,
                                    membership_id=membership_id))
    elif not form.is_submitted() and page.departure is not None:
        form.meeting.data = str(page.departure.meeting_id)
    return render_template("spaces/departure.html", space=space, page=page, form=form,
                           withdraw=ConfirmForm()), 400 if form.errors else 200


@bp.post("/s/<slug>/members/<id:membership_id>/departure/withdraw")
@space_page
def withdraw(space, actor, membership_id: int):
    page = queries.departure_plan(actor, space, membership_id)
    if ConfirmForm().validate_on_submit():
        departures.withdraw_departure(actor, page.membership)
        flash(_("The last meeting is withdrawn: %(name)s stays in the group.",
                name=page.membership.display_name), "info")
    return redirect(url_for("departures.plan", slug=space.slug, membership_id=membership_id))


@bp.route("/s/<slug>/departure", methods=["GET", "POST"])
@space_page
def mine(space, actor):
    membership, meeting = queries.my_departure(actor, space)  # 404 when none is planned
    form = NameAfterLeavingForm()
    if form.validate_on_submit():
        try:
            departures.choose_name_after_leaving(actor, space, choice=form.choice.data or "")
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("Saved."), "info")
            return redirect(url_for("departures.mine", slug=space.slug))
    elif not form.is_submitted():
        form.choice.data = (departures.FORMER if membership.anonymous_after_leaving
                            else departures.KEEP_NAME)
    return render_template("spaces/my_departure.html", space=space, membership=membership,
                           meeting=meeting, form=form), 400 if form.errors else 200
