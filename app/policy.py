"""Who may do what. One role → permission table plus `can_<verb>_<noun>(actor, obj)` rules
that deny by default and never query: the actor's memberships (with their spaces) are loaded
once per request."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from app.database import utcnow
from app.spaces.models import (
    COFACILITATOR, ENDED, FACILITATOR, MEMBER, MODERATOR, NOT_STARTED, OPEN,
)

# Roles a person can have towards one space. The first four are membership roles; the others
# describe someone without a usable membership.
OPERATOR = "operator"  # platform operator without a membership: rents spaces, reads no content
NONMEMBER = "nonmember"
SUSPENDED = "suspended"
ANONYMOUS = "anonymous"

_IN_GROUP = frozenset({MEMBER, MODERATOR, COFACILITATOR, FACILITATOR})
_LEADS = frozenset({COFACILITATOR, FACILITATOR})

PERMISSIONS: dict[str, frozenset[str]] = {
    "view_space": _IN_GROUP,
    "start_discussion": _IN_GROUP,  # further limited by the space setting for members
    "start_seed_thread": _LEADS,  # announcement, assignment, statement
    "reply": _IN_GROUP,
    "reply_locked": frozenset({MODERATOR, COFACILITATOR, FACILITATOR}),
    "react": _IN_GROUP,
    "edit_own_post": _IN_GROUP,
    "pin_thread": _LEADS,
    # Retitling someone else's thread: the group's leads, who also pin and seed. Authors
    # retitle their own threads under "edit_own_post".
    "edit_thread_title": _LEADS,
    "lock_thread": frozenset({MODERATOR, COFACILITATOR, FACILITATOR}),
    "invite_member": frozenset({FACILITATOR}),
    "manage_members": frozenset({FACILITATOR}),
    "edit_agreement": frozenset({FACILITATOR}),
    "edit_space": frozenset({FACILITATOR}),
    "change_own_name": _IN_GROUP,
    "leave_space": _IN_GROUP | {SUSPENDED},
    # Moderation: every member may flag; moderators and the leads act on flags (the queue,
    # claims, outcomes, hiding); facilitators read the moderation log.
    "flag_post": _IN_GROUP,
    "moderate": frozenset({MODERATOR, COFACILITATOR, FACILITATOR}),
    "read_moderation_log": frozenset({FACILITATOR}),
}
# The rental period bounds everything else: before it starts a space cannot be entered, after
# it ends it can only be read. Leaving the group stays possible at any time.
_ALWAYS = frozenset({"leave_space"})
_READING = frozenset({"view_space"}) | _ALWAYS
# Roles that start threads in spaces where members may not: the group's leads and moderators.
_START_WHEN_CLOSED = frozenset({MODERATOR, COFACILITATOR, FACILITATOR})


DEFAULT_ZONE = ZoneInfo("Europe/Amsterdam")


@dataclass
class Actor:
    """The person acting, with their memberships keyed by space id (ended ones left out)."""

    user: object | None
    memberships: dict = field(default_factory=dict)
    now: datetime = field(default_factory=utcnow)
    # The local calendar day, for rental dates; load_actor passes the configured time zone's.
    today: date | None = None

    def __post_init__(self):
        if self.today is None:
            self.today = self.now.astimezone(DEFAULT_ZONE).date()

    @property
    def is_operator(self) -> bool:
        return bool(self.user is not None and self.user.is_operator)

    def membership(self, space_id: int):
        return self.memberships.get(space_id)


def role_in(actor: Actor, space_id: int) -> str:
    if actor.user is None:
        return ANONYMOUS
    membership = actor.memberships.get(space_id)
    if membership is None or membership.ended_at is not None:
        return OPERATOR if actor.is_operator else NONMEMBER
    if membership.is_suspended(actor.now):
        return SUSPENDED
    return membership.role


def rental_state(actor: Actor, space_id: int) -> str:
    """The rental state of a space the actor is in, from the space loaded with the membership
    (NOT_STARTED for any other space: nothing is allowed there anyway)."""
    membership = actor.memberships.get(space_id)
    if membership is None:
        return NOT_STARTED
    return membership.space.rental_state(actor.today)


def allowed(actor: Actor, permission: str, space_id: int) -> bool:
    if role_in(actor, space_id) not in PERMISSIONS[permission]:
        return False
    if permission in _ALWAYS:
        return True
    state = rental_state(actor, space_id)
    return state == OPEN or (state == ENDED and permission in _READING)


# --- platform -------------------------------------------------------------------------------

def can_administer_platform(actor: Actor, _obj=None) -> bool:
    return actor.is_operator


# --- spaces ---------------------------------------------------------------------------------

def can_accept_invitation(actor: Actor, invitation) -> bool:
    """An invitation is for the address it was sent to (someone not logged in creates the
    account for that address); platform operators never join a group: they rent spaces out
    and read no content."""
    if actor.user is None:
        return True
    return not actor.is_operator and actor.user.email == invitation.email


def can_view_space(actor: Actor, space) -> bool:
    return allowed(actor, "view_space", space.id)


def can_view_members(actor: Actor, space) -> bool:
    return allowed(actor, "view_space", space.id)


def can_invite_member(actor: Actor, space) -> bool:
    return allowed(actor, "invite_member", space.id)


def can_revoke_invitation(actor: Actor, invitation) -> bool:
    return allowed(actor, "invite_member", invitation.space_id)


def readable_memberships(actor: Actor) -> dict:
    """The actor's memberships in spaces they may read now (not suspended), by space id:
    the filter for lists that span spaces, such as notifications."""
    return {space_id: m for space_id, m in actor.memberships.items()
            if allowed(actor, "view_space", space_id)}


def can_manage_member(actor: Actor, membership) -> bool:
    """Change role, suspend or remove someone else; nobody manages themselves this way."""
    if is_own_membership(actor, membership):
        return False
    return allowed(actor, "manage_members", membership.space_id)


def is_own_membership(actor: Actor, membership) -> bool:
    """The actor's own row in that space (services explain this refusal at the form)."""
    own = actor.memberships.get(membership.space_id)
    return own is not None and own.id == membership.id


def can_edit_agreement(actor: Actor, space) -> bool:
    return allowed(actor, "edit_agreement", space.id)


def can_edit_space(actor: Actor, space) -> bool:
    return allowed(actor, "edit_space", space.id)


def can_change_display_name(actor: Actor, space) -> bool:
    return allowed(actor, "change_own_name", space.id)


def space_is_closed(actor: Actor, space) -> bool:
    """After the rental: read-only for everyone (the banner on every space page)."""
    return space.rental_state(actor.today) == ENDED


def space_not_started(actor: Actor, space) -> bool:
    return space.rental_state(actor.today) == NOT_STARTED


def can_leave_space(actor: Actor, space) -> bool:
    return allowed(actor, "leave_space", space.id)


# --- forum ----------------------------------------------------------------------------------

def can_start_thread(actor: Actor, space, kind: str = "discussion") -> bool:
    if kind != "discussion":
        return allowed(actor, "start_seed_thread", space.id)
    if not allowed(actor, "start_discussion", space.id):
        return False
    return space.members_can_start_threads or role_in(actor, space.id) in _START_WHEN_CLOSED


def can_read_thread(actor: Actor, thread) -> bool:
    return allowed(actor, "view_space", thread.space_id)


def can_reply_thread(actor: Actor, thread) -> bool:
    return allowed(actor, "reply_locked" if thread.is_locked else "reply", thread.space_id)


def _is_author(actor: Actor, item) -> bool:
    """The actor wrote this post or started this thread (both carry author_id, space_id)."""
    own = actor.memberships.get(item.space_id)
    return own is not None and own.id == item.author_id


def can_edit_post(actor: Actor, post) -> bool:
    return (
        post.deleted_at is None
        and _is_author(actor, post)
        and allowed(actor, "edit_own_post", post.space_id)
    )


def can_delete_post(actor: Actor, post) -> bool:
    return can_edit_post(actor, post)


def can_react_post(actor: Actor, post) -> bool:
    return post.deleted_at is None and allowed(actor, "react", post.space_id)


def can_edit_thread_title(actor: Actor, thread) -> bool:
    """The thread's author, or a lead of the group; never once the author deleted the opening
    post (the title is gone then, and editing would bring it back)."""
    if thread.title_removed_at is not None:
        return False
    if _is_author(actor, thread) and allowed(actor, "edit_own_post", thread.space_id):
        return True
    return allowed(actor, "edit_thread_title", thread.space_id)


def can_pin_thread(actor: Actor, thread) -> bool:
    return allowed(actor, "pin_thread", thread.space_id)


def can_lock_thread(actor: Actor, thread) -> bool:
    return allowed(actor, "lock_thread", thread.space_id)


# --- moderation -----------------------------------------------------------------------------
# A case is the flag group on one post (app/moderation/models.py); it carries the post's
# author (post_author_id) so "nobody moderates their own post" needs no query.

def _own_id(actor: Actor, space_id: int) -> int | None:
    own = actor.memberships.get(space_id)
    return None if own is None else own.id


def can_flag_post(actor: Actor, post) -> bool:
    """Any member, on a visible post of someone else (one open flag each: the service)."""
    return (
        post.deleted_at is None
        and post.hidden_at is None
        and not _is_author(actor, post)
        and allowed(actor, "flag_post", post.space_id)
    )


def can_withdraw_flag(actor: Actor, flag) -> bool:
    return (
        flag.state == "open"
        and flag.flagger_id == _own_id(actor, flag.space_id)
        and allowed(actor, "flag_post", flag.space_id)
    )


def can_view_queue(actor: Actor, space) -> bool:
    return allowed(actor, "moderate", space.id)


def can_view_flag_details(actor: Actor, case) -> bool:
    """Who flagged, why and with which note: only those who may act on the case, so never
    its post's author (a moderator's own post is queued without its flaggers)."""
    return (case.post_author_id != _own_id(actor, case.space_id)
            and allowed(actor, "moderate", case.space_id))


def can_claim_flag(actor: Actor, case) -> bool:
    """Claim an open case, or take it over from whoever has it; never on one's own post."""
    return case.resolved_at is None and can_view_flag_details(actor, case)


def can_release_flag(actor: Actor, case) -> bool:
    return (case.resolved_at is None
            and case.claimed_by_id is not None
            and case.claimed_by_id == _own_id(actor, case.space_id)
            and allowed(actor, "moderate", case.space_id))


def can_resolve_flag(actor: Actor, case) -> bool:
    """Whoever may claim it, unless someone else has claimed it (take it over first)."""
    return (can_claim_flag(actor, case)
            and case.claimed_by_id in (None, _own_id(actor, case.space_id)))


def can_hide_post(actor: Actor, post) -> bool:
    return (post.deleted_at is None
            and not _is_author(actor, post)
            and allowed(actor, "moderate", post.space_id))


def can_request_review(actor: Actor, post) -> bool:
    """The author of a hidden post asks for another look, once per hiding."""
    return (post.hidden_at is not None
            and post.review_requested_at is None
            and post.deleted_at is None
            and _is_author(actor, post)
            and allowed(actor, "edit_own_post", post.space_id))


def can_suspend_member(actor: Actor, membership) -> bool:
    """Facilitators suspend anyone else (members page); moderators and co-facilitators
    suspend a plain member as the outcome of a case."""
    if can_manage_member(actor, membership):
        return True
    return (membership.role == MEMBER
            and membership.id != _own_id(actor, membership.space_id)
            and allowed(actor, "moderate", membership.space_id))


def can_read_notice(actor: Actor, notice) -> bool:
    """A private notice (a warning) is for its member only."""
    return (notice.membership_id == _own_id(actor, notice.space_id)
            and allowed(actor, "view_space", notice.space_id))


def can_view_moderation_log(actor: Actor, space) -> bool:
    return allowed(actor, "read_moderation_log", space.id)


def auto_hides(author) -> bool:
    """Whether enough flags hide this author's post by themselves: never the group's leads'
    posts (they are still queued)."""
    return author.role not in _LEADS


def can(actor: Actor, rule: str, obj=None, *args) -> bool:
    """Template entry point: can('reply_thread', thread) → can_reply_thread(actor, thread)."""
    check = globals().get(f"can_{rule}")
    if check is None:
        raise KeyError(f"no policy rule can_{rule}")
    return bool(check(actor, obj, *args))


def must_accept_agreement(actor: Actor, space) -> bool:
    """A member sees nothing in the space until they accepted its current agreement."""
    membership = actor.memberships.get(space.id)
    return membership is not None and membership.agreement_version < space.agreement_version
