"""Shared persistence helpers: SQLite connection settings, UTC timestamps, the
one-transaction-per-use-case decorator, row locks and best-effort bookkeeping writes."""
from __future__ import annotations

import contextvars
import functools
import sqlite3
from datetime import datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import DateTime, bindparam, event, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.types import TypeDecorator

from app.extensions import db

_depth: contextvars.ContextVar[int] = contextvars.ContextVar("transaction_depth", default=0)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite: enforce foreign keys (ON DELETE CASCADE relies on it), let readers and the one
    writer work side by side (WAL), wait for a busy writer instead of failing at once, sync
    to disk at checkpoints rather than at every commit, and zero what is deleted."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 10000")
        # Deleted and overwritten content is zeroed in the file, so a post removed for good
        # (app/moderation/takedown.py) leaves no readable bytes behind in free pages.
        cursor.execute("PRAGMA secure_delete = ON")
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] not in ("memory", "wal"):
            cursor.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL skips the fsync of every commit (FULL holds the one write lock
        # through it, so writers queue behind the disk: issue 12); the database stays
        # consistent after any crash, and only a power cut or OS crash can take back the
        # last commits before a checkpoint.
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()


# How far Kring's clock runs ahead of the real one: zero, except in tests that move time
# forward (tests/conftest.py `clock`) to see scheduled work fall due.
_clock_offset = timedelta(0)


def utcnow() -> datetime:
    return datetime.now(timezone.utc) + _clock_offset


def set_clock_offset(offset: timedelta) -> None:
    """For tests only: every utcnow() (services, policy, the worker) runs `offset` ahead."""
    global _clock_offset
    _clock_offset = offset


# A second identical submit by the same person within this window is the same use case (a
# double click, a form sent again on a slow phone connection): it returns the first result.
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=2)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC (SQLite has no time zones) and always hands back aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; Kring stores aware UTC datetimes only")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=timezone.utc)


def transactional(fn):
    """One public service call = one transaction: the outermost call commits, any exception
    rolls back. Nested service calls join the outer transaction."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        depth = _depth.get()
        token = _depth.set(depth + 1)
        try:
            result = fn(*args, **kwargs)
            if depth == 0:
                db.session.commit()
            return result
        except BaseException:
            if depth == 0:
                db.session.rollback()
            raise
        finally:
            _depth.reset(token)

    return wrapper



def lock_row(column, row_id: int):
    """Hold the write lock of one row until the transaction ends and return `column`'s current
    value: a check made after this sees everything committed before it, and nothing can slip
    in between the check and the write. A no-op UPDATE does this on both engines (PostgreSQL
    locks the row; SQLite takes its one write lock, where SELECT ... FOR UPDATE is ignored).
    `column` must not be a key column, so foreign-key checks of other rows do not wait."""
    return db.session.scalar(_lock_statement(column.class_, column.key), {"row_id": row_id})


@functools.lru_cache(maxsize=None)
def _lock_statement(model, key: str):
    # Built once per column, on the table: every write use case starts here, and building
    # the statement anew, or the ORM's bulk UPDATE around it, cost more than running it
    # (issue 12). Nothing loaded changes, so there is nothing for the ORM to synchronise.
    table = model.__table__
    column = table.c[key]
    return (update(table).where(table.c.id == bindparam("row_id")).values({key: column})
            .returning(column))


# The database refusing to write, as opposed to a bug in our SQL (a syntax error, a missing
# table, a broken constraint), which must stay a logged 500 instead of "nothing was saved".
# SQLite: result codes (the primary code is the low byte), and the messages as a fallback.
_SQLITE_CANNOT_WRITE = {sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR,
                        sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CANTOPEN}
_SQLITE_CANNOT_WRITE_TEXT = ("database or disk is full", "attempt to write a readonly database",
                             "database is locked", "disk i/o error", "unable to open database")
# PostgreSQL SQLSTATEs: read-only transaction, a lock wait that timed out, the server shutting
# down or not accepting connections yet; whole classes: insufficient resources (disk full,
# out of memory) and connection exceptions.
_PG_CANNOT_WRITE = {"25006", "55P03", "57P01", "57P02", "57P03"}
_PG_CANNOT_WRITE_CLASSES = {"53", "08"}


def write_refused(exc: BaseException) -> bool:
    """Is this the database refusing to write (disk full, read-only, locked, gone) rather than
    a bug? Only the conditions above count; every other database error is a bug."""
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:  # the connection broke off mid-statement
        return True
    orig = exc.orig
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate:
        return sqlstate in _PG_CANNOT_WRITE or sqlstate[:2] in _PG_CANNOT_WRITE_CLASSES
    if isinstance(orig, sqlite3.Error):
        code = getattr(orig, "sqlite_errorcode", None)
        if code is not None:
            return code & 0xFF in _SQLITE_CANNOT_WRITE
        return any(text in str(orig).lower() for text in _SQLITE_CANNOT_WRITE_TEXT)
    # psycopg gives no SQLSTATE when it cannot reach the server at all.
    return isinstance(exc, OperationalError)


def best_effort(fn, *args, **kwargs):
    """Run a bookkeeping write (a read position, the last login) that must not cost the user
    the page when the database refuses writes: the refusal is logged and rolled back. It runs
    in its own session (a fresh application context), because a rollback expires every row the
    request's session holds and the page still has to render them; so `fn` must write with
    statements, not by changing rows loaded elsewhere."""
    depth = _depth.set(0)  # its own transaction, even when called inside a use case
    try:
        with current_app.app_context():
            try:
                return fn(*args, **kwargs)
            except DBAPIError as exc:
                if not write_refused(exc):
                    raise
                db.session.rollback()
                current_app.logger.warning("bookkeeping write refused by the database, "
                                           "skipped: %s", exc.orig)
                return None
    finally:
        _depth.reset(depth)
