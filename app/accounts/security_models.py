"""Rows that guard an account (issue 11): the second factor and its recovery codes, the
sessions a user is logged in with, and pending changes of email address."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, utcnow
from app.extensions import db


class TwoFactor(db.Model):
    """A user's authenticator app (TOTP). The secret is stored encrypted (app/accounts/
    twofactor.py); `confirmed_at` is NULL while the user is still setting it up."""

    __tablename__ = "two_factor"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    secret: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The last accepted 30-second time step: a code is never accepted twice (no replay).
    last_step: Mapped[int] = mapped_column(default=0)


class RecoveryCode(db.Model):
    """One of ten single-use codes for a lost phone; only its SHA-256 is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UserSession(db.Model):
    """One logged-in browser. The session cookie carries a random key; only its SHA-256 is
    kept. Times are approximate on purpose (last_seen_at is touched at most every few
    minutes) and the address is truncated (ip_prefix), never the full address."""

    __tablename__ = "user_sessions"
    __table_args__ = ({"sqlite_autoincrement": True},)  # ids in links are never reused

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # "Firefox op Android": derived from the user agent, which itself is not kept.
    device: Mapped[str] = mapped_column(String(120), default="")
    ip_prefix: Mapped[str] = mapped_column(String(45), default="")
    # When this session last proved who it is (password, and the second factor where set)
    # for a sensitive change: email, password, 2FA, export, deletion.
    reauth_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EmailChange(db.Model):
    """A requested new email address, waiting for the link sent to it."""

    __tablename__ = "email_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    new_email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class KnownDevice(db.Model):
    """A browser this account has logged in from, known by a long-lived random cookie of
    which only a hash (salted with the account's id, so two accounts on one browser cannot
    be linked) is kept. A login from a browser not listed here can mail a notice."""

    __tablename__ = "known_devices"
    __table_args__ = (UniqueConstraint("user_id", "device_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    device_hash: Mapped[str] = mapped_column(String(64))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
