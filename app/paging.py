"""Pagers that stay small at any size: which page numbers a pager links (a window around
the current page), and how many pages a list has counted only as far as that window reaches,
so a list of 400,000 rows is never counted whole."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, func, select
from sqlalchemy.sql import Select

from app.extensions import db

AROUND = 2  # pages linked on either side of the current one


def page_window(page: int, last: int, *, around: int = AROUND) -> list[int | None]:
    """The page numbers a pager shows: the first, the last, `around` pages on either side of
    this one; None where pages are left out (shown as an ellipsis)."""
    shown = sorted({1, last, *range(max(1, page - around), min(last, page + around) + 1)})
    window: list[int | None] = []
    for n in shown:
        if window and n - window[-1] == 2:
            window.append(n - 1)  # an ellipsis would stand for one page: show that page
        elif window and n - window[-1] > 2:
            window.append(None)
        window.append(n)
    return window


@dataclass
class Reach:
    """How far a list goes, as far as the pager looks: `pages` is the last page known to
    exist, `more` says there are pages after it (not counted)."""
    page: int
    pages: int
    more: bool


@dataclass(frozen=True)
class Counter:
    """A list's count for reach(), built once: see counter()."""
    statement: Select


def counter(query: Select) -> Counter:
    """The count reach() runs for `query` (a select of the list's rows, unordered), built
    once at import for a list shown on every request, with its values as bind parameters."""
    return Counter(select(func.count()).select_from(
        query.limit(bindparam("reach_limit")).subquery()))


def reach(query: Select | Counter, page: int, per_page: int, *, params: dict | None = None,
          around: int = AROUND) -> Reach:
    """Count the rows of `query` (a select of the list's rows, unordered, or its counter()
    with `params`) only up to the window after `page`: one statement that reads at most
    (page + around) * per_page + 1 rows, the same an OFFSET to that page reads anyway. A page
    past the end is moved back to the last page when the list is short enough to have been
    counted whole."""
    page = max(1, page)
    limit = (page + around) * per_page + 1
    counting = query if isinstance(query, Counter) else counter(query)
    counted = db.session.scalar(counting.statement, {**(params or {}), "reach_limit": limit})
    more = counted == limit
    pages = max(1, -(-min(counted, limit - 1) // per_page))
    return Reach(page=min(page, pages), pages=pages, more=more)
