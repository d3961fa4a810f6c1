"""The search page of a space: /s/<slug>/search?q=... (a GET form, works without JavaScript)."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from app.forms import page_arg
from app.search import queries
from app.spaces.access import space_page

bp = Blueprint("search", __name__)


@bp.get("/s/<slug>/search")
@space_page
def results(space, actor):
    raw = request.args.get("q", "")
    found, problem = None, None
    if raw.strip():
        try:
            found = queries.search_posts(actor, space, raw, page_arg(request))
        except queries.BadQuery as exc:
            problem = exc.args[0]
    elif "q" in request.args:
        problem = queries.NO_WORDS
    # The field keeps what was typed, but never more than the limit (a 10,000-character
    # query is not sent back whole).
    shown = raw[:queries.QUERY_MAX]
    status = 400 if problem is not None and raw.strip() else 200
    return render_template("search/results.html", space=space, q=shown, found=found,
                           problem=problem, query_max=queries.QUERY_MAX), status
