"""The group's rhythm settings (issue 10): open or closed group and its number of sessions,
the size the facilitators aim for, when members see the video-room link, what
co-facilitators may read, and when a member counts as silent. Part of the settings page."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from app.errors import ServiceError
from app.spaces.models import CLOSED_GROUP, GROUP_KINDS, Space

MAX_SESSIONS = 100
MAX_GROUP_SIZE = 200
MAX_ROOM_LINK_MINUTES = 240
MAX_SILENT_DAYS = 90


@dataclass(frozen=True)
class GroupRhythm:
    group_kind: str
    planned_sessions: int | None
    min_members: int | None
    max_members: int | None
    room_link_minutes: int | None
    line_for_cofacilitators: bool
    overview_for_cofacilitators: bool
    silent_after_days: int | None


def _bounded(value: int | None, field: str, low: int, high: int, current: int) -> int:
    """A number the facilitator typed within its bounds; an empty field keeps the current."""
    if value is None:
        return current
    if not low <= value <= high:
        raise ServiceError(_("Choose a number from %(low)d to %(high)d.", low=low, high=high),
                           field)
    return value


def apply_rhythm(space: Space, rhythm: GroupRhythm) -> None:
    """Check every field first, then change the space: a refused form changes nothing."""
    if rhythm.group_kind not in GROUP_KINDS:
        raise ServiceError(_("Choose an open or a closed group."), "group_kind")
    sessions = None
    if rhythm.group_kind == CLOSED_GROUP:
        if rhythm.planned_sessions is None:
            raise ServiceError(_("A closed group has a fixed number of sessions: fill it in."),
                               "planned_sessions")
        sessions = _bounded(rhythm.planned_sessions, "planned_sessions", 1, MAX_SESSIONS, 0)
    low = _bounded(rhythm.min_members, "min_members", 1, MAX_GROUP_SIZE, space.min_members)
    high = _bounded(rhythm.max_members, "max_members", 1, MAX_GROUP_SIZE, space.max_members)
    if high < low:
        raise ServiceError(_("The largest size cannot be smaller than the smallest."),
                           "max_members")
    room = _bounded(rhythm.room_link_minutes, "room_link_minutes", 0, MAX_ROOM_LINK_MINUTES,
                    space.room_link_minutes)
    silent = _bounded(rhythm.silent_after_days, "silent_after_days", 1, MAX_SILENT_DAYS,
                      space.silent_after_days)
    space.group_kind, space.planned_sessions = rhythm.group_kind, sessions
    space.min_members, space.max_members = low, high
    space.room_link_minutes, space.silent_after_days = room, silent
    space.line_for_cofacilitators = rhythm.line_for_cofacilitators
    space.overview_for_cofacilitators = rhythm.overview_for_cofacilitators
