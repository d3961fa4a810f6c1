"""Everything the overview page shows, gathered in one read service: a fixed number of
statements whatever the number of members, posts and meetings (see
tests/test_statement_counts.py)."""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from app.overview import activity, queries, svg
from app.policy import Actor
from app.spaces.models import Space


@dataclass
class Overview:
    members: list[queries.MemberRow]
    unanswered: list
    cases: list[activity.OpenCase]
    weeks: list[activity.Week]
    chart: Markup  # inline SVG, built from escaped parts only (app/overview/svg.py)

    @property
    def silent(self) -> list[queries.MemberRow]:
        return [m for m in self.members if m.is_silent]


def overview(actor: Actor, space: Space) -> Overview:
    """403 for members of the space who may not read it, 404 for everyone else."""
    queries.require_overview(actor, space)
    weeks = activity.weekly_activity(actor, space)
    return Overview(members=queries.member_rows(actor, space),
                    unanswered=activity.unanswered_threads(actor, space),
                    cases=activity.open_cases(actor, space),
                    weeks=weeks, chart=svg.activity_chart(weeks))
