"""What the space menu shows its reader, from the rules beside this file: decided once per
request in one place (not by a `can()` per link in the template), and a plain value the
menu's kept HTML is keyed on (app/navigation.py)."""
from __future__ import annotations

from typing import NamedTuple

from app.policy.audit import can_view_audit
from app.policy.core import Actor
from app.policy.evaluation import can_view_evaluations
from app.policy.forum import can_search_space
from app.policy.intake import can_manage_intake
from app.policy.library import can_view_planned
from app.policy.line import can_have_line, can_use_line
from app.policy.meetings import can_view_meetings
from app.policy.moderation import can_view_queue
from app.policy.overview import can_view_overview
from app.policy.spaces import can_edit_space, can_invite_member


class SpaceMenu(NamedTuple):
    meetings: bool
    search: bool
    line: bool
    own_line: bool  # the link says "Line with the facilitators" rather than "Lines with members"
    queue: bool
    evaluations: bool
    overview: bool
    planned: bool
    intake: bool
    invite: bool
    settings: bool
    audit: bool


def space_menu(actor: Actor, space) -> SpaceMenu:
    """The links of the space menu this reader may follow."""
    line = can_use_line(actor, space)
    return SpaceMenu(
        meetings=can_view_meetings(actor, space),
        search=can_search_space(actor, space),
        line=line,
        own_line=line and can_have_line(actor, space),
        queue=can_view_queue(actor, space),
        evaluations=can_view_evaluations(actor, space),
        overview=can_view_overview(actor, space),
        planned=can_view_planned(actor, space),
        intake=can_manage_intake(actor, space),
        invite=can_invite_member(actor, space),
        settings=can_edit_space(actor, space),
        audit=can_view_audit(actor, space),
    )
