"""Claims on a case: pick it up ("ik pak dit op"), take it over, release it; and the worker's
round that releases claims left unresolved for 48 hours. Each claim is one conditional
UPDATE, so of two moderators claiming at the same moment exactly one wins."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app import policy
from app.database import transactional, utcnow
from app.errors import Forbidden, ServiceError, require
from app.extensions import db
from app.moderation import notices
from app.moderation.log import CLAIM, CLAIM_EXPIRED, RELEASE, TAKE_OVER, log_action
from app.moderation.models import ModerationCase
from app.policy import Actor
from app.spaces.models import Membership, Space, shown_name_of

CLAIM_EXPIRY = timedelta(hours=48)


def _may_claim(actor: Actor, case: ModerationCase) -> None:
    """The policy's answer, with the reason in words for a case about one's own post."""
    if policy.can_claim_flag(actor, case):
        return
    own = actor.membership(case.space_id)
    if own is None or not policy.can_view_queue(actor, own.space):
        raise Forbidden()
    if own.id == case.post_author_id:
        raise Forbidden(_("This report is about your own message: someone else handles it."))
    if case.resolved_at is not None:
        raise ServiceError(_("This report has already been handled."))
    raise Forbidden()  # e.g. the rental ended: the queue can be read, not acted on


def _holder_name(case_id: int) -> str | None:
    return db.session.scalar(
        select(shown_name_of()).join(
            ModerationCase, ModerationCase.claimed_by_id == Membership.id)
        .where(ModerationCase.id == case_id))


def _lost(case: ModerationCase) -> ServiceError:
    """Why a claim did not go through, from the case as it is now."""
    db.session.refresh(case)
    if case.resolved_at is not None:
        return ServiceError(_("This report has already been handled."))
    name = _holder_name(case.id)
    if name is None:
        return ServiceError(_("Nobody has this report now. Try again."))
    return ServiceError(_("%(name)s has already picked this up.", name=name))


def _set_claim(case: ModerationCase, me: Membership, *, expected: int | None) -> bool:
    """Claim `case` for `me` if it is open and held by `expected` (None: by nobody)."""
    now = utcnow()
    held = (ModerationCase.claimed_by_id.is_(None) if expected is None
            else ModerationCase.claimed_by_id == expected)
    won = db.session.execute(
        update(ModerationCase).where(ModerationCase.id == case.id,
                                     ModerationCase.resolved_at.is_(None), held)
        .values(claimed_by_id=me.id, claimed_at=now,
                first_claimed_at=func.coalesce(ModerationCase.first_claimed_at, now)),
        execution_options={"synchronize_session": False}).rowcount == 1
    if won:
        db.session.refresh(case)
    return won


@transactional
def claim_case(actor: Actor, case: ModerationCase) -> None:
    """Pick the case up; claiming it again is harmless. Someone else's claim is refused with
    their name (take it over on purpose instead)."""
    _may_claim(actor, case)
    me = actor.membership(case.space_id)
    if case.claimed_by_id == me.id:
        return
    if not _set_claim(case, me, expected=None):
        db.session.refresh(case)
        if case.claimed_by_id == me.id:
            return  # a double submit: the first one won
        raise _lost(case)
    log_action(case.space_id, CLAIM, actor=me, case=case)


@transactional
def take_over_case(actor: Actor, case: ModerationCase, *, holder_id: int | None) -> None:
    """Take the case from `holder_id`, the holder the moderator saw; if it changed hands
    meanwhile, nothing happens and they are told who has it now."""
    _may_claim(actor, case)
    me = actor.membership(case.space_id)
    if case.claimed_by_id == me.id:
        return
    previous = db.session.get(Membership, holder_id) if holder_id else None
    if not _set_claim(case, me, expected=holder_id):
        raise _lost(case)
    log_action(case.space_id, TAKE_OVER if previous else CLAIM, actor=me, subject=previous,
               case=case)


@transactional
def release_case(actor: Actor, case: ModerationCase, *, reason: str = "") -> None:
    require(policy.can_release_flag(actor, case))
    me = actor.membership(case.space_id)
    released = db.session.execute(
        update(ModerationCase).where(ModerationCase.id == case.id,
                                     ModerationCase.claimed_by_id == me.id,
                                     ModerationCase.resolved_at.is_(None))
        .values(claimed_by_id=None, claimed_at=None),
        execution_options={"synchronize_session": False}).rowcount
    db.session.refresh(case)
    if released:
        log_action(case.space_id, RELEASE, actor=me, case=case, reason=reason)


@transactional
def release_stale_claims(now: datetime | None = None) -> int:
    """Kring's own round (the worker): claims older than 48 hours on open cases are released
    and the other moderators told. A claim renewed meanwhile is left alone."""
    now = now or utcnow()
    stale = db.session.execute(select(ModerationCase.id, ModerationCase.claimed_by_id,
                                      ModerationCase.claimed_at).where(
        ModerationCase.resolved_at.is_(None), ModerationCase.claimed_by_id.is_not(None),
        ModerationCase.claimed_at < now - CLAIM_EXPIRY)).all()
    released = 0
    for case_id, holder_id, claimed_at in stale:
        done = db.session.execute(
            update(ModerationCase).where(ModerationCase.id == case_id,
                                         ModerationCase.claimed_by_id == holder_id,
                                         ModerationCase.claimed_at == claimed_at)
            .values(claimed_by_id=None, claimed_at=None),
            execution_options={"synchronize_session": False}).rowcount
        if not done:
            continue
        case = db.session.get(ModerationCase, case_id)
        db.session.refresh(case)
        holder = db.session.get(Membership, holder_id)
        log_action(case.space_id, CLAIM_EXPIRED, subject=holder, case=case, at=now,
                   detail={"claimed_at": claimed_at.isoformat(timespec="minutes")})
        notices.on_claim_expired(db.session.get(Space, case.space_id), case, holder_id)
        released += 1
    return released
