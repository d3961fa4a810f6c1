"""The retention round the worker runs (hourly) and `flask kring purge` runs on demand:
warnings before the rental ends, the purge of spaces past their grace period, the sweeps."""
from __future__ import annotations

from datetime import datetime

from app.database import utcnow
from app.retention.purge import purge_spaces
from app.retention.sweeps import run_sweeps
from app.retention.warnings import send_rental_warnings


def run_retention(now: datetime | None = None) -> dict[str, int]:
    now = now or utcnow()
    outcome = {"rental_warnings": send_rental_warnings(now), "spaces_purged": purge_spaces(now)}
    outcome.update(run_sweeps(now))
    return outcome
