"""Rules for absences, attendance, commitments and the private calendar feed: a member
cancels and marks time away for themselves; only the facilitators see who cancelled and why,
record attendance after the start and agree a member's commitment."""
from __future__ import annotations

from app.policy.core import Actor, _own_id, allowed


def _upcoming(actor: Actor, meeting) -> bool:
    return meeting.cancelled_at is None and meeting.starts_at > actor.now


def can_send_absence(actor: Actor, meeting) -> bool:
    """"Ik meld me af" (and taking it back): for oneself, before the start, while the
    meeting goes ahead."""
    return allowed(actor, "send_absence", meeting.space_id) and _upcoming(actor, meeting)


def can_mark_away(actor: Actor, space) -> bool:
    """A period away (holiday, admission) of one's own."""
    return allowed(actor, "send_absence", space.id)


def can_remove_away(actor: Actor, away) -> bool:
    """Only the member's own period; nobody else's."""
    return (allowed(actor, "send_absence", away.space_id)
            and away.membership_id == _own_id(actor, away.space_id))


def can_view_own_attendance(actor: Actor, space) -> bool:
    """A member's own record and commitment (read-only spaces included)."""
    return allowed(actor, "view_meetings", space.id)


def can_view_attendance(actor: Actor, obj) -> bool:
    """Who is expected, who cancelled (with the reason) and who is away, per meeting or per
    member: the facilitators. `obj` is a meeting or a membership (both carry space_id)."""
    return allowed(actor, "view_attendance", obj.space_id)


def can_record_attendance(actor: Actor, meeting) -> bool:
    """After the start of a meeting that was held (not cancelled)."""
    return (allowed(actor, "record_attendance", meeting.space_id)
            and meeting.cancelled_at is None and meeting.starts_at <= actor.now)


def can_set_commitment(actor: Actor, membership) -> bool:
    """The number of meetings a member agreed to attend: set by the facilitators, for
    someone else in the group."""
    return (allowed(actor, "record_attendance", membership.space_id)
            and membership.id != _own_id(actor, membership.space_id))


def can_list_in_calendar(actor: Actor, space) -> bool:
    """The meetings of this space go into the member's private calendar feed: whoever may
    see them (not suspended, the rental started; after it ended they are history)."""
    return allowed(actor, "view_meetings", space.id)


def can_keep_calendar_feed(actor: Actor, _obj=None) -> bool:
    """Anyone logged in except a platform operator (who is in no group)."""
    return actor.user is not None and not actor.is_operator
