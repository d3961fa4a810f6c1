"""Changing the account's email address: a link to the new address proves it works; the
change itself ends the other sessions and tells the old address (content-free)."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app import policy
from app.accounts.models import User
from app.accounts.security_models import EmailChange
from app.accounts.sessions import end_sessions_of
from app.audit import events
from app.audit.service import record
from app.database import transactional, utcnow
from app.email_address import is_valid_email
from app.errors import ServiceError, require
from app.extensions import db
from app.notify.outbox import Mail, enqueue
from app.tokens import hash_token, new_token
from app.urls import external_url


class ChangeLinkUsed(ServiceError):
    """The link expired, was used, or a newer request replaced it."""


def _taken(email: str, user_id: int) -> bool:
    return db.session.scalar(select(User.id).where(User.email == email,
                                                   User.id != user_id)) is not None


@transactional
def request_email_change(actor, *, new_email: str) -> None:
    """Mail a confirmation link to the new address; the address changes only when it is
    opened. A newer request replaces an older one (one open link per account)."""
    require(policy.can_change_email(actor))
    user = actor.user
    email = (new_email or "").strip().lower()
    if not is_valid_email(email):
        raise ServiceError(_("Enter a valid email address."), "email")
    if email == user.email:
        raise ServiceError(_("This is already your email address."), "email")
    if _taken(email, user.id):
        raise ServiceError(_("There is already an account with this email address."), "email")
    now = utcnow()
    _close_open_links(user.id, now)
    raw, token_hash = new_token()
    hours = current_app.config["EMAIL_CHANGE_HOURS"]
    db.session.add(EmailChange(user_id=user.id, new_email=email, token_hash=token_hash,
                               created_at=now, expires_at=now + timedelta(hours=hours)))
    enqueue(Mail(to=email, template="email_change", locale=user.locale,
                 context=dict(link=external_url("accounts.confirm_email", token=raw),
                              hours=hours)))


def _close_open_links(user_id: int, now) -> None:
    db.session.execute(update(EmailChange).where(EmailChange.user_id == user_id,
                                                 EmailChange.used_at.is_(None))
                       .values(used_at=now).execution_options(synchronize_session=False))


def open_email_change(token: str) -> EmailChange | None:
    change = db.session.scalar(select(EmailChange).where(
        EmailChange.token_hash == hash_token(token or "")))
    if change is None or change.used_at is not None or change.expires_at <= utcnow():
        return None
    return change


@transactional
def confirm_email_change(token: str, *, keep_session_id: int | None = None) -> User:
    """Claim the link with one conditional UPDATE (a double submit succeeds once), change
    the address, end every other session of the account (`keep_session_id`: the browser
    confirming, when it is logged in to this account) and tell the old address."""
    used = _("This link has expired or was already used. Request a new one.")
    change = open_email_change(token)
    if change is None:
        raise ChangeLinkUsed(used)
    now = utcnow()
    claimed = db.session.execute(
        update(EmailChange).where(EmailChange.id == change.id, EmailChange.used_at.is_(None),
                                  EmailChange.expires_at > now)
        .values(used_at=now).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise ChangeLinkUsed(used)
    user = db.session.get(User, change.user_id, populate_existing=True)
    if user is None or user.erased_at is not None:
        raise ChangeLinkUsed(used)
    if _taken(change.new_email, user.id):
        raise ServiceError(_("There is already an account with this email address."))
    old_email = user.email
    try:
        with db.session.begin_nested():  # an account created with it a moment ago
            db.session.execute(update(User).where(User.id == user.id)
                               .values(email=change.new_email)
                               .execution_options(synchronize_session=False))
    except IntegrityError:
        raise ServiceError(_("There is already an account with this email address.")) from None
    end_sessions_of(user.id, keep_id=keep_session_id)
    record(events.EMAIL_CHANGED, actor_id=user.id, subject_id=user.id)
    enqueue(Mail(to=old_email, template="email_changed", locale=user.locale))
    return db.session.get(User, user.id, populate_existing=True)


@transactional
def set_new_device_notice(user: User, *, on: bool) -> None:
    user.notify_new_device = bool(on)
