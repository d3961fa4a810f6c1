"""Reads for moderation: the queue grouped by post with its context, one case, a flagger's
view of their own flag, the log with its filters, and a member's private notices. The
queue takes a fixed number of statements however many flags are open."""
from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, false, select
from sqlalchemy.orm import aliased

from app import policy
from app.errors import Forbidden, NotFound, require
from app.extensions import db
from app.forum.models import Post, Thread
from app.forum.queries import listed_title
from app.moderation.flags import why_not_flag
from app.moderation.models import (
    FLAG_HANDLED, FLAG_OPEN, FLAG_WITHDRAWN, Flag, MemberNotice, ModerationCase, ModerationLog,
)
from app.moderation.notices import moderators
from app.policy import Actor
from app.spaces.models import Membership, Space, shown_name_of

STATS_WINDOW = timedelta(days=30)


def visible_cases(actor: Actor, space: Space):
    """SQL scope: the cases of this space the actor may see in the queue (none for members).
    Who flagged is a further rule per case (policy.can_view_flag_details)."""
    if not policy.can_view_queue(actor, space):
        return false()
    return ModerationCase.space_id == space.id


@dataclass
class FlagRow:
    flag: Flag
    flagger_name: str


@dataclass
class ContextPost:
    post: Post
    author_name: str


@dataclass
class QueueItem:
    case: ModerationCase
    post: Post
    author: Membership
    thread_title: str | None  # None: the title was removed by its author
    claimer_name: str | None
    may_act: bool  # False on the actor's own post: no flaggers, reasons or notes shown
    flags: list[FlagRow] = field(default_factory=list)
    context: list[ContextPost] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        return sorted({row.flag.reason for row in self.flags})


@dataclass
class QueuePage:
    items: list[QueueItem]
    urgent: int
    unclaimed: int
    auto_hidden: int
    median_to_claim: timedelta | None
    median_to_resolve: timedelta | None
    others: list[str]  # who may act where the actor may not (their own posts)
    now: datetime

    @property
    def open(self) -> int:
        return len(self.items)


def _items(actor: Actor, space: Space, where) -> list[QueueItem]:
    """Cases with their post, author, title and claimer; then, in one statement each, the
    open flags with their flaggers and the posts around each flagged post."""
    author, claimer = aliased(Membership), aliased(Membership)
    rows = db.session.execute(
        select(ModerationCase, Post, author, listed_title(), shown_name_of(claimer))
        .join(Post, Post.id == ModerationCase.post_id)
        .join(Thread, Thread.id == ModerationCase.thread_id)
        .join(author, author.id == ModerationCase.post_author_id)
        .outerjoin(claimer, claimer.id == ModerationCase.claimed_by_id)
        .where(visible_cases(actor, space), where)
        .order_by(ModerationCase.is_urgent.desc(), ModerationCase.created_at, ModerationCase.id)
    ).all()
    items = [QueueItem(case=c, post=p, author=a, thread_title=t, claimer_name=n,
                       may_act=policy.can_view_flag_details(actor, c))
             for c, p, a, t, n in rows]
    if not items:
        return items
    by_case = {item.case.id: item for item in items}
    flagger = aliased(Membership)
    for flag, name in db.session.execute(
            select(Flag, shown_name_of(flagger)).join(flagger, flagger.id == Flag.flagger_id)
            .where(Flag.space_id == space.id, Flag.case_id.in_(list(by_case)),
                   Flag.state.in_((FLAG_OPEN, FLAG_HANDLED)))
            .order_by(Flag.created_at, Flag.id)):
        item = by_case[flag.case_id]
        if item.may_act and (flag.state == FLAG_OPEN or item.case.resolved_at is not None):
            item.flags.append(FlagRow(flag, name))
    flagged, writer = aliased(Post), aliased(Membership)
    for case_id, post, name in db.session.execute(
            select(ModerationCase.id, Post, shown_name_of(writer))
            .join(flagged, flagged.id == ModerationCase.post_id)
            .join(Post, and_(Post.thread_id == flagged.thread_id,
                             Post.number.between(flagged.number - 1, flagged.number + 1),
                             Post.id != flagged.id))
            .join(writer, writer.id == Post.author_id)
            .where(ModerationCase.id.in_(list(by_case)), Post.space_id == space.id)
            .order_by(Post.number)):
        by_case[case_id].context.append(ContextPost(post, name))
    return items


def _median(values: list[timedelta]) -> timedelta | None:
    return statistics.median(values) if values else None


def queue_page(actor: Actor, space: Space) -> QueuePage:
    require(policy.can_view_queue(actor, space))
    items = _items(actor, space, ModerationCase.resolved_at.is_(None))
    since = actor.now - STATS_WINDOW
    timings = db.session.execute(
        select(ModerationCase.created_at, ModerationCase.first_claimed_at,
               ModerationCase.resolved_at)
        .where(ModerationCase.space_id == space.id, ModerationCase.created_at >= since)).all()
    others = []
    if any(not item.may_act for item in items):
        me = actor.membership(space.id).id
        own_authors = {item.case.post_author_id for item in items if not item.may_act}
        others = [m.display_name for m in moderators(space.id, without=own_authors | {me})]
    return QueuePage(
        items=items, urgent=sum(i.case.is_urgent for i in items),
        unclaimed=sum(i.case.claimed_by_id is None for i in items),
        auto_hidden=sum(i.case.is_auto_hidden for i in items),
        median_to_claim=_median([c - o for o, c, _r in timings if c is not None]),
        median_to_resolve=_median([r - o for o, _c, r in timings if r is not None]),
        others=others, now=actor.now)


def get_case(actor: Actor, space: Space, case_id: int) -> ModerationCase:
    """A case of this space (another space's id: 404) for those who see the queue (403)."""
    case = db.session.scalar(select(ModerationCase).where(
        ModerationCase.id == case_id, ModerationCase.space_id == space.id))
    if case is None or not policy.can_view_space(actor, space):
        raise NotFound()
    require(policy.can_view_queue(actor, space))
    return case


def case_item(actor: Actor, space: Space, case: ModerationCase) -> QueueItem:
    return _items(actor, space, ModerationCase.id == case.id)[0]


def case_history(actor: Actor, case: ModerationCase) -> list[ModerationLog]:
    """What was done on this case, oldest first (the flag rows name no flagger)."""
    return list(db.session.scalars(select(ModerationLog).where(
        ModerationLog.space_id == case.space_id, ModerationLog.case_id == case.id)
        .order_by(ModerationLog.created_at, ModerationLog.id)))


# --- the flagger's and the author's side ------------------------------------------------------

@dataclass
class MyFlag:
    flag: Flag
    status: str  # received, picked_up, handled, withdrawn (labels.FLAG_STATUS_LABELS)

    @property
    def is_open(self) -> bool:
        return self.flag.state == FLAG_OPEN


def my_flag(actor: Actor, post: Post) -> MyFlag | None:
    """The actor's latest flag on this post and how far it got (never how it was handled)."""
    me = actor.membership(post.space_id)
    row = db.session.execute(
        select(Flag, ModerationCase.first_claimed_at).join(
            ModerationCase, ModerationCase.id == Flag.case_id)
        .where(Flag.post_id == post.id, Flag.flagger_id == me.id)
        .order_by(Flag.created_at.desc(), Flag.id.desc()).limit(1)).first()
    if row is None:
        return None
    flag, claimed = row
    if flag.state == FLAG_WITHDRAWN:
        status = "withdrawn"
    elif flag.state == FLAG_HANDLED:
        status = "handled"
    else:
        status = "picked_up" if claimed is not None else "received"
    return MyFlag(flag, status)


@dataclass
class FlagPage:
    post: Post
    mine: MyFlag | None
    may_flag: bool  # a new flag may be made now (none of theirs is open)


def flag_page(actor: Actor, post: Post) -> FlagPage:
    """What the flag page shows: the actor's flag and its status, the form, or both. Someone
    who may not flag and never flagged this post is told why (403)."""
    mine = my_flag(actor, post)
    may_flag = policy.can_flag_post(actor, post) and (mine is None or mine.flag.state != FLAG_OPEN)
    if mine is None and not may_flag:
        raise Forbidden(why_not_flag(actor, post))
    return FlagPage(post=post, mine=mine, may_flag=may_flag)


def my_notices(actor: Actor, space: Space) -> list[MemberNotice]:
    if not policy.can_view_space(actor, space):
        raise NotFound()
    me = actor.membership(space.id)
    return list(db.session.scalars(select(MemberNotice).where(
        MemberNotice.space_id == space.id, MemberNotice.membership_id == me.id)
        .order_by(MemberNotice.created_at.desc())))
