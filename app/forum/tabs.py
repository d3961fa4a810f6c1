"""The space home's tabs: all conversations, or only the announcements, assignments or
statements, each with how many of its conversations have messages the reader has not seen."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, func, select

from app import policy
from app.extensions import db
from app.forum import queries, seed_queries, thread_rows
from app.forum.models import (
    ANNOUNCEMENT, ASSIGNMENT, STATEMENT, THREADS_PER_PAGE, ReadState, Thread,
)
from app.paging import reach
from app.policy import Actor
from app.spaces.models import Space

ALL = ""  # the tab without ?kind=
TAB_KINDS = (ANNOUNCEMENT, ASSIGNMENT, STATEMENT)
TAB_LABELS = {
    ALL: _l("All conversations"),
    ANNOUNCEMENT: _l("Announcements"),
    ASSIGNMENT: _l("Assignments"),
    STATEMENT: _l("Statements"),
}
EMPTY_TEXTS = {
    ALL: _l("No conversations yet."),
    ANNOUNCEMENT: _l("There are no announcements yet."),
    ASSIGNMENT: _l("There are no assignments yet."),
    STATEMENT: _l("There are no statements yet."),
}
assert TAB_LABELS.keys() == EMPTY_TEXTS.keys() == {ALL, *TAB_KINDS}
# A tab says "99+" past this (templates/forum/_tabs.html).
UNREAD_CAP = 100


@dataclass
class Tab:
    key: str  # ALL or a thread kind
    unread: int  # conversations in it with messages the reader has not seen

    @property
    def label(self):
        return TAB_LABELS[self.key]


@dataclass
class TabbedHome:
    home: queries.HomePage
    tab: str
    tabs: list[Tab]

    @property
    def label(self):
        return TAB_LABELS[self.tab]

    @property
    def empty_text(self):
        return EMPTY_TEXTS[self.tab]


def tab_arg(value: str | None) -> str:
    """?kind= as one of the tabs; anything else (absent, unknown, "discussion") is all."""
    return value if value in TAB_KINDS else ALL


def space_home_tab(actor: Actor, space: Space, tab: str, page: int = 1) -> TabbedHome:
    """The all-tab is the space home as it always was (pinned on page 1, then by activity).
    A kind tab is one list, pinned first, then by activity, paginated as a whole: in the
    announcements tab nearly everything is pinned, and a list split in two would leave the
    pages after the first empty."""
    if tab == ALL:
        home = queries.space_home(actor, space, page)
    else:
        home = _kind_home(actor, space, tab, page)
    unread = _unread_by_tab(actor, space)
    tabs = [Tab(key, unread[key]) for key in (ALL, *TAB_KINDS)]
    return TabbedHome(home=home, tab=tab, tabs=tabs)


def _kind_home(actor: Actor, space: Space, kind: str, page: int) -> queries.HomePage:
    queries._require_view(actor, space)
    counted = reach(thread_rows.COUNTERS[thread_rows.OF_KIND], page, THREADS_PER_PAGE,
                    params={"space_id": space.id, "kind": kind})
    page = counted.page
    rows = queries.home_list(actor, space, thread_rows.OF_KIND, page, kind=kind)
    seed_queries.mark_rows(actor, space, rows)  # due dates, positions taken: as the all-tab
    return queries.HomePage(pinned=[], threads=rows, page=page, pages=counted.pages,
                            more=counted.more)


def _unread_by_tab(actor: Actor, space: Space) -> dict[str, int]:
    """Tab -> conversations with unread messages, counted as the list marks them (a
    conversation hidden by a moderator carries no marker for those who cannot read it),
    each only up to UNREAD_CAP: a space with 20,000 conversations is never counted whole.
    One statement for all tabs."""
    queries._require_view(actor, space)
    statement = _unread_statement(policy.can_view_hidden_threads(actor, space))
    counts = db.session.execute(statement, {"space_id": space.id,
                                            "me": actor.membership(space.id).id}).one()
    return dict(zip((ALL, *TAB_KINDS), counts))


@lru_cache(maxsize=2)
def _unread_statement(sees_hidden: bool):
    """Built once per process for each kind of reader (the home runs it on every request)."""
    thread, read = Thread.__table__.c, ReadState.__table__.c
    unread = [thread.space_id == bindparam("space_id"), thread.publish_at.is_(None),
              thread.post_count > func.coalesce(read.last_read_number, 0)]
    if not sees_hidden:
        unread.append(thread.hidden_at.is_(None))

    def capped(*of_tab):
        found = (select(thread.id)
                 .outerjoin(ReadState.__table__, and_(read.thread_id == thread.id,
                                                      read.membership_id == bindparam("me")))
                 .where(*unread, *of_tab).limit(UNREAD_CAP).subquery())
        return select(func.count()).select_from(found).scalar_subquery()
    return select(capped(), *(capped(thread.kind == kind) for kind in TAB_KINDS))
