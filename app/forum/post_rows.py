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
# as the templates show one (templates/forum/_author.html: shown_name, role, ended_at).
PostRow = namedtuple("PostRow", [column.key for column in _COLUMNS] + ["author"])
AuthorRow = namedtuple("AuthorRow", ["id", "shown_name", "role", "ended_at"])
_AUTHORED = len(_COLUMNS)
# Statements of table columns, not mapped attributes: SQLAlchemy then runs them as plain Core
# statements, without the ORM's compile and result layers (a third of their time).
_MEMBERS = Membership.__table__.c


@lru_cache(maxsize=16)
def _posts_statement(with_planned: bool, former_member: str):
    # The author as plain columns, not a Membership object: building 50 of those cost more
    # than the rest of the statement. One per language, as the reactions' below.
    del former_member  # part of the cache key only; shown_name_of() reads it again
    post, author = Post.__table__.c, _MEMBERS
    in_page = post.number.between(bindparam("first"), bindparam("last"))
    if with_planned:
        in_page = in_page | post.number.is_(None)  # in the same query: no extra statement
    return (select(*_COLUMNS, author.id, shown_name_of(author), author.role, author.ended_at)
            .join(Membership.__table__, author.id == post.author_id)
            .where(post.thread_id == bindparam("thread_id"),
                   post.space_id == bindparam("space_id"), in_page)
            .order_by(post.number))


def page_posts(thread, first: int, last: int, *, with_planned: bool) -> list[PostRow]:
    """The posts numbered first..last (and, with_planned, the planned replies) in order."""
    rows = db.session.execute(_posts_statement(with_planned, str(FORMER_MEMBER)), {
        "first": first, "last": last, "thread_id": thread.id, "space_id": thread.space_id})
    return [PostRow(*row[:_AUTHORED], AuthorRow(*row[_AUTHORED:])) for row in rows]


@lru_cache(maxsize=8)
def _reactions_statement(former_member: str):
    # One per language: the name of a member who left anonymously is a translated literal.
    del former_member  # part of the cache key only; shown_name_of() reads it again
    reaction = Reaction.__table__.c
    return (select(reaction.post_id, reaction.kind, reaction.membership_id,
                   shown_name_of(_MEMBERS))
            .join(Membership.__table__, _MEMBERS.id == reaction.membership_id)
            .where(reaction.space_id == bindparam("space_id"),
                   reaction.post_id.in_(bindparam("post_ids", expanding=True)))
            .order_by(reaction.created_at))


def page_reactions(space_id: int, post_ids: list[int]):
    """(post id, kind, membership id, shown name) of every reaction on these posts, oldest
    first."""
    return db.session.execute(_reactions_statement(str(FORMER_MEMBER)),
                              {"space_id": space_id, "post_ids": post_ids})
