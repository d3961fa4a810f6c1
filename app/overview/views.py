"""The participation overview page: the leads' view of the group (read only)."""
from __future__ import annotations

from flask import Blueprint, render_template

from app.overview.activity import UNANSWERED_AFTER
from app.overview.page import overview
from app.overview.queries import RECENT_DAYS
from app.overview.svg import week_label
from app.spaces.access import space_page

bp = Blueprint("overview", __name__)


@bp.get("/s/<slug>/overview")
@space_page
def index(space, actor):
    return render_template("overview/overview.html", space=space, page=overview(actor, space),
                           recent_days=RECENT_DAYS, week_label=week_label,
                           unanswered_hours=int(UNANSWERED_AFTER.total_seconds() // 3600))
