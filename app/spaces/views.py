"""Space pages: my spaces, joining by invitation, members and roles, invitations, the working
agreement, settings and leaving. Thin: parse, call one service, redirect or render."""
from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import policy
from app.accounts.service import find_user_by_email
from app.accounts.signin import sign_in
from app.errors import ServiceError, error_page
from app.forms import ConfirmForm, show_error
from app.limits import invitation_limit
from app.notify.outbox import MAIL_STATES, invitation_mail_states
from app.spaces import agreements, invitations, members as member_service, queries, service
from app.spaces.access import space_page
from app.spaces.departure_queries import group_size_of
from app.spaces.forms import (
    AcceptAgreementForm, AgreementEditForm, DisplayNameForm, InviteForm, JoinForm,
    MEMBER_FORMS, SettingsForm, member_row_form,
)
from app.urls import external_url
from app.web import current_actor, select_locale

bp = Blueprint("spaces", __name__)
ONE_TIME_LINK = "invite_link_once"


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return render_template("spaces/landing.html")
    actor = current_actor()
    return render_template("spaces/index.html", spaces=queries.my_spaces(actor))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def invitation(token: str):
    opened = queries.open_invitation(token)
    if opened is None:
        return error_page(410, _("This invitation has expired, was revoked or was already "
                                 "used. Ask the facilitator for a new one."))
    invite, space, agreement = opened
    form = JoinForm()
    user = current_user._get_current_object() if current_user.is_authenticated else None
    if form.validate_on_submit():
        try:
            user, _membership = invitations.accept_invitation(
                user, token=token, display_name=form.display_name.data,
                accepts_agreement=form.accept.data, password=form.password.data,
                locale=select_locale())
        except ServiceError as exc:
            show_error(form, exc)
        else:
            response = redirect(url_for("forum.home", slug=space.slug))
            if not (current_user.is_authenticated and current_user.id == user.id):
                sign_in(user, response)  # a new account, or one that was not logged in here
            flash(_("Welcome to the group!"), "info")
            return response
    has_account = user is None and find_user_by_email(invite.email) is not None
    return render_template("spaces/join.html", form=form, invite=invite, space=space,
                           agreement=agreement, has_account=has_account,
                           token=token), 400 if form.errors else 200


@bp.route("/s/<slug>/agreement", methods=["GET", "POST"])
@space_page(needs_agreement=False)
def agreement(space, actor):
    form = AcceptAgreementForm()
    if form.validate_on_submit():
        agreements.accept_agreement(actor, space)
        return redirect(url_for("forum.home", slug=space.slug))
    current = queries.current_agreement(space)
    edit_form = AgreementEditForm(body=current.body, formdata=None)
    return render_template("spaces/agreement.html", space=space, form=form, edit_form=edit_form,
                           agreement=current,
                           must_accept=policy.must_accept_agreement(actor, space)), 400 if form.errors else 200


@bp.post("/s/<slug>/agreement/edit")
@space_page
def edit_agreement(space, actor):
    edit_form = AgreementEditForm()
    if edit_form.validate_on_submit():
        try:
            agreements.update_agreement(actor, space, body=edit_form.body.data)
        except ServiceError as exc:
            show_error(edit_form, exc)
        else:
            flash(_("The new working agreements are published. Members will be asked to "
                    "accept them on their next visit."), "info")
            return redirect(url_for("spaces.agreement", slug=space.slug))
    return render_template("spaces/agreement.html", space=space, form=AcceptAgreementForm(),
                           edit_form=edit_form, agreement=queries.current_agreement(space),
                           must_accept=False), 400


@bp.get("/s/<slug>/members")
@space_page
def members(space, actor):
    return _members_page(space, actor)


def _members_page(space, actor, *, name_form=None, refused=None) -> str:
    """The members page; `refused` is (membership id, form name, form) of a row form that was
    refused, shown at that member's row with its errors and the summary at the top. The other
    rows are plain markup (one form object per row would triple the page's time); `blank`
    gives them the forms' labels and choices."""
    if name_form is None:
        name_form = DisplayNameForm(display_name=actor.membership(space.id).display_name,
                                    formdata=None)
    members = queries.members_of(actor, space)
    return render_template("spaces/members.html", space=space,
                           members=members, now=actor.now,
                           size=group_size_of(actor, space, members),
                           me=actor.membership(space.id), name_form=name_form,
                           refused=refused,
                           blank={name: cls(formdata=None) for name, cls in MEMBER_FORMS.items()})


def _member_action(space, actor, membership_id: int, name: str, action):
    """Validate the row form `name` of one member and call its service: back to the page
    when done, the page again with the errors at that member's row (400) when refused."""
    membership = queries.get_membership(actor, space, membership_id)
    form = member_row_form(name, membership)
    if form.validate_on_submit():
        try:
            action(actor, membership, form)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("Saved."), "info")
            return redirect(url_for("spaces.members", slug=space.slug))
    return _members_page(space, actor, refused=(membership.id, name, form)), 400


@bp.post("/s/<slug>/members/<id:membership_id>/role")
@space_page
def change_role(space, actor, membership_id: int):
    return _member_action(space, actor, membership_id, "role",
                          lambda a, m, f: member_service.change_role(a, m, role=f.role.data))


def _end_of_day(day) -> datetime:
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time(23, 59), tzinfo=zone)


@bp.post("/s/<slug>/members/<id:membership_id>/suspend")
@space_page
def suspend(space, actor, membership_id: int):
    return _member_action(space, actor, membership_id, "suspend", lambda a, m, f: member_service.suspend_member(
        a, m, until=_end_of_day(f.until.data) if f.until.data else None))


@bp.post("/s/<slug>/members/<id:membership_id>/unsuspend")
@space_page
def unsuspend(space, actor, membership_id: int):
    return _member_action(space, actor, membership_id, "unsuspend",
                          lambda a, m, f: member_service.lift_suspension(a, m))


@bp.post("/s/<slug>/members/<id:membership_id>/remove")
@space_page
def remove(space, actor, membership_id: int):
    return _member_action(space, actor, membership_id, "remove", lambda a, m, f: member_service.remove_member(
        a, m, confirmed=f.confirm.data))


@bp.post("/s/<slug>/members/me/name")
@space_page
def display_name(space, actor):
    form = DisplayNameForm()
    if form.validate_on_submit():
        try:
            member_service.change_display_name(actor, space, display_name=form.display_name.data)
        except ServiceError as exc:
            show_error(form, exc)  # at the field, with the typed name kept
        else:
            flash(_("Saved."), "info")
            return redirect(url_for("spaces.members", slug=space.slug))
    return _members_page(space, actor, name_form=form), 400


@bp.route("/s/<slug>/invite", methods=["GET", "POST"])
@invitation_limit
@space_page
def invite(space, actor):
    pending = queries.open_invitations(actor, space)  # Forbidden (403) for non-facilitators
    form = InviteForm()
    if form.validate_on_submit():
        try:
            _invitation, raw = invitations.invite(actor, space, email=form.email.data,
                                                  role=form.role.data)
        except ServiceError as exc:
            show_error(form, exc)
        else:
            # Only the hash is stored: the link is shown once, right after the redirect.
            session[ONE_TIME_LINK] = external_url("spaces.invitation", token=raw)
            flash(_("The invitation has been sent."), "info")
            return redirect(url_for("spaces.invite", slug=space.slug))
    return render_template("spaces/invite.html", space=space, form=form, confirm=ConfirmForm(),
                           link=session.pop(ONE_TIME_LINK, None), invitations=pending,
                           mail_states=invitation_mail_states(i.id for i in pending),
                           mail_labels=MAIL_STATES, seats=queries.seats_taken(space)), \
        400 if form.errors else 200


@bp.post("/s/<slug>/invite/<id:invitation_id>/revoke")
@space_page
def revoke(space, actor, invitation_id: int):
    invitation = queries.get_invitation(actor, space, invitation_id)
    if ConfirmForm().validate_on_submit():
        invitations.revoke_invitation(actor, invitation)
        flash(_("The invitation has been revoked; its link no longer works."), "info")
    return redirect(url_for("spaces.invite", slug=space.slug))


@bp.route("/s/<slug>/settings", methods=["GET", "POST"])
@space_page
def settings(space, actor):
    form = SettingsForm(obj=queries.editable_space(actor, space))
    if form.validate_on_submit():
        try:
            service.update_space(actor, space, name=form.name.data, theme=form.theme.data or "",
                                 description=form.description.data or "",
                                 members_can_start_threads=form.members_can_start_threads.data,
                                 auto_hide_threshold=form.auto_hide_threshold.data,
                                 rhythm=form.rhythm())
        except ServiceError as exc:
            show_error(form, exc)
        else:
            flash(_("Saved."), "info")
            return redirect(url_for("spaces.settings", slug=space.slug))
    return render_template("spaces/settings.html", space=space, form=form), 400 if form.errors else 200


@bp.route("/s/<slug>/leave", methods=["GET", "POST"])
@space_page(needs_agreement=False, open_to_suspended=True)
def leave(space, actor):
    queries.leavable_space(actor, space)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            member_service.leave_space(actor, space)
        except ServiceError as exc:
            show_error(form, exc)  # above the button, on this page (400)
        else:
            flash(_("You have left the group."), "info")
            return redirect(url_for("spaces.index"))
    return render_template("spaces/leave.html", space=space, form=form), 400 if form.errors else 200
