"""The core of the rulebook: roles, the one role → permission table, the actor, and
`allowed`, which also applies the rental period. The rules themselves live beside it."""
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
    # Retitling someone else's thread: the group's leads and moderators (a rename is a
    # moderation action, logged). Authors retitle their own threads under "edit_own_post".
    "edit_thread_title": frozenset({MODERATOR, COFACILITATOR, FACILITATOR}),
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
    "view_queue": frozenset({MODERATOR, COFACILITATOR, FACILITATOR}),
    "moderate": frozenset({MODERATOR, COFACILITATOR, FACILITATOR}),
    "read_moderation_log": frozenset({FACILITATOR}),
    # Removing a post for good (text and revisions erased): the group's facilitators only.
    "erase_post": frozenset({FACILITATOR}),
    # Files attached to posts and library items (app/uploads).
    "upload_file": _IN_GROUP,
    # The library: every member adds material; the leads mark theirs "from the facilitators",
    # edit or remove anyone's, keep the space's own categories and see planned material.
    "add_material": _IN_GROUP,
    "lead_material": _LEADS,
    # Planned content (app/forum/schedule.py): written now, published at a set time.
    "schedule": _LEADS,
    "view_planned": _LEADS,
    # Statements and assignments (app/policy/seeding.py): everyone in the group takes a
    # position; the leads see the counts before choosing and who answered an assignment.
    "take_position": _IN_GROUP,
    "view_statement_results": _LEADS,
    "view_assignment_responses": _LEADS,
    # The rhythm of the group (issue 10). Meetings: the facilitators plan them; everyone in
    # the group sees them and cancels for themselves; the facilitators see who cancelled
    # (and why) and record attendance.
    "view_meetings": _IN_GROUP,
    "manage_meetings": frozenset({FACILITATOR}),
    "read_script": _LEADS,  # a session's draaiboek: the group's leads, never the members
    "send_absence": _IN_GROUP,
    "view_attendance": frozenset({FACILITATOR}),
    "record_attendance": frozenset({FACILITATOR}),
    # Intake, waiting list and the end of a membership: the facilitators.
    "manage_intake": frozenset({FACILITATOR}),
    "plan_departure": frozenset({FACILITATOR}),
    # The facilitators' line: a member writes to the group's leads; co-facilitators read the
    # line and the participation overview only where the space allows it (the rules in
    # app/policy/line.py and app/policy/overview.py apply that setting).
    "open_line": _IN_GROUP,
    "read_line": _LEADS,
    "view_overview": _LEADS,
    # Evaluation at the end of a trajectory, and private notes per member.
    "send_evaluation": frozenset({FACILITATOR}),
    "answer_evaluation": _IN_GROUP,
    "keep_notes": frozenset({FACILITATOR}),
    # Reading the answers stays possible after the rental ends, sending does not.
    "read_evaluation_answers": frozenset({FACILITATOR}),
    # Trust (issue 11): the space's audit trail, and a copy of the whole space as a zip
    # (both stay possible after the rental ends, during the grace period before the purge).
    "view_audit": frozenset({FACILITATOR}),
    "export_space": frozenset({FACILITATOR}),
}
# The rental period bounds everything else: before it starts a space cannot be entered, after
# it ends it can only be read. Leaving the group stays possible at any time.
_ALWAYS = frozenset({"leave_space"})
_READING = frozenset({"view_space", "view_queue", "read_moderation_log",
                      "view_statement_results", "view_assignment_responses",
                      "view_meetings", "read_script", "view_attendance", "read_line",
                      "view_overview", "keep_notes", "read_evaluation_answers",
                      "view_audit", "export_space"}) | _ALWAYS
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


def readable_memberships(actor: Actor) -> dict:
    """The actor's memberships in spaces they may read now (not suspended), by space id:
    the filter for lists that span spaces, such as notifications."""
    return {space_id: m for space_id, m in actor.memberships.items()
            if allowed(actor, "view_space", space_id)}


def _is_author(actor: Actor, item) -> bool:
    """The actor wrote this post or started this thread (both carry author_id, space_id)."""
    own = actor.memberships.get(item.space_id)
    return own is not None and own.id == item.author_id


def _own_id(actor: Actor, space_id: int) -> int | None:
    own = actor.memberships.get(space_id)
    return None if own is None else own.id
