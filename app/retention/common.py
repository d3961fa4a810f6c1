"""What the retention jobs share: the local calendar day and the configured day counts."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def local_today(now: datetime) -> date:
    """The calendar day in the configured zone: rental dates are local days."""
    return now.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def grace_days() -> int:
    return int(current_app.config["RENTAL_GRACE_DAYS"])


def warning_days(raw: str | None = None) -> list[int]:
    """RENTAL_WARNING_DAYS ("30,7") as days before the last rental day, largest first.
    Anything that is not a positive whole number is ignored, so a typo costs a warning, not
    the worker."""
    raw = current_app.config["RENTAL_WARNING_DAYS"] if raw is None else raw
    days = {int(part) for part in str(raw).split(",") if part.strip().isdigit()}
    return sorted((d for d in days if d > 0), reverse=True)
