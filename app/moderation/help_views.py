"""Where to get help now: one page, open to everyone (visitors too), linked from every
page's footer."""
from __future__ import annotations

from flask import Blueprint, render_template

from app.moderation.crisis import crisis_help

bp = Blueprint("help", __name__)


@bp.app_context_processor
def _crisis_help():
    return {"crisis_help": crisis_help}


@bp.get("/hulp")
def crisis():
    return render_template("moderation/help.html", help=crisis_help())
