"""Rules for meetings: who sees them, plans and changes them, reads a session's script
(draaiboek) and sees the video-room link (members only, in a window around the meeting)."""
from __future__ import annotations

from datetime import timedelta

from app.policy.core import Actor, allowed


def can_view_meetings(actor: Actor, space) -> bool:
    return allowed(actor, "view_meetings", space.id)


def can_manage_meetings(actor: Actor, space) -> bool:
    """Plan one-off meetings and series, fill in a closed group's programme."""
    return allowed(actor, "manage_meetings", space.id)


def can_change_meeting(actor: Actor, meeting) -> bool:
    """Move, edit or cancel one meeting (or it and the following): not once it was cancelled
    or has ended (the record of what happened stays as it was)."""
    return (meeting.cancelled_at is None and meeting.ends_at > actor.now
            and allowed(actor, "manage_meetings", meeting.space_id))


def can_read_script(actor: Actor, meeting) -> bool:
    return allowed(actor, "read_script", meeting.space_id)


def can_see_room_link(actor: Actor, meeting) -> bool:
    """The video room: to the group only, from the space's room_link_minutes before the start
    until the end, never for a cancelled meeting."""
    membership = actor.membership(meeting.space_id)
    if (membership is None or not meeting.room_url or meeting.cancelled_at is not None
            or not allowed(actor, "view_meetings", meeting.space_id)):
        return False
    opens = meeting.starts_at - timedelta(minutes=membership.space.room_link_minutes)
    return opens <= actor.now < meeting.ends_at
