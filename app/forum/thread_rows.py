"""The space home's conversation lists as plain rows from statements built once per process:
each conversation with its author and the reader's read position, in one statement per list.
Building the statements and a Thread and Membership object per row cost more than the SQL
(issue 12). Read-only: a write loads its Thread through queries.get_thread."""
from __future__ import annotations

from collections import namedtuple
from functools import lru_cache

from sqlalchemy import and_, bindparam, select

from app.extensions import db
from app.forum.models import ANNOUNCEMENT, ReadState, Thread
from app.forum.post_rows import AuthorRow
from app.paging import counter
from app.spaces.models import FORMER_MEMBER, Membership, shown_name_of

_THREAD = Thread.__table__.c
_MEMBERS = Membership.__table__.c
_READ = ReadState.__table__.c
# A conversation as a list shows it: every column of Thread under its attribute name, and its
# author as templates/forum/_author.html shows one.
ListedThread = namedtuple("ListedThread", [column.key for column in _THREAD] + ["author"])
_AUTHORED = len(_THREAD)

# The lists: pinned conversations (announcements first) above the others on the all-tab;
# the others by latest activity, a page at a time; a kind's tab, pinned first, as one list.
PINNED, OTHERS, OF_KIND = "pinned", "others", "of_kind"


def _listed(which: str):
    """The list's conditions (planned conversations are not there yet for the group)."""
    conditions = [_THREAD.space_id == bindparam("space_id"), _THREAD.publish_at.is_(None)]
    if which == PINNED:
        conditions.append(_THREAD.is_pinned.is_(True))
    elif which == OTHERS:
        conditions.append(_THREAD.is_pinned.is_(False))
    else:
        conditions.append(_THREAD.kind == bindparam("kind"))
    return conditions


_ORDER = {
    PINNED: ((_THREAD.kind == ANNOUNCEMENT).desc(), _THREAD.last_post_at.desc()),
    OTHERS: (_THREAD.last_post_at.desc(), _THREAD.id.desc()),
    OF_KIND: (_THREAD.is_pinned.desc(), _THREAD.last_post_at.desc(), _THREAD.id.desc()),
}
# How far each paged list goes (app/paging.reach), counted without ordering.
COUNTERS = {which: counter(select(_THREAD.id).where(*_listed(which)))
            for which in (OTHERS, OF_KIND)}


@lru_cache(maxsize=16)
def _statement(which: str, former_member: str):
    # One per language: the name of a member who left anonymously is a translated literal.
    del former_member  # part of the cache key only; shown_name_of() reads it again
    statement = (
        select(*_THREAD, _MEMBERS.id, shown_name_of(_MEMBERS), _MEMBERS.role,
               _MEMBERS.ended_at, _READ.last_read_number)
        .join(Membership.__table__, _MEMBERS.id == _THREAD.author_id)
        .outerjoin(ReadState.__table__, and_(_READ.thread_id == _THREAD.id,
                                             _READ.membership_id == bindparam("me")))
        .where(*_listed(which)).order_by(*_ORDER[which]))
    if which != PINNED:
        statement = statement.limit(bindparam("limit")).offset(bindparam("offset"))
    return statement


def listed_threads(which: str, *, space_id: int, me: int, kind: str | None = None,
                   limit: int | None = None, offset: int = 0) -> list[tuple]:
    """(ListedThread, the reader's last read post number or None) of one list, in order."""
    params = {"space_id": space_id, "me": me}
    if which == OF_KIND:
        params["kind"] = kind
    if which != PINNED:
        params.update(limit=limit, offset=offset)
    rows = db.session.execute(_statement(which, str(FORMER_MEMBER)), params)
    return [(ListedThread(*row[:_AUTHORED], AuthorRow(*row[_AUTHORED:-1])), row[-1])
            for row in rows]
