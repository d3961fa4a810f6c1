"""The private calendar feed's use cases: make (or renew) the link, turn neutral titles on
or off, revoke it, renew it when the password changes, and find a feed by its raw token.
Only the token's hash is stored; the raw link is shown once, right after it is made."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from app import policy
from app.database import transactional, utcnow
from app.errors import ServiceError, require
from app.extensions import db
from app.meetings.feed_models import CalendarFeed
from app.policy import Actor
from app.tokens import hash_token, new_token
from app.upsert import upsert


def feed_of(actor: Actor) -> CalendarFeed | None:
    require(policy.can_keep_calendar_feed(actor))
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == actor.user.id))


@transactional
def make_feed_link(actor: Actor) -> str:
    """A new link (the first, or in place of the old one, which stops working at once); the
    raw token is returned to show once. The neutral-titles choice stays as it was."""
    require(policy.can_keep_calendar_feed(actor))
    raw, token_hash = new_token()
    # One row per account, also when two clicks arrive at once: the later link wins.
    upsert(CalendarFeed, keys={"user_id": actor.user.id},
           values={"token_hash": token_hash, "created_at": utcnow(), "neutral_titles": True},
           replace=("token_hash", "created_at"))
    return raw


@transactional
def set_neutral_titles(actor: Actor, *, neutral: bool) -> CalendarFeed:
    feed = feed_of(actor)
    if feed is None:
        raise ServiceError(_("Make a calendar link first."))
    feed.neutral_titles = bool(neutral)
    return feed


@transactional
def revoke_feed(actor: Actor) -> None:
    """The link stops working; nothing of the feed is kept."""
    require(policy.can_keep_calendar_feed(actor))
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == actor.user.id))


def renew_after_password_change(user_id: int) -> None:
    """Inside the password change or reset: the old link stops working (whoever may have
    had the password may have had the link too). The new token is thrown away, so the member
    makes a fresh link on the calendar page when they want one."""
    _raw, token_hash = new_token()
    db.session.execute(update(CalendarFeed).where(CalendarFeed.user_id == user_id)
                       .values(token_hash=token_hash, created_at=utcnow())
                       .execution_options(synchronize_session=False))


def open_feed(raw: str) -> CalendarFeed | None:
    """The feed for a raw token from a calendar app, or None (unknown or revoked)."""
    if not raw or len(raw) > 100:
        return None
    return db.session.scalar(select(CalendarFeed).where(
        CalendarFeed.token_hash == hash_token(raw)))
