"""Read services for the forum. Everything is loaded through the space named in the URL and
in a fixed number of queries, whatever the number of threads, posts or reactions."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import String, and_, bindparam, case, literal, null, select
from sqlalchemy.orm import joinedload

from app import policy
from app.errors import NotFound, require
from app.extensions import db
from app.forum import seed_queries, thread_rows
from app.forum.labels import HIDDEN_MARK
from app.forum.models import (
    POSTS_PER_PAGE, REACTIONS, THREAD_KINDS, THREADS_PER_PAGE, Post, ReadState, Thread,
)
from app.paging import reach
from app.forum.planned import planned_visible, shows_planned_replies, split_planned
from app.forum.post_rows import page_posts, page_reactions
from app.policy import Actor
from app.spaces.models import Space
from app.uploads.queries import attachments_for_posts


def _require_view(actor: Actor, space: Space) -> None:
    if not policy.can_view_space(actor, space):
        raise NotFound()


@dataclass
class ThreadRow:
    thread: Thread
    last_read: int | None  # None: never opened
    mark: object = None  # a statement's or assignment's note for the reader (seed_queries.RowMark)

    @property
    def unread(self) -> int:
        return self.thread.post_count - (self.last_read or 0)

    @property
    def first_unread(self) -> int:
        return min((self.last_read or 0) + 1, self.thread.post_count)

    @property
    def first_unread_page(self) -> int:
        return page_of(self.first_unread)


@dataclass
class HomePage:
    pinned: list[ThreadRow]
    threads: list[ThreadRow]
    page: int
    pages: int  # the last page known to exist (app/paging.py)
    more: bool = False  # ... and there are pages after it, not counted


def page_of(number: int) -> int:
    return max(1, (number - 1) // POSTS_PER_PAGE + 1)


def home_list(actor: Actor, space: Space, which: str, page: int = 1, *,
              kind: str | None = None) -> list[ThreadRow]:
    """One of the home's lists (thread_rows.PINNED, OTHERS, OF_KIND), a page at a time."""
    found = thread_rows.listed_threads(
        which, space_id=space.id, me=actor.membership(space.id).id, kind=kind,
        limit=THREADS_PER_PAGE, offset=(page - 1) * THREADS_PER_PAGE)
    return [ThreadRow(thread, last_read) for thread, last_read in found]


def space_home(actor: Actor, space: Space, page: int = 1) -> HomePage:
    """Pinned threads (announcements first) on the first page, then the others by latest
    activity, paginated. Planned threads do not exist for the group yet (the leads find
    them at /planned)."""
    _require_view(actor, space)
    counted = reach(thread_rows.COUNTERS[thread_rows.OTHERS], page, THREADS_PER_PAGE,
                    params={"space_id": space.id})
    page = counted.page
    pinned = home_list(actor, space, thread_rows.PINNED) if page == 1 else []
    threads = home_list(actor, space, thread_rows.OTHERS, page)
    seed_queries.mark_rows(actor, space, pinned + threads)
    return HomePage(pinned=pinned, threads=threads, page=page, pages=counted.pages,
                    more=counted.more)


# Every thread page and write runs these: built once (building them cost more than the SQL).
_THREAD = select(Thread).where(Thread.id == bindparam("thread_id"),
                               Thread.space_id == bindparam("space_id"))
_READ = ReadState.__table__.c
_LAST_READ = select(_READ.last_read_number).where(_READ.thread_id == bindparam("thread_id"),
                                                  _READ.membership_id == bindparam("me"))
_THREAD_READ = (select(Thread, _READ.last_read_number)
                .outerjoin(ReadState.__table__, and_(_READ.thread_id == Thread.id,
                                                     _READ.membership_id == bindparam("me")))
                .where(Thread.id == bindparam("thread_id"),
                       Thread.space_id == bindparam("space_id")))


def get_thread(actor: Actor, space: Space, thread_id: int) -> Thread:
    _require_view(actor, space)
    thread = db.session.scalar(_THREAD, {"thread_id": thread_id, "space_id": space.id})
    if thread is None or not planned_visible(actor, thread):
        raise NotFound()
    return thread


def get_thread_read(actor: Actor, space: Space, thread_id: int) -> tuple[Thread, int | None]:
    """The thread as get_thread gives it, and the reader's last read post number (None:
    never opened), in one statement: the thread page needs both."""
    _require_view(actor, space)
    found = db.session.execute(_THREAD_READ, {"thread_id": thread_id, "space_id": space.id,
                                              "me": actor.membership(space.id).id}).first()
    if found is None or not planned_visible(actor, found[0]):
        raise NotFound()
    return found[0], found[1]


def get_thread_for_title_edit(actor: Actor, space: Space, thread_id: int) -> Thread:
    thread = get_thread(actor, space, thread_id)
    require(policy.can_edit_thread_title(actor, thread))
    return thread


def listed_title():
    """SQL for a thread's title as lists show it: NULL once the author deleted the opening
    post (the page then says "conversation deleted"), HIDDEN_MARK while a moderator hides
    the conversation (labels.shown_title turns both into words)."""
    return case((Thread.title_removed_at.is_not(None), null()),
                (Thread.hidden_at.is_not(None), literal(HIDDEN_MARK, String)),
                else_=Thread.title)


def startable_kinds(actor: Actor, space: Space) -> list[str]:
    """The thread kinds this actor may start here (empty: replying only)."""
    _require_view(actor, space)
    return [kind for kind in THREAD_KINDS if policy.can_start_thread(actor, space, kind)]


def get_post_for_edit(actor: Actor, space: Space, post_id: int) -> Post:
    post = get_post(actor, space, post_id)
    require(policy.can_edit_post(actor, post))
    return post


def get_post(actor: Actor, space: Space, post_id: int) -> Post:
    """A post of this space; in a hidden conversation only for those who moderate."""
    _require_view(actor, space)
    post = db.session.scalar(select(Post).where(Post.id == post_id, Post.space_id == space.id)
                             .options(joinedload(Post.thread)))
    if (post is None or not _thread_readable(actor, post.thread)
            or not planned_visible(actor, post)):
        raise NotFound()
    return post


def _thread_readable(actor: Actor, thread: Thread) -> bool:
    """A conversation hidden by a moderator keeps only its place in the list for members:
    no title, no messages."""
    return thread.hidden_at is None or policy.can_view_hidden_thread(actor, thread)


def last_read(actor: Actor, thread: Thread) -> int | None:
    return db.session.scalar(_LAST_READ, {"thread_id": thread.id,
                                          "me": actor.membership(thread.space_id).id})


@dataclass
class ReactionSummary:
    kind: str
    emoji: str
    names: list[str] = field(default_factory=list)
    mine: bool = False

    @property
    def count(self) -> int:
        return len(self.names)


@dataclass
class ThreadPage:
    thread: Thread
    posts: list[Post]
    reactions: dict[int, list[ReactionSummary]]
    page: int
    pages: int
    first_unread: int | None  # post number of the first unread post on entry, if any
    my_reactions: dict[int, set[str]]  # post id -> the kinds the reader gave
    attachments: dict = field(default_factory=dict)  # post id -> [Upload] (one query)
    kind_panel: object = None  # a statement's poll or an assignment's panel (seed_queries.py)
    planned: list[Post] = field(default_factory=list)  # planned replies (leads, last page)


def thread_page(actor: Actor, thread: Thread, page: int, *, last_read_number: int | None
                ) -> ThreadPage:
    if not _thread_readable(actor, thread):
        return ThreadPage(thread=thread, posts=[], reactions={}, page=1, pages=1,
                          first_unread=None, my_reactions={})
    pages = max(1, page_of(thread.post_count))
    page = min(max(1, page), pages)
    first = (page - 1) * POSTS_PER_PAGE + 1
    posts = page_posts(thread, first, first + POSTS_PER_PAGE - 1,
                       with_planned=page == pages and shows_planned_replies(actor, thread))
    posts, planned = split_planned(posts)
    me = actor.membership(thread.space_id).id
    reactions: dict[int, dict[str, ReactionSummary]] = {}
    if posts:
        rows = page_reactions(thread.space_id, [p.id for p in posts])
        for post_id, kind, member_id, name in rows:
            summary = reactions.setdefault(post_id, {}).setdefault(
                kind, ReactionSummary(kind, REACTIONS.get(kind, "")))
            summary.names.append(name)
            summary.mine = summary.mine or member_id == me
    ordered = {
        post_id: [by_kind[k] for k in REACTIONS if k in by_kind]
        for post_id, by_kind in reactions.items()
    }
    unread = None
    if last_read_number is not None and last_read_number < thread.post_count:
        unread = last_read_number + 1
    mine = {post_id: {s.kind for s in summaries if s.mine} for post_id, summaries in ordered.items()}
    return ThreadPage(thread=thread, posts=posts, reactions=ordered, page=page, pages=pages,
                      first_unread=unread, my_reactions=mine, planned=planned,
                      attachments=attachments_for_posts(
                          thread.space_id, [p.id for p in posts + planned]),
                      kind_panel=seed_queries.kind_panel(actor, thread))

