"""Searching the posts of one space: the reader's words become an index query built from word
characters only (no FTS or tsquery syntax of theirs reaches the database), one statement per
page whatever the number of posts, newest first, with a next-page check instead of a count."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import Text, column, func, literal, literal_column, select, table
from sqlalchemy.dialects.postgresql import ARRAY

from app import policy
from app.errors import NotFound
from app.extensions import db
from app.forum.labels import shown_title
from app.forum.models import Post, Thread
from app.forum.queries import listed_title, page_of
from app.policy import Actor
from app.search.highlight import highlighted
from app.search.index import START, STOP, sqlite_space_term
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
    postgresql = db.engine.dialect.name == "postgresql"
    matched = (_postgresql if postgresql else _sqlite)(space, terms)
    rows = (
        matched.add_columns(Post.thread_id, Post.number, Post.created_at,
                            listed_title().label("title"), shown_name_of().label("author"))
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
    return _highlighted_page(rows, terms) if postgresql else rows


# --- the dialect switch: the only SQL of either index outside app/search/index.py ----------

def _sqlite(space: Space, terms: list[str]):
    """FTS5: each word a quoted string (its syntax is never the reader's), all required,
    within the space's own term. snippet() belongs in the statement that MATCHes."""
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
    """tsvector with the Dutch configuration (stemming: "schulden" finds "schuld"), each word
    as a lexeme of this space (post_search_query in app/search/index.py), all required; a
    search of stop words only ("de het") finds nothing rather than the whole space. The
    post's text comes along as "snippet", to be highlighted once the page is cut."""
    wanted = func.post_search_query(space.id, literal(terms, ARRAY(Text)),
                                    len(terms[-1]) >= PREFIX_MIN)
    index = table("post_search", column("post_id"), column("space_id"), column("document"))
    # The matches first, from the GIN index alone (MATERIALIZED: the planner may not fold
    # it into the join, where it once tested every post of the space against the words, or
    # walked the primary key backwards through every space for a rare word). The words
    # already name the space; space_id is checked as well, so no row of another space can
    # come through even if they did not.
    matches = (select(index.c.post_id)
               .where(index.c.document.op("@@")(wanted), index.c.space_id == space.id)
               .cte("matches").prefix_with("MATERIALIZED"))
    # Then newest first, before the join: OFFSET keeps this a subquery of its own, whose
    # order the planner knows, so it joins only the page's rows and stops (at 1 M posts the
    # prefix "fie" joined all 5,800 matches and then sorted them: 21 ms; 21 rows now, 0.1 ms).
    newest = (select(matches.c.post_id).order_by(matches.c.post_id.desc()).offset(0)
              .subquery("newest"))
    return (select(newest.c.post_id.label("post_id"), Post.body.label("snippet"))
            .select_from(newest)
            .order_by(newest.c.post_id.desc()))


def _highlighted_page(rows, terms: list[str]):
    """The page's rows with their snippets: ts_headline runs on the rows shown only, not on
    the rows an OFFSET skips (page 5 would highlight 101 posts to show 21)."""
    words = [f"'{term}'" for term in terms]
    if len(terms[-1]) >= PREFIX_MIN:
        words[-1] += ":*"
    page = rows.subquery("page")
    snippet = func.ts_headline("dutch", page.c.snippet,
                               func.to_tsquery("dutch", " & ".join(words)), _HEADLINE)
    return (select(page.c.post_id, snippet.label("snippet"),
                   *[c for c in page.c if c.key not in ("post_id", "snippet")])
            .order_by(page.c.post_id.desc()))
