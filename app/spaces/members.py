"""Members of a space: the name the group sees, roles, suspension, removal and leaving."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import policy
from app.audit import events
from app.audit.service import record
from app.database import lock_row, transactional, utcnow
from app.errors import ServiceError, require
from app.extensions import db
from app.moderation.log import ROLE_CHANGE, SUSPEND, UNSUSPEND, log_action
from app.policy import Actor
from app.spaces.ending import end_membership
from app.spaces.models import FACILITATOR, ROLES, Membership, Space
from app.spaces.names import name_key

DISPLAY_NAME_MAX = 60


def _name_taken() -> ServiceError:
    return ServiceError(_("Someone in this group already uses this name or one that looks "
                          "just like it. Choose another."), "display_name")


def check_display_name(space: Space, name: str, *, except_membership: int | None = None) -> str:
    """The name cleaned, or a ServiceError when it is too short, too long or taken: another
    active member's name with the same key (differing only by case, spacing, accents or
    look-alike letters) counts as taken."""
    name = " ".join(name.split())
    if len(name) < 2:
        raise ServiceError(_("Choose a name of at least 2 characters."), "display_name")
    if len(name) > DISPLAY_NAME_MAX:
        raise ServiceError(_("A name can be at most %(n)d characters.", n=DISPLAY_NAME_MAX),
                           "display_name")
    taken = db.session.scalar(
        select(Membership.id).where(
            Membership.space_id == space.id,
            Membership.ended_at.is_(None),
            Membership.name_key == name_key(name),
            Membership.id != (except_membership or 0),
        )
    )
    if taken:
        raise _name_taken()
    return name


def store_display_name(membership: Membership) -> None:
    """Write the membership now, so that the database's unique key on active names decides a
    race the check above could not see (two look-alike names at the same moment): the
    later one gets the same refusal at the field, and its transaction is rolled back."""
    refusal = _name_taken()  # translated now: after a failed flush the session cannot load
    try:
        db.session.flush()
    except IntegrityError as exc:
        if "name_key" not in str(exc.orig):
            raise
        raise refusal from None


@transactional
def change_display_name(actor: Actor, space: Space, *, display_name: str) -> None:
    require(policy.can_change_display_name(actor, space))
    membership = actor.membership(space.id)
    membership.display_name = check_display_name(space, display_name,
                                                 except_membership=membership.id)
    store_display_name(membership)


def _facilitators_left(space_id: int, without: Membership) -> int:
    """Facilitators who could still run the group: in it and not suspended."""
    return db.session.scalar(
        select(func.count()).select_from(Membership).where(
            Membership.space_id == space_id, Membership.role == FACILITATOR,
            Membership.usable_at(utcnow()), Membership.id != without.id))


def _keep_a_facilitator(membership: Membership, field: str) -> None:
    """Refuse to take `membership` out of running the group (demote, suspend, remove) when it
    is the last usable facilitator. Counted under the space's row lock, like leave_space:
    two facilitators acting on each other at once are counted one after the other, so the
    second sees what the first did."""
    lock_row(Space.seat_limit, membership.space_id)
    db.session.refresh(membership, ["role"])  # as it stands now, under the lock
    if membership.role == FACILITATOR and _facilitators_left(membership.space_id, membership) == 0:
        raise ServiceError(_("This is the only facilitator who can still run the group. Make "
                             "someone else facilitator first."), field)


def _audit(event: str, actor: Actor, membership: Membership, detail: str = "") -> None:
    """The audit trail's copy of a decision about a member (accounts, not names)."""
    record(event, actor_id=actor.user.id, subject_id=membership.user_id,
           space_id=membership.space_id, detail=detail)


def _require_manage(actor: Actor, membership: Membership, refusal: str, field: str | None) -> None:
    """Someone else's row: the rulebook decides (403). Their own row (only a forged or stale
    form gets here; the page offers no such form): refused at the form with the reason."""
    own = policy.is_own_membership(actor, membership)
    require(own or policy.can_manage_member(actor, membership))
    if own:
        raise ServiceError(refusal, field)


@transactional
def change_role(actor: Actor, membership: Membership, *, role: str) -> None:
    _require_manage(actor, membership, _("You cannot change your own role. Another "
                                         "facilitator can do that for you."), "role")
    if role not in ROLES:
        raise ServiceError(_("Choose one of the offered roles."), "role")
    if role != FACILITATOR:
        _keep_a_facilitator(membership, "role")
    if role == membership.role:
        return  # nothing changes (a double submit), so nothing is logged
    before, membership.role = membership.role, role
    # Who may moderate is part of the moderation record.
    log_action(membership.space_id, ROLE_CHANGE, actor=actor.membership(membership.space_id),
               subject=membership, detail={"before": before, "after": role})
    _audit(events.ROLE_CHANGED, actor, membership, f"before={before} after={role}")


@transactional
def suspend_member(actor: Actor, membership: Membership, *, until: datetime | None) -> None:
    """Deny access until `until` (UTC) or, with None, until further notice. Facilitators
    suspend from the members page, moderators a plain member as the outcome of a flag; both
    are logged."""
    own = policy.is_own_membership(actor, membership)
    require(own or policy.can_suspend_member(actor, membership))
    if own:
        raise ServiceError(_("You cannot deny yourself access."), "until")
    now = utcnow()
    if until is not None and until <= now:
        raise ServiceError(_("Choose a date in the future."), "until")
    _keep_a_facilitator(membership, "until")
    membership.suspended_at = now
    membership.suspended_until = until
    log_action(membership.space_id, SUSPEND, actor=actor.membership(membership.space_id),
               subject=membership,
               detail={"until": until.isoformat(timespec="minutes") if until else "indefinite"})
    _audit(events.MEMBER_SUSPENDED, actor, membership,
           f"until={until.isoformat(timespec='minutes')}" if until else "until=indefinite")


@transactional
def lift_suspension(actor: Actor, membership: Membership) -> None:
    _require_manage(actor, membership, _("You cannot give yourself access again. Another "
                                         "facilitator can do that for you."), None)
    if membership.suspended_at is None:
        return
    membership.suspended_at = membership.suspended_until = None
    log_action(membership.space_id, UNSUSPEND, actor=actor.membership(membership.space_id),
               subject=membership)
    _audit(events.MEMBER_UNSUSPENDED, actor, membership)


@transactional
def remove_member(actor: Actor, membership: Membership, *, confirmed: bool) -> None:
    """Removal cannot be undone by the member, so the form asks to tick a box (this works
    without JavaScript, unlike a confirm dialog)."""
    _require_manage(actor, membership, _("You cannot remove yourself. Use \"Leave this "
                                         "group\" instead."), "confirm")
    if not confirmed:
        raise ServiceError(_("Tick the box to confirm the removal."), "confirm")
    _keep_a_facilitator(membership, "confirm")
    end_membership(membership)
    _audit(events.MEMBER_REMOVED, actor, membership)


@transactional
def leave_space(actor: Actor, space: Space) -> None:
    require(policy.can_leave_space(actor, space))
    membership = actor.membership(space.id)
    # Counted under the space's row lock: two facilitators leaving at once are counted one
    # after the other, so the second sees that the first has gone.
    lock_row(Space.seat_limit, space.id)
    if membership.role == FACILITATOR and _facilitators_left(space.id, membership) == 0:
        raise ServiceError(_("You are the only facilitator. Make someone else facilitator "
                             "before you leave."))
    end_membership(membership)

