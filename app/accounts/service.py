"""Account use cases: operators, login with throttling, passwords, language (sessions and
logout: app/accounts/sessions.py).
Every write goes through a @transactional function that takes the actor explicitly."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from app.accounts.models import LoginFailure, PasswordReset, User
from app.accounts.passwords import (  # noqa: F401  (PASSWORD_MIN/MAX: read by web.py, tests)
    PASSWORD_MAX, PASSWORD_MIN, check_new_password, dummy_hash, hash_password, needs_rehash,
    verify_password,
)
from app.accounts.sessions import end_sessions_of
from app.audit import events
from app.audit.models import AuditEvent
from app.audit.service import record, request_origin
from app.database import best_effort, transactional, utcnow
from app.email_address import is_valid_email
from app.errors import ServiceError
from app.extensions import db
from app.meetings.feeds import renew_after_password_change
from app.notify.outbox import Mail, enqueue
from app.tokens import hash_token, new_token
from app.urls import external_url

RESETS_PER_HOUR_PER_ADDRESS = 10  # per client address
RESETS_PER_HOUR_PER_ACCOUNT = 3
LOCALES = ("nl", "en")


class TooManyAttempts(ServiceError):
    """Refused by the database-backed throttle; `retry_after` in seconds (the 429's header)."""

    def __init__(self, message: str, retry_after: int = 60):
        super().__init__(message)
        self.retry_after = retry_after


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


@transactional
def create_user(*, email: str, password: str, locale: str = "nl", is_operator: bool = False) -> User:
    email = normalise_email(email)
    if not is_valid_email(email):
        raise ServiceError(_("Enter a valid email address."), "email")
    if find_user_by_email(email) is not None:
        raise ServiceError(_("There is already an account with this email address."), "email")
    check_new_password(password, email=email)
    user = User(email=email, password_hash=hash_password(password), locale=locale,
                is_operator=is_operator)
    db.session.add(user)
    db.session.flush()
    return user


@transactional
def make_operator(*, email: str, password: str) -> User:
    """Create a platform operator, or make an existing account one (CLI)."""
    user = find_user_by_email(email)
    if user is None:
        user = create_user(email=email, password=password, is_operator=True)
    else:
        check_new_password(password, email=user.email)
        user.is_operator = True
        user.password_hash = hash_password(password)
        end_sessions_of(user.id)
    record(events.OPERATOR_GRANTED, subject_id=user.id)  # from the command line: no actor
    return user


def _failure_limits(email: str, client_ip: str) -> dict[str, int]:
    """Throttle keys and their limits per minute: one account from one client address, and
    one address for any account. Nothing counts per account alone, so failures from one
    address never lock the owner out from another. The email is stored only hashed."""
    config = current_app.config
    account_here = hash_token(f"{normalise_email(email)}|{client_ip}")[:40]
    return {f"acct-ip:{account_here}": config["LOGIN_ATTEMPTS_PER_MINUTE"],
            f"ip:{client_ip}"[:80]: config["LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE"]}


def _too_many_failures(limits: dict[str, int]) -> bool:
    since = utcnow() - timedelta(minutes=1)
    counts = db.session.execute(
        select(LoginFailure.key, func.count())
        .where(LoginFailure.key.in_(list(limits)), LoginFailure.at > since)
        .group_by(LoginFailure.key)
    ).all()
    return any(count >= limits[key] for key, count in counts)


@transactional
def authenticate(*, email: str, password: str, client_ip: str) -> User | None:
    """The user for these credentials, or None for every kind of failure (the caller shows one
    message, so the response never tells whether the address has an account). The failure is
    recorded, so it returns instead of raising: raising would roll the record back. The login
    itself is noted by `record_login` once it is complete (after the second step, where
    set), not here."""
    limits = _failure_limits(email, client_ip)
    if _too_many_failures(limits):
        # Recorded in a transaction of its own: the refusal below rolls this one back.
        best_effort(record_lockout, email=email)
        raise TooManyAttempts(_("Too many attempts. Wait a minute and try again."))
    user = find_user_by_email(email)
    # An unknown address is checked against a real hash too, so both paths cost the same.
    stored = user.password_hash if user else dummy_hash()
    if not verify_password(stored, password) or user is None:
        now = utcnow()
        db.session.add_all([LoginFailure(key=key, at=now) for key in limits])
        # Never the address typed: the account it belongs to, if any.
        record(events.LOGIN_FAILED, subject_id=user.id if user else None)
        # Old records are useless after a minute; sweep them here rather than in a cron job.
        db.session.execute(delete(LoginFailure).where(LoginFailure.at < now - timedelta(hours=1)))
        return None
    if needs_rehash(stored):
        best_effort(upgrade_password_hash, user, old=stored, new=hash_password(password))
    return user


@transactional
def upgrade_password_hash(user: User, *, old: str, new: str) -> None:
    """Store the password's hash made with today's method (argon2id, or new parameters) in
    place of an older one, unless the password changed meanwhile (the condition on `old`)."""
    db.session.execute(update(User).where(User.id == user.id, User.password_hash == old)
                       .values(password_hash=new).execution_options(synchronize_session=False))


@transactional
def record_lockout(*, email: str) -> None:
    """The throttle refused a login: one audit event per account (when the address has one)
    and network per minute, however often a guesser knocks."""
    subject_id = db.session.scalar(select(User.id).where(User.email == normalise_email(email)))
    recent = db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.event == events.LOCKOUT, AuditEvent.at > utcnow() - timedelta(minutes=1),
        AuditEvent.ip_prefix == request_origin(),
        AuditEvent.subject_user_id.is_(None) if subject_id is None
        else AuditEvent.subject_user_id == subject_id).limit(1))
    if recent is None:
        record(events.LOCKOUT, subject_id=subject_id)


@transactional
def record_login(user: User, *, locale: str | None = None) -> None:
    """Bookkeeping once a login is complete (password, and the second step where set): when
    it happened, the audit event, and the language chosen before logging in becomes the
    account's language. Statements only, so it can run on its own (best-effort) when the
    database refuses writes: a full disk does not stop a login."""
    values = {"last_login_at": utcnow()}
    if locale in LOCALES and locale != user.locale:
        values["locale"] = locale
    db.session.execute(update(User).where(User.id == user.id).values(**values))
    record(events.LOGIN, actor_id=user.id, subject_id=user.id)


@transactional
def change_password(user: User, *, current: str, new: str) -> User:
    """A new password ends every session of the account; the view starts a new one for the
    browser that made the change."""
    if not verify_password(user.password_hash, current):
        raise ServiceError(_("Your current password is not correct."), "current_password")
    check_new_password(new, "new_password", email=user.email)
    user.password_hash = hash_password(new)
    end_sessions_of(user.id)
    renew_after_password_change(user.id)  # the old calendar link stops working too
    record(events.PASSWORD_CHANGED, actor_id=user.id, subject_id=user.id)
    return user


@transactional
def set_locale(user: User, *, locale: str) -> None:
    if locale not in LOCALES:
        raise ServiceError(_("Choose one of the offered languages."), "locale")
    user.locale = locale


@transactional
def request_password_reset(*, email: str, client_ip: str) -> None:
    """Mail a reset link when the address has an account; do nothing visible otherwise.
    Both paths do the same work up to the insert, so timing tells little, and requests are
    throttled per client address and per account, so nobody can flood a mailbox."""
    now = utcnow()
    ip_key = f"reset-ip:{client_ip}"[:80]
    recent = db.session.scalar(select(func.count()).select_from(LoginFailure).where(
        LoginFailure.key == ip_key, LoginFailure.at > now - timedelta(hours=1)))
    if recent >= RESETS_PER_HOUR_PER_ADDRESS:
        raise TooManyAttempts(_("Too many attempts. Wait a while and try again."),
                              retry_after=3600)
    db.session.add(LoginFailure(key=ip_key, at=now))
    user = find_user_by_email(email)
    raw, token_hash = new_token()
    hours = current_app.config["RESET_HOURS"]
    mail = Mail(to=normalise_email(email), template="password_reset",
                locale=user.locale if user else "nl",
                context=dict(link=external_url("accounts.reset_password", token=raw), hours=hours))
    if user is None:
        return
    sent_lately = db.session.scalar(select(func.count()).select_from(PasswordReset).where(
        PasswordReset.user_id == user.id, PasswordReset.created_at > now - timedelta(hours=1)))
    if sent_lately >= RESETS_PER_HOUR_PER_ACCOUNT:
        record(events.PASSWORD_RESET_REQUESTED, subject_id=user.id, detail="mail=throttled")
        return
    record(events.PASSWORD_RESET_REQUESTED, subject_id=user.id, detail="mail=sent")
    db.session.add(PasswordReset(user_id=user.id, token_hash=token_hash, created_at=now,
                                 expires_at=now + timedelta(hours=hours)))
    enqueue(mail)


def open_password_reset(token: str) -> PasswordReset | None:
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == hash_token(token)))
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        return None
    return reset


class LinkUsed(ServiceError):
    """The reset link expired or was used, perhaps a moment ago by a double submit."""


@transactional
def reset_password(*, token: str, new_password: str) -> User:
    """Set a new password through a reset link. The link is claimed with one conditional
    UPDATE, so of two submissions at the same moment exactly one succeeds; every other
    open link of the account dies with it."""
    used = _("This link has expired or was already used. Request a new one.")
    reset = open_password_reset(token)
    if reset is None:
        raise LinkUsed(used)
    check_new_password(new_password, email=db.session.get(User, reset.user_id).email)
    password_hash = hash_password(new_password)  # before any lock: hashing is the slow part
    now = utcnow()
    # The account's row is written first: resets of one account queue up behind it instead
    # of locking each other's links in opposite order (a deadlock on PostgreSQL).
    db.session.execute(update(User).where(User.id == reset.user_id).values(
        password_hash=password_hash).execution_options(synchronize_session=False))
    claimed = db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None),
               PasswordReset.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise LinkUsed(used)  # the rollback undoes the password change above
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == reset.user_id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False))
    end_sessions_of(reset.user_id)  # every browser logs in again, with the new password
    renew_after_password_change(reset.user_id)  # the old calendar link stops working too
    record(events.PASSWORD_RESET, actor_id=reset.user_id, subject_id=reset.user_id)
    return db.session.get(User, reset.user_id, populate_existing=True)
