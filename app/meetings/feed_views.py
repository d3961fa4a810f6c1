"""The private calendar feed: the member's page to make, renew or revoke the link and choose
neutral titles (/account/calendar), and the feed itself (/calendar/<token>.ics, no login:
calendar apps cannot log in; the random token is the key)."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.errors import NotFound, ServiceError
from app.forms import ConfirmForm, show_error
from app.meetings import feeds
from app.meetings.attendance_forms import FeedTitlesForm
from app.meetings.ical import feed_ical
from app.urls import external_url
from app.web import current_actor

bp = Blueprint("calendar", __name__)
ONE_TIME_FEED = "calendar_link_once"


def _page(form=None, status: int = 200):
    feed = feeds.feed_of(current_actor())
    if form is None:
        form = FeedTitlesForm(neutral_titles=feed.neutral_titles if feed else True,
                              formdata=None)
    raw = session.pop(ONE_TIME_FEED, None)
    link = external_url("calendar.feed", token=raw) if raw else None
    webcal = "webcal://" + link.split("://", 1)[1] if link else None
    return render_template("meetings/calendar.html", feed=feed, form=form, confirm=ConfirmForm(),
                           link=link, webcal=webcal), status


@bp.get("/account/calendar")
@login_required
def account():
    return _page()


@bp.post("/account/calendar/link")
@login_required
def make_link():
    if ConfirmForm().validate_on_submit():
        # Only the hash is stored: the link is shown once, right after the redirect.
        session[ONE_TIME_FEED] = feeds.make_feed_link(current_actor())
        flash(_("Your new calendar link is ready. An older link no longer works."), "info")
    return redirect(url_for("calendar.account"))


@bp.post("/account/calendar/titles")
@login_required
def titles():
    form = FeedTitlesForm()
    if form.validate_on_submit():
        try:
            feeds.set_neutral_titles(current_actor(), neutral=form.neutral_titles.data)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("Saved."), "info")
            return redirect(url_for("calendar.account"))
    return _page(form, 400)


@bp.post("/account/calendar/revoke")
@login_required
def revoke():
    if ConfirmForm().validate_on_submit():
        feeds.revoke_feed(current_actor())
        flash(_("Your calendar link no longer works. Your calendar app will stop showing "
                "the meetings."), "info")
    return redirect(url_for("calendar.account"))


@bp.get("/calendar/<token>.ics")
def feed(token: str):
    found = feeds.open_feed(token)
    if found is None:
        raise NotFound()
    response = Response(feed_ical(found), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="kring.ics"'
    # The feed is the member's own: no shared cache keeps it (app/web.py leaves this alone).
    response.headers["Cache-Control"] = "private, no-store"
    return response
