"""The group as a whole on the overview: conversations nobody answered, reports still open,
and the activity per week (posts and the people who wrote them), one statement each."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.forum.models import ANNOUNCEMENT, Post, Thread
from app.moderation.models import ModerationCase
from app.overview.queries import published_posts, require_overview, zone
from app.policy import Actor
from app.spaces.models import Space

# A conversation counts as unanswered once it has waited this long without any reply.
UNANSWERED_AFTER = timedelta(hours=48)
UNANSWERED_SHOWN = 20  # the most recent ones; older silence is no longer news
WEEKS = 12


def unanswered_threads(actor: Actor, space: Space) -> list[Thread]:
    """Published, visible conversations (announcements aside: they ask for no answer) whose
    opening post is still alone after UNANSWERED_AFTER, newest first."""
    require_overview(actor, space)
    return list(db.session.scalars(
        select(Thread).options(joinedload(Thread.author))
        .where(Thread.space_id == space.id, Thread.post_count == 1,
               Thread.publish_at.is_(None), Thread.hidden_at.is_(None),
               Thread.title_removed_at.is_(None), Thread.kind != ANNOUNCEMENT,
               Thread.last_post_at <= actor.now - UNANSWERED_AFTER)
        .order_by(Thread.last_post_at.desc(), Thread.id.desc())
        .limit(UNANSWERED_SHOWN)))


@dataclass
class OpenCase:
    id: int
    thread: Thread
    created_at: datetime
    is_urgent: bool
    is_claimed: bool


def open_cases(actor: Actor, space: Space) -> list[OpenCase]:
    """Reports (flags) nobody has resolved yet, urgent ones first."""
    require_overview(actor, space)
    rows = db.session.execute(
        select(ModerationCase.id, Thread, ModerationCase.created_at, ModerationCase.is_urgent,
               ModerationCase.claimed_by_id)
        .join(Thread, Thread.id == ModerationCase.thread_id)
        .where(ModerationCase.space_id == space.id, ModerationCase.resolved_at.is_(None))
        .order_by(ModerationCase.is_urgent.desc(), ModerationCase.created_at,
                  ModerationCase.id))
    return [OpenCase(case_id, thread, at, bool(urgent), claimed is not None)
            for case_id, thread, at, urgent, claimed in rows]


@dataclass
class Week:
    monday: date  # local
    posts: int
    writers: int  # different people who wrote that week

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


def _start_of(day: date) -> datetime:
    """Local midnight at the start of `day` as a UTC moment (right across DST changes)."""
    return datetime.combine(day, time(0, 0), tzinfo=zone()).astimezone(timezone.utc)


def weekly_activity(actor: Actor, space: Space, weeks: int = WEEKS) -> list[Week]:
    """The last `weeks` local weeks (Monday to Sunday, the current one last): one row of
    sums, a CASE per week, so it works the same on SQLite and PostgreSQL."""
    require_overview(actor, space)
    this_monday = actor.today - timedelta(days=actor.today.weekday())
    mondays = [this_monday - timedelta(weeks=weeks - 1 - n) for n in range(weeks)]
    bounds = [_start_of(day) for day in [*mondays, this_monday + timedelta(weeks=1)]]
    columns = []
    for start, end in zip(bounds, bounds[1:]):
        in_week = (Post.created_at >= start) & (Post.created_at < end)
        columns.append(func.coalesce(func.sum(case((in_week, 1), else_=0)), 0))
        columns.append(func.count(func.distinct(case((in_week, Post.author_id)))))
    row = db.session.execute(select(*columns).where(
        published_posts(space.id), Post.created_at >= bounds[0])).one()
    return [Week(monday, int(row[2 * n] or 0), int(row[2 * n + 1] or 0))
            for n, monday in enumerate(mondays)]
