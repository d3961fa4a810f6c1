"""The thread page's posts and reactions as plain rows from statements built once per
process: building 50 ORM objects and re-deriving the statements' cache keys cost more than
the SQL itself (issue 12). Read-only: a write loads its Post through queries.get_post."""
from __future__ import annotations

from collections import namedtuple
from functools import lru_cache

from sqlalchemy import bindparam, select

from app.extensions import db
from app.forum.models import Post, Reaction
from app.spaces.models import FORMER_MEMBER, Membership, shown_name_of

_COLUMNS = tuple(Post.__table__.columns)
# A post as the page reads it: every column of Post under its attribute name, and its author
# (a Membership: shown_name, role and ended_at, as the templates use them).
PostRow = namedtuple("PostRow", [column.key for column in _COLUMNS] + ["author"])


def _posts_statement(with_planned: bool):
    in_page = Post.number.between(bindparam("first"), bindparam("last"))
    if with_planned:
        in_page = in_page | Post.number.is_(None)  # in the same query: no extra statement
    return (select(*_COLUMNS, Membership).join(Membership, Membership.id == Post.author_id)
            .where(Post.thread_id == bindparam("thread_id"),
                   Post.space_id == bindparam("space_id"), in_page)
            .order_by(Post.number))


_POSTS = {with_planned: _posts_statement(with_planned) for with_planned in (False, True)}


def page_posts(thread, first: int, last: int, *, with_planned: bool) -> list[PostRow]:
    """The posts numbered first..last (and, with_planned, the planned replies) in order."""
    rows = db.session.execute(_POSTS[with_planned], {
        "first": first, "last": last, "thread_id": thread.id, "space_id": thread.space_id})
    return [PostRow(*row) for row in rows]


@lru_cache(maxsize=8)
def _reactions_statement(former_member: str):
    # One per language: the name of a member who left anonymously is a translated literal.
    del former_member  # part of the cache key only; shown_name_of() reads it again
    return (select(Reaction.post_id, Reaction.kind, Reaction.membership_id, shown_name_of())
            .join(Membership, Membership.id == Reaction.membership_id)
            .where(Reaction.space_id == bindparam("space_id"),
                   Reaction.post_id.in_(bindparam("post_ids", expanding=True)))
            .order_by(Reaction.created_at))


def page_reactions(space_id: int, post_ids: list[int]):
    """(post id, kind, membership id, shown name) of every reaction on these posts, oldest
    first."""
    return db.session.execute(_reactions_statement(str(FORMER_MEMBER)),
                              {"space_id": space_id, "post_ids": post_ids})
