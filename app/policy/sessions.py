"""Sessions and the account's email address: only their owner manages them."""
from __future__ import annotations

from app.policy.core import Actor


def can_end_session(actor: Actor, user_session=None) -> bool:
    """End one of your own sessions (`user_session`), or all your others (None)."""
    if actor.user is None:
        return False
    return user_session is None or user_session.user_id == actor.user.id


def can_change_email(actor: Actor, _obj=None) -> bool:
    return actor.user is not None
