"""/account/delete: choose what to erase and what happens to the posts, read plainly what
will happen, confirm, done. Works without JavaScript; thin: parse, call one service."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from app.accounts.reauth import require_recent_auth
from app.erasure import queries, service
from app.erasure.forms import ACCOUNT, EraseChoiceForm, EraseConfirmForm
from app.errors import ServiceError
from app.forms import show_error
from app.web import current_actor

bp = Blueprint("erasure", __name__)

# Memberships erased from this browser a moment ago: a second submit of the same form (a
# double click) then says "done" instead of 404, although the membership is no longer the
# user's. Kept in the user's own session only.
_ERASED = "erased_memberships"


def _scope_choices(memberships) -> list[tuple[str, str]]:
    choices = [(str(m.id), _("My data in the group %(name)s", name=m.space.name))
               for m in memberships]
    return choices + [(ACCOUNT, _("My whole account, in every group"))]


def _target(memberships, scope: str):
    """None for the whole account, else one of the user's own memberships (404 otherwise)."""
    return None if scope == ACCOUNT else queries.own_membership(memberships, scope)


def _confirm_page(form: EraseConfirmForm, membership, memberships, status: int = 200):
    """Names only: after a refused erasure (rolled back) the rows are expired."""
    return render_template(
        "erasure/confirm.html", form=form, keep=form.posts.data == service.KEEP_ANONYMOUS,
        group=None if membership is None else membership.space.name,
        groups=[m.space.name for m in memberships]), status


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@require_recent_auth
def choose():
    memberships = queries.own_memberships(current_user)
    form = EraseChoiceForm()
    form.scope.choices = _scope_choices(memberships)
    if form.validate_on_submit():
        membership = _target(memberships, form.scope.data)
        confirm = EraseConfirmForm(formdata=None, scope=form.scope.data, posts=form.posts.data)
        return _confirm_page(confirm, membership, memberships)
    return render_template("erasure/choose.html", form=form,
                           memberships=memberships), 400 if form.errors else 200


@bp.route("/account/delete/confirm", methods=["GET", "POST"])
@login_required
@require_recent_auth
def confirm():
    form = EraseConfirmForm()
    if not form.is_submitted():
        return redirect(url_for("erasure.choose"))
    memberships = queries.own_memberships(current_user)
    scope = (form.scope.data or "").strip()
    if scope != ACCOUNT and scope in session.get(_ERASED, []) and \
            scope not in {str(m.id) for m in memberships}:
        flash(_("Your data in that group has been erased."), "info")
        return redirect(url_for("accounts.account"))
    membership = _target(memberships, scope)
    if not form.validate():
        return _confirm_page(form, membership, memberships, 400)
    actor, user = current_actor(), current_user._get_current_object()
    # Rows expire at commit or rollback: keep the names, and the spaces alive, so the page
    # (and the menu, which reads the actor's spaces) renders without loading them again.
    spaces = [m.space for m in memberships]
    names = [space.name for space in spaces]
    name = None if membership is None else membership.space.name
    try:
        if membership is None:
            service.erase_account(actor, user, choice=form.posts.data or "")
        else:
            service.erase_from_space(actor, membership, choice=form.posts.data or "")
    except ServiceError as exc:
        show_error(form, exc)
        return render_template("erasure/confirm.html", form=form, group=name, groups=names,
                               keep=form.posts.data == service.KEEP_ANONYMOUS), 400
    if membership is None:
        logout_user()
        session.clear()
        return redirect(url_for("erasure.done"))
    session[_ERASED] = [*session.get(_ERASED, [])[-9:], scope]
    flash(_("Your data in the group %(name)s has been erased.", name=name), "info")
    return redirect(url_for("accounts.account"))


@bp.get("/account/deleted")
def done():
    return render_template("erasure/done.html")
