"""The worker's sweeps: personal data whose time is up goes on schedule, not only when
someone happens to trigger it. Each sweep is one set-based use case (a few statements
whatever the number of rows) and returns how many rows it changed."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, exists, or_, select, update

from app.accounts.models import LoginFailure, PasswordReset
from app.accounts.security_models import EmailChange, UserSession
from app.database import transactional, utcnow
from app.exports.models import EXPIRED, FAILED, DataExport
from app.extensions import db
from app.forum.models import Post, PostRevision, Thread, ThreadTitleRevision
from app.moderation.models import ModerationCase
from app.notify.outbox import DEAD, SENT, OutboxMessage
from app.search.index import forget_removed_words
from app.spaces.models import Invitation

# The throttles look back one hour (app/accounts/service.py): older attempts count for nothing.
LOGIN_FAILURE_HOURS = 1
# Ended (or long idle) sessions stay listed this long, then go.
SESSION_KEEP_DAYS = 30
# An export whose file is gone (expired or failed) keeps its row this long.
EXPORT_ROW_DAYS = 30


def _days(name: str) -> timedelta:
    return timedelta(days=int(current_app.config[name]))


@transactional
def wipe_deleted_posts(now: datetime | None = None) -> int:
    """Posts deleted more than DELETED_POST_REVIEW_DAYS ago lose their text and earlier
    versions (erased_at set), as a facilitator's removal does; an opening post takes its
    thread's title and old titles along. A post with an open moderation case waits: the
    moderator must still see what was reported."""
    now = now or utcnow()
    open_case = exists().where(ModerationCase.post_id == Post.id,
                               ModerationCase.resolved_at.is_(None))
    due = select(Post.id).where(Post.deleted_at <= now - _days("DELETED_POST_REVIEW_DAYS"),
                                Post.erased_at.is_(None), ~open_case)
    ids = list(db.session.scalars(due))
    if not ids:
        return 0
    db.session.execute(delete(PostRevision).where(PostRevision.post_id.in_(ids)))
    openers = select(Post.thread_id).where(Post.id.in_(ids), Post.number == 1)
    db.session.execute(delete(ThreadTitleRevision).where(
        ThreadTitleRevision.thread_id.in_(openers)))
    db.session.execute(update(Thread).where(Thread.id.in_(openers))
                       .values(title="")
                       .execution_options(synchronize_session=False))
    wiped = db.session.execute(update(Post).where(Post.id.in_(ids))
                               .values(body="", body_html="", erased_at=now)
                               .execution_options(synchronize_session=False)).rowcount
    forget_removed_words(db.session)
    return wiped


@transactional
def clear_old_mail(now: datetime | None = None) -> int:
    """Sent mail keeps its address and subject MAIL_KEEP_DAYS (the operator's `flask kring
    outbox` and an invitation's mail state), then only that a mail went. Dead-lettered mail
    that old will not be retried any more: it goes."""
    now = now or utcnow()
    before = now - _days("MAIL_KEEP_DAYS")
    cleared = db.session.execute(update(OutboxMessage).where(
        OutboxMessage.status == SENT, OutboxMessage.sent_at <= before,
        or_(OutboxMessage.to_addr != "", OutboxMessage.subject.is_not(None)))
        .values(to_addr="", subject=None, context=None, headers="", body_text=None,
                body_html=None).execution_options(synchronize_session=False)).rowcount
    dead = db.session.execute(delete(OutboxMessage).where(
        OutboxMessage.status == DEAD, OutboxMessage.created_at <= before)).rowcount
    return cleared + dead


@transactional
def sweep_login_failures(now: datetime | None = None) -> int:
    """Throttle records older than the throttles' hour (they hold a hashed address or
    account key)."""
    now = now or utcnow()
    return db.session.execute(delete(LoginFailure).where(
        LoginFailure.at < now - timedelta(hours=LOGIN_FAILURE_HOURS))).rowcount


@transactional
def sweep_expired_tokens(now: datetime | None = None) -> int:
    """Password-reset links, email changes and invitations whose time ran out (used or not:
    an accepted invitation stays, it shows how a member joined), each with its address."""
    now = now or utcnow()
    resets = db.session.execute(delete(PasswordReset).where(
        or_(PasswordReset.expires_at <= now, PasswordReset.used_at.is_not(None)))).rowcount
    changes = db.session.execute(delete(EmailChange).where(
        or_(EmailChange.expires_at <= now, EmailChange.used_at.is_not(None)))).rowcount
    invitations = db.session.execute(delete(Invitation).where(
        Invitation.accepted_at.is_(None), Invitation.expires_at <= now)).rowcount
    return resets + changes + invitations


@transactional
def sweep_sessions(now: datetime | None = None) -> int:
    """Sessions ended, or unused, more than SESSION_KEEP_DAYS ago."""
    now = now or utcnow()
    before = now - timedelta(days=SESSION_KEEP_DAYS)
    return db.session.execute(delete(UserSession).where(
        or_(UserSession.ended_at <= before, UserSession.last_seen_at <= before))).rowcount


@transactional
def sweep_export_rows(now: datetime | None = None) -> int:
    """Exports whose file is gone (expired or failed) lose their row after EXPORT_ROW_DAYS."""
    now = now or utcnow()
    return db.session.execute(delete(DataExport).where(
        DataExport.status.in_((EXPIRED, FAILED)),
        DataExport.created_at <= now - timedelta(days=EXPORT_ROW_DAYS))).rowcount


SWEEPS = (wipe_deleted_posts, clear_old_mail, sweep_login_failures, sweep_expired_tokens,
          sweep_sessions, sweep_export_rows)


def run_sweeps(now: datetime | None = None) -> dict[str, int]:
    """Every sweep, each in its own transaction."""
    now = now or utcnow()
    return {sweep.__name__: sweep(now) for sweep in SWEEPS}
