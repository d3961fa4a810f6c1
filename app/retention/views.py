"""/privacy: what Kring keeps, for how long and where, drawn from the same settings the
worker's retention jobs use; and the notices around the end of a rental on space pages."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, render_template

from app import policy
from app.retention.common import grace_days, warning_days
from app.retention.facts import retention_facts
from app.web import current_actor

bp = Blueprint("privacy", __name__)


def _rental_ending_soon(space) -> bool:
    days = warning_days()
    return bool(days) and policy.rental_ending_soon(current_actor(), space, days[0])


@bp.app_context_processor
def _retention_globals():
    return {"space_purge_day": lambda space: policy.purge_day(space, grace_days()),
            "space_last_readable_day":
                lambda space: policy.purge_day(space, grace_days()) - timedelta(days=1),
            "rental_ending_soon": _rental_ending_soon}


@bp.get("/privacy")
def privacy():
    return render_template("retention/privacy.html", facts=retention_facts(current_app.config))
