"""Who hears about moderation: the moderators of the space (never the post's author) about
flags, the flaggers that their flag was handled, the author about a hidden post or a
warning. Moderation decides; app/notify delivers, with content-free email."""
from __future__ import annotations

from sqlalchemy import select

from app import policy
from app.database import utcnow
from app.extensions import db
from app.notify import kinds
from app.notify.service import notify
from app.spaces.models import Membership


def moderators(space_id: int, *, without=()) -> list[Membership]:
    """Everyone who may act on the queue now (in the group, not suspended), minus `without`
    (membership ids: the post's author, say)."""
    return [m for m in db.session.scalars(select(Membership).where(
        Membership.space_id == space_id, Membership.usable_at(utcnow()),
        Membership.role.in_(policy.PERMISSIONS["moderate"])).order_by(Membership.display_name))
        if m.id not in without]


def on_flag(space, case, *, urgent: bool, new_case: bool) -> None:
    """A crisis flag reaches every moderator at once, whatever their settings; the first
    flag on a post tells them there is something in the queue."""
    if not (urgent or new_case):
        return
    notify(space, moderators(space.id, without={case.post_author_id}),
           kind=kinds.FLAG_URGENT if urgent else kinds.FLAG_NEW, thread_id=case.thread_id,
           post_id=case.post_id, urgent=urgent)


def on_reminder(space, case) -> None:
    notify(space, moderators(space.id, without={case.post_author_id}), kind=kinds.FLAG_REMINDER,
           thread_id=case.thread_id, post_id=case.post_id, urgent=True)


def on_claim_expired(space, case, former_id: int | None) -> None:
    notify(space, moderators(space.id, without={case.post_author_id, former_id}),
           kind=kinds.CLAIM_EXPIRED, thread_id=case.thread_id, post_id=case.post_id)


def on_handled(space, case, flagger_ids) -> None:
    """Each flagger hears that it was handled, not how."""
    if not flagger_ids:
        return
    flaggers = list(db.session.scalars(select(Membership).where(
        Membership.id.in_(flagger_ids), Membership.usable_at(utcnow()))))
    notify(space, flaggers, kind=kinds.FLAG_HANDLED, thread_id=case.thread_id,
           post_id=case.post_id)


def _author(membership_id: int) -> list[Membership]:
    member = db.session.get(Membership, membership_id)
    if member is None or member.ended_at is not None:
        return []
    return [member]


def on_hidden(space, post) -> None:
    notify(space, _author(post.author_id), kind=kinds.POST_HIDDEN, thread_id=post.thread_id,
           post_id=post.id)


def on_warning(space, notice) -> None:
    notify(space, _author(notice.membership_id), kind=kinds.MOD_WARNING)
