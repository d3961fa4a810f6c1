"""Notification pages: the list, opening one, "all read", preferences, one-click unsubscribe."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.database import best_effort
from app.errors import NotFound, ServiceError, error_page
from app.extensions import csrf
from app.forms import ConfirmForm, page_arg, show_error
from app.notify import queries, service
from app.notify.kinds import kind_of, offered_categories
from app.notify.forms import settings_form
from app.spaces.queries import find_space
from app.web import current_actor

bp = Blueprint("notify", __name__)


def target_url(row) -> str:
    return kind_of(row.notification.kind).target(row)


@bp.get("/notifications")
@login_required
def index():
    page = page_arg(request)
    rows, reach = queries.notification_page(current_actor(), page)
    return render_template("notify/index.html", rows=rows, reach=reach,
                           target_url=target_url, form=ConfirmForm())


@bp.get("/notifications/<id:notification_id>", endpoint="open")
@login_required
def open_notification(notification_id: int):
    actor = current_actor()
    row = queries.get_notification(actor, notification_id)
    # Bookkeeping: with the database refusing writes the notification still opens.
    best_effort(service.mark_opened, actor, row.notification)
    return redirect(target_url(row))


@bp.post("/notifications/read")
@login_required
def read_all():
    if ConfirmForm().validate_on_submit():
        service.mark_all_read(current_actor())
        flash(_("All notifications are marked as read."), "info")
    return redirect(url_for("notify.index"))


@bp.route("/notifications/settings", methods=["GET", "POST"])
@login_required
def settings():
    actor = current_actor()
    entries = queries.my_settings(actor)
    forms = {space.slug: settings_form(prefix=space.slug, obj=stored, formdata=None)
             for space, stored in entries}
    if request.method == "POST":
        slug = request.form.get("space", "")
        if slug not in forms:
            raise NotFound()
        form = forms[slug] = settings_form(prefix=slug)
        if form.validate_on_submit():
            try:
                service.save_settings(
                    actor, find_space(actor, slug),
                    modes={c: form[c].data for c in offered_categories()},
                    digest_hour=form.digest_hour.data, neutral_label=form.neutral_label.data)
            except ServiceError as exc:
                show_error(form, exc)
            else:
                flash(_("Your notification settings are saved."), "info")
                return redirect(url_for("notify.settings"))
    refused = any(form.errors for form in forms.values())
    return render_template("notify/settings.html", entries=entries, forms=forms,
                           categories=offered_categories()), 400 if refused else 200


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the credential; mail clients POST here without a form
def unsubscribe(token: str):
    if service.read_unsubscribe_token(token) is None:
        return error_page(410, _("This unsubscribe link is not valid."))
    if request.method == "POST":
        service.unsubscribe(token)
        return render_template("notify/unsubscribed.html")
    # A GET never changes anything: mail scanners open links on their own.
    return render_template("notify/unsubscribe.html", token=token)
