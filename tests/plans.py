"""Query plans of the statements a page runs: capture them (with their parameters) while the
page is requested, ask the database how it would run each one, and name what reads a whole
big table or sorts it. For tests/test_list_indexes.py."""
from __future__ import annotations

import re

from sqlalchemy import event

# Tables that grow without bound with use: a list must reach them through an index.
BIG_TABLES = ("posts", "threads", "reactions", "notifications", "read_states",
              "library_items", "uploads", "memberships")


class StatementCapture:
    """Every statement of `kinds` (SELECT by default) sent to the database while open, with
    its parameters."""

    def __init__(self, engine, kinds: tuple[str, ...] = ("SELECT",)):
        self.engine = engine
        self.kinds = kinds
        self.statements: list[tuple[str, object]] = []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._keep)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._keep)

    def _keep(self, conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(self.kinds) and not executemany:
            self.statements.append((statement, parameters))


def plan(connection, statement: str, parameters) -> list[str]:
    """The plan's lines, as the database words them (on the DBAPI connection)."""
    cursor = connection.cursor()
    if connection.__class__.__module__.startswith("sqlite3"):
        cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
        return [row[3] for row in cursor.fetchall()]
    cursor.execute("EXPLAIN " + statement, parameters)
    return [row[0] for row in cursor.fetchall()]


def problems(lines: list[str]) -> list[str]:
    """What in a plan reads a whole big table, or sorts where an index could give the order
    (a sort of the few rows an IN list or a LIMIT picked is fine: see the callers)."""
    found = []
    for line in lines:
        for table in BIG_TABLES:
            # SQLite: "SCAN posts" (no index); PostgreSQL: "Seq Scan on posts".
            if re.search(rf"\bSCAN {table}\b(?! USING)", line) or \
                    re.search(rf"Seq Scan on {table}\b", line):
                found.append(line.strip())
    return found


def sorts(lines: list[str]) -> list[str]:
    """Sort steps: SQLite's "USE TEMP B-TREE FOR ORDER BY", PostgreSQL's "Sort"."""
    return [line.strip() for line in lines
            if "TEMP B-TREE FOR ORDER BY" in line or re.match(r"\s*(->\s*)?Sort\b", line)]
