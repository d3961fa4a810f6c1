"""Searching the posts of one space: the reader's words become an index query built from word
characters only (no FTS or tsquery syntax of theirs reaches the database), one statement per
page whatever the number of posts, newest first, with a next-page check instead of a count."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import column, func, literal, literal_column, select, table
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.sql.expression import cast

from app import policy
from app.errors import NotFound
from app.extensions import db
from app.forum.labels import shown_title
from app.forum.models import Post, Thread
from app.forum.queries import listed_title, page_of
from app.policy import Actor
from app.search.highlight import highlighted
from app.search.index import START, STOP, postgresql_space_term, sqlite_space_term
from app.spaces.models import Membership, Space, shown_name_of

QUERY_MAX = 200  # characters
TERMS_MAX = 20
RESULTS_PER_PAGE = 20
PREFIX_MIN = 3  # the last word also finds longer words from this length ("fiets" → "fietsen")
_WORD = re.compile(r"[^\W_]+")  # letters and digits: "_" separates, as in both indexes

NO_WORDS = _l("Type one or more words to search for.")
TOO_LONG = _l("Your search is too long: use at most %(chars)d characters and %(words)d words.",
              chars=QUERY_MAX, words=TERMS_MAX)


class BadQuery(ValueError):
    """A search that cannot run; the message says why, for the reader."""


def terms_of(raw: str) -> list[str]:
    """The words of a search (letters and digits; every other character separates them)."""
    if len(raw) > QUERY_MAX:
        raise BadQuery(TOO_LONG)
    terms = _WORD.findall(raw.lower())
    if not terms:
        raise BadQuery(NO_WORDS)
    if len(terms) > TERMS_MAX:
        raise BadQuery(TOO_LONG)
    return terms


@dataclass
class Result:
    post_id: int
    thread_id: int
    number: int
    created_at: datetime
    title: str
    author_name: str
    snippet: Markup

    @property
    def page(self) -> int:
        return page_of(self.number)


@dataclass
class ResultPage:
    results: list[Result]
    page: int
    has_next: bool


def search_posts(actor: Actor, space: Space, raw: str, page: int = 1) -> ResultPage:
    """What the reader may read in this space that contains every word (the last one also as
    the start of a longer word): published posts, not deleted, hidden or erased, in
    conversations that are neither hidden nor planned."""
    if not policy.can_search_space(actor, space):
        raise NotFound()
    page = max(1, page)
    rows = db.session.execute(search_statement(space, terms_of(raw), page)).all()
    results = [Result(post_id, thread_id, number, created_at, shown_title(title), name,
                      highlighted(snippet))
               for post_id, snippet, thread_id, number, created_at, title, name
               in rows[:RESULTS_PER_PAGE]]
    return ResultPage(results=results, page=page, has_next=len(rows) > RESULTS_PER_PAGE)


def search_statement(space: Space, terms: list[str], page: int):
    """One page of results (and one row more, to know whether there is a next page)."""
    matched = (_postgresql if db.engine.dialect.name == "postgresql" else _sqlite)(space, terms)
    return (
        matched.add_columns(Post.thread_id, Post.number, Post.created_at, listed_title(),
                            shown_name_of())
        .join(Post, Post.id == matched.selected_columns.post_id)
        .join(Thread, Thread.id == Post.thread_id)
        .join(Membership, Membership.id == Post.author_id)
        .where(Post.space_id == space.id, Thread.space_id == space.id,
               # The index holds only what the group may read; checked again here, and the
               # conversation's own state, which the index does not follow.
               Post.number.is_not(None), Post.publish_at.is_(None), Post.deleted_at.is_(None),
               Post.hidden_at.is_(None), Post.erased_at.is_(None),
               Thread.hidden_at.is_(None), Thread.publish_at.is_(None))
        .limit(RESULTS_PER_PAGE + 1).offset((page - 1) * RESULTS_PER_PAGE))


# --- the dialect switch: the only SQL of either index outside app/search/index.py ----------

def _sqlite(space: Space, terms: list[str]):
    """FTS5: each word a quoted string (its syntax is never the reader's), all required,
    within the space's own term."""
    words = [f'"{term}"' for term in terms]
    if len(terms[-1]) >= PREFIX_MIN:
        words[-1] += " *"
    expression = f'space : "{sqlite_space_term(space.id)}" AND body : ({" AND ".join(words)})'
    fts = table("post_search", column("rowid"))
    whole = literal_column("post_search")
    return (select(fts.c.rowid.label("post_id"),
                   func.snippet(whole, 1, START, STOP, "…", 24).label("snippet"))
            .select_from(fts)
            .where(whole.op("MATCH")(expression))
            .order_by(fts.c.rowid.desc()))


_HEADLINE = (f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, ShortWord=2,"
             " MaxFragments=2, FragmentDelimiter=\" … \"")


def _postgresql(space: Space, terms: list[str]):
    """tsvector with the Dutch configuration (stemming: "schulden" finds "schuld"): each word
    quoted into to_tsquery, all required, together with the space's own lexeme; a search of
    stop words only ("de het") finds nothing rather than the whole space."""
    words = [f"'{term}'" for term in terms]
    if len(terms[-1]) >= PREFIX_MIN:
        words[-1] += ":*"
    words_query = func.to_tsquery("dutch", " & ".join(words))
    in_space = cast(literal(f"'{postgresql_space_term(space.id)}'"), TSQUERY)
    index = table("post_search", column("post_id"), column("space_id"), column("document"))
    # The matches first, from the GIN index alone (MATERIALIZED: the planner may not fold
    # it into the join). Otherwise it misjudges a prefix search and tests every post of the
    # space against the words instead (34 ms rather than a few at 10,000 posts a space), or
    # walks the primary key backwards through every space for a rare word.
    matches = (select(index.c.post_id)
               .where(index.c.document.op("@@")(words_query.op("&&")(in_space)),
                      index.c.space_id == space.id,
                      func.numnode(words_query) > 0)
               .cte("matches").prefix_with("MATERIALIZED"))
    return (select(matches.c.post_id.label("post_id"),
                   func.ts_headline("dutch", Post.body, words_query, _HEADLINE).label("snippet"))
            .select_from(matches)
            .order_by(matches.c.post_id.desc()))
