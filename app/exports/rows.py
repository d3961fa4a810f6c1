"""Plain values for an export's JSON: dates as ISO 8601 text, rows as dicts of columns."""
from __future__ import annotations

from datetime import date, datetime


def iso(value) -> str | None:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def plain(row, *, exclude=()) -> dict | None:
    """Every column of a row (None stays None), dates as text."""
    if row is None:
        return None
    return {column.key: iso(getattr(row, column.key)) for column in row.__table__.columns
            if column.key not in exclude}


def safe_name(name: str) -> str:
    """A file name fit for a path inside the zip: letters, digits, dot, dash, underscore."""
    cleaned = "".join(c if c.isalnum() or c in "._-" else "_" for c in name)[:80]
    return cleaned.lstrip(".") or "bestand"
