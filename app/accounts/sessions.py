"""Server-side sessions: one UserSession row per logged-in browser. The session cookie carries
a random key of which only the SHA-256 is stored; ending the row logs that browser out."""
from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from flask import current_app
from sqlalchemy import bindparam, select, update

from app import policy
from app.accounts.devices import summarise
from app.accounts.models import User
from app.accounts.security_models import KnownDevice, UserSession
from app.audit import events
from app.audit.service import record, truncated_address
from app.database import best_effort, transactional, utcnow
from app.errors import require
from app.extensions import db
from app.notify.outbox import Mail, enqueue
from app.tokens import hash_token, new_token


@transactional
def begin_session(user: User, *, user_agent: str, ip: str, browser_key: str = "") -> str:
    """A new session row for this login; returns the raw key for the session cookie (only its
    hash is stored). `browser_key` is the browser's long-lived device cookie: a login from a
    browser this account has not used before mails a content-free notice (when wanted)."""
    raw, key_hash = new_token()
    now = utcnow()
    db.session.add(UserSession(user_id=user.id, key_hash=key_hash, created_at=now,
                               last_seen_at=now, device=summarise(user_agent),
                               ip_prefix=truncated_address(ip)))
    if browser_key:
        _note_browser(user, browser_key, now)
    return raw


def _note_browser(user: User, browser_key: str, now) -> None:
    """Remember the browser; mail a notice when it is new and the account already knew
    another one (the first browser an account is seen with is no news: its own creation, or
    the first login after this feature arrived)."""
    device_hash = hash_token(f"{user.id}:{browser_key}")
    known = db.session.scalars(select(KnownDevice.device_hash)
                               .where(KnownDevice.user_id == user.id)).all()
    if device_hash in known:
        return
    db.session.add(KnownDevice(user_id=user.id, device_hash=device_hash, first_seen_at=now))
    if known and user.notify_new_device and user.erased_at is None:
        enqueue(Mail(to=user.email, template="new_device", locale=user.locale))


def load_session(key: str) -> tuple[UserSession, User] | None:
    """The open session with this key and its user, in one query; None for an unknown or
    ended session or an erased account. Touches last_seen_at at most every
    SESSION_TOUCH_MINUTES (in its own best-effort transaction: a page never fails on it)."""
    if not key or len(key) > 100:
        return None
    now = utcnow()
    config = current_app.config
    idle_hours, max_days = config["SESSION_IDLE_HOURS"], config["SESSION_MAX_DAYS"]
    params = {"key_hash": hash_token(key)}
    if idle_hours:
        params["idle_since"] = now - timedelta(hours=idle_hours)
    if max_days:
        params["begun_since"] = now - timedelta(days=max_days)
    found = db.session.execute(_open_session_statement(bool(idle_hours), bool(max_days)),
                               params).first()
    if found is None:
        return None
    row, user = found
    every = timedelta(minutes=current_app.config["SESSION_TOUCH_MINUTES"])
    if row.last_seen_at <= now - every:
        best_effort(_touch, row.id, now, now - every)
    return row, user


@lru_cache(maxsize=4)
def _open_session_statement(idle_limit: bool, age_limit: bool):
    """The statement of load_session, built once per process (every request runs it:
    building it again and computing its cache key cost more than SQLite's answer). The
    same conditions as _alive, with the moments as parameters."""
    conditions = [UserSession.ended_at.is_(None)]
    if idle_limit:
        conditions.append(UserSession.last_seen_at > bindparam("idle_since"))
    if age_limit:
        conditions.append(UserSession.created_at > bindparam("begun_since"))
    return (select(UserSession, User).join(User, User.id == UserSession.user_id)
            .where(UserSession.key_hash == bindparam("key_hash"), *conditions,
                   User.erased_at.is_(None)))


def _alive(now) -> list:
    """The conditions of a session still in use: not ended, not idle for longer than
    SESSION_IDLE_HOURS (last_seen_at lags by up to SESSION_TOUCH_MINUTES), not begun more
    than SESSION_MAX_DAYS ago. A setting of 0 leaves that limit out."""
    config = current_app.config
    conditions = [UserSession.ended_at.is_(None)]
    if config["SESSION_IDLE_HOURS"]:
        conditions.append(UserSession.last_seen_at > now - timedelta(
            hours=config["SESSION_IDLE_HOURS"]))
    if config["SESSION_MAX_DAYS"]:
        conditions.append(UserSession.created_at > now - timedelta(
            days=config["SESSION_MAX_DAYS"]))
    return conditions


@transactional
def _touch(session_id: int, now, stale_before) -> None:
    """One conditional statement: of two requests at once, one writes and one finds nothing
    to do."""
    db.session.execute(update(UserSession)
                       .where(UserSession.id == session_id,
                              UserSession.last_seen_at <= stale_before)
                       .values(last_seen_at=now).execution_options(synchronize_session=False))


def session_of_key(key: str) -> UserSession | None:
    return db.session.scalar(select(UserSession).where(UserSession.key_hash == hash_token(key)))


def active_sessions(user: User) -> list[UserSession]:
    """The user's open sessions, the most recently used first."""
    return list(db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, *_alive(utcnow()))
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())))


def own_session(user: User, session_id: int) -> UserSession | None:
    """One open session of this user by id; another user's id is None (the page says 404)."""
    return db.session.scalar(select(UserSession).where(
        UserSession.id == session_id, UserSession.user_id == user.id, *_alive(utcnow())))


def _end(*conditions) -> int:
    return db.session.execute(
        update(UserSession).where(UserSession.ended_at.is_(None), *conditions)
        .values(ended_at=utcnow()).execution_options(synchronize_session=False)).rowcount


@transactional
def end_session(actor, target: UserSession) -> None:
    """The owner ends one of their sessions (a lost phone, a library computer)."""
    require(policy.can_end_session(actor, target))
    if _end(UserSession.id == target.id):
        record(events.SESSION_ENDED, actor_id=actor.user.id, subject_id=target.user_id,
               detail="one")


@transactional
def end_other_sessions(actor, *, keep_id: int) -> int:
    """"Log out everywhere else": every open session of the actor except this one."""
    require(policy.can_end_session(actor, None))
    ended = _end(UserSession.user_id == actor.user.id, UserSession.id != keep_id)
    record(events.SESSION_ENDED, actor_id=actor.user.id, subject_id=actor.user.id,
           detail=f"others:{ended}")
    return ended


def end_sessions_of(user_id: int, *, keep_id: int | None = None) -> int:
    """Inside another use case (password change or reset, email change, 2FA change): end
    every open session of the account, except `keep_id` (the browser making the change)."""
    conditions = [UserSession.user_id == user_id]
    if keep_id is not None:
        conditions.append(UserSession.id != keep_id)
    return _end(*conditions)


@transactional
def log_out(user_id: int, session_id: int) -> bool:
    """End this browser's session. Statements only, so it can run on its own (best-effort)
    when the database refuses writes."""
    if _end(UserSession.id == session_id, UserSession.user_id == user_id):
        record(events.LOGOUT, actor_id=user_id, subject_id=user_id)
    return True


@transactional
def mark_reauthenticated(session_id: int) -> None:
    """This session just proved who it is again (app/accounts/reauth.py)."""
    db.session.execute(update(UserSession).where(UserSession.id == session_id)
                       .values(reauth_at=utcnow()).execution_options(synchronize_session=False))


def best_effort_log_out(user_id: int, session_id: int) -> bool:
    """Logout that never fails: False when the database refused to end the row (the caller
    drops the browser's cookie anyway; the row stays open until it is ended elsewhere)."""
    return bool(best_effort(log_out, user_id, session_id))
