"""Account rows: users, password-reset tokens and failed-login records."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, utcnow
from app.extensions import db


class User(db.Model):
    __tablename__ = "users"
    __table_args__ = ({"sqlite_autoincrement": True},)  # ids in links are never reused

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_operator: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str] = mapped_column(String(8), default="nl")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Kept in step with a confirmed TwoFactor row by the two-factor services, so the check on
    # every request ("must this account set up 2FA first?") costs no query.
    two_factor_on: Mapped[bool] = mapped_column(default=False)
    # Mail a content-free notice when this account logs in from a browser it has not used.
    notify_new_device: Mapped[bool] = mapped_column(default=True)
    # Set when the account was erased (/account/delete): the row stays only as the anchor of
    # posts kept as "oud-deelnemer", without email, password or name.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Flask-Login protocol.
    is_active = True
    is_anonymous = False
    is_authenticated = True

    # The raw key of the session this request runs in (app/accounts/sessions.py), set at
    # login and by the user loader; Flask-Login keeps it in the session cookie. Logging out
    # or ending the session ends its row: suspension or removal from a space does not (the
    # space door checks the membership on every request).
    session_key = None

    def get_id(self) -> str | None:
        return self.session_key


class PasswordReset(db.Model):
    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginFailure(db.Model):
    """One throttled attempt (a failed login, a password-reset request), keyed by client
    address or by hashed account email. Kept in the database, not in process memory, so the
    limits hold across several server processes."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
