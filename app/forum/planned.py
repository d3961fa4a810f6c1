"""Reading planned content: for everyone but the group's leads a planned thread or reply does
not exist yet (404 by id, in no list); the leads see it marked, and list it at /planned."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload

from app import policy
from app.errors import NotFound, require
from app.extensions import db
from app.forum.models import Post, Thread
from app.policy import Actor
from app.spaces.models import Membership, Space

EXCERPT = 160


def _sees_planned(actor: Actor, space_id: int) -> bool:
    membership = actor.membership(space_id)
    return membership is not None and policy.can_view_planned(actor, membership.space)


def planned_visible(actor: Actor, item) -> bool:
    """A thread or post: published, or planned and the reader may see plans."""
    return item.publish_at is None or _sees_planned(actor, item.space_id)


def shows_planned_replies(actor: Actor, thread: Thread) -> bool:
    return _sees_planned(actor, thread.space_id)


def opening_post(thread: Thread) -> Post:
    return db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.number == 1))


def split_planned(posts: list[Post]) -> tuple[list[Post], list[Post]]:
    """A page's numbered posts, and the planned replies (soonest first) loaded with them."""
    planned = sorted((p for p in posts if p.number is None), key=lambda p: (p.publish_at, p.id))
    return [p for p in posts if p.number is not None], planned


@dataclass
class PlannedItem:
    kind: str  # "thread", "reply" or "item" (library material)
    item: object  # Thread, Post or LibraryItem
    publish_at: datetime
    author: Membership
    title: str | None  # a reply: its thread's title as lists show it
    thread_id: int | None
    thread_kind: str  # for an item: its kind (file, link, video)
    excerpt: str


def _excerpt(body: str) -> str:
    text = " ".join(body.split())
    return text if len(text) <= EXCERPT else text[:EXCERPT - 1].rstrip() + "…"


def planned_items(actor: Actor, space: Space) -> list[PlannedItem]:
    """Everything planned in the space, soonest first, in three queries whatever the number."""
    from app.forum.queries import listed_title
    from app.library.models import LibraryItem

    if not policy.can_view_space(actor, space):
        raise NotFound()
    require(policy.can_view_planned(actor, space))
    items = [
        PlannedItem("thread", thread, thread.publish_at, thread.author, thread.title,
                    thread.id, thread.kind, _excerpt(body))
        for thread, body in db.session.execute(
            select(Thread, Post.body)
            .join(Post, and_(Post.thread_id == Thread.id, Post.number == 1))
            .where(Thread.space_id == space.id, Thread.publish_at.is_not(None))
            .options(joinedload(Thread.author)))]
    items += [
        PlannedItem("reply", post, post.publish_at, post.author, title, post.thread_id, kind,
                    _excerpt(post.body))
        for post, title, kind in db.session.execute(
            select(Post, listed_title(), Thread.kind)
            .join(Thread, Thread.id == Post.thread_id)
            .where(Post.space_id == space.id, Post.number.is_(None),
                   Post.publish_at.is_not(None))
            .options(joinedload(Post.author)))]
    items += [
        PlannedItem("item", item, item.publish_at, item.author, item.title, None, item.kind,
                    _excerpt(item.description))
        for item in db.session.scalars(
            select(LibraryItem).where(LibraryItem.space_id == space.id,
                                      LibraryItem.publish_at.is_not(None),
                                      LibraryItem.deleted_at.is_(None))
            .options(joinedload(LibraryItem.author)))]
    return sorted(items, key=lambda i: (i.publish_at, i.kind, i.item.id))


def get_planned(actor: Actor, space: Space, kind: str, item_id: int):
    """A planned thread or reply of this space for changing its plan: another space's id, or
    one the reader may not see, is a 404. A published one comes back as it is (the view
    says it is out already)."""
    from app.forum.queries import get_post, get_thread
    from app.library.queries import get_item

    if not policy.can_view_space(actor, space):
        raise NotFound()
    require(policy.can_view_planned(actor, space))
    if kind == "l":
        return get_item(actor, space, item_id)
    if kind == "t":
        return get_thread(actor, space, item_id)
    post = get_post(actor, space, item_id)
    if post.publish_at is not None and post.number is not None:
        raise NotFound()  # the opening post of a planned thread: its plan is the thread's
    return post
