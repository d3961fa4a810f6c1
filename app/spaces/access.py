"""The door of every space page: log in, find the space through the actor's membership
(404 otherwise), tell suspended members or say when a space opens, ask for the current
agreement first, then hand the view the space and the actor; the first page of the day that
succeeds records the member's visit (app/spaces/visits.py)."""
from __future__ import annotations

import functools

from flask import make_response, redirect, render_template, url_for
from flask_login import login_required

from app import policy
from app.database import best_effort
from app.spaces import queries, visits
from app.web import current_actor


def space_page(view=None, *, needs_agreement: bool = True, open_to_suspended: bool = False):
    """Decorate a view taking (space, actor, ...) for the URL /s/<slug>/.... `open_to_suspended`
    lets a member who may not read the space through (a suspended member, or anyone before
    the rental starts, to leave the group, say); the view checks policy."""

    def decorate(view):
        @functools.wraps(view)
        @login_required
        def wrapper(slug: str, **kwargs):
            actor = current_actor()
            space = queries.find_space(actor, slug)
            if not policy.can_view_space(actor, space) and not open_to_suspended:
                membership = actor.membership(space.id)
                if membership.is_suspended(actor.now):
                    return render_template("spaces/suspended.html", space=space,
                                           membership=membership), 403
                # Before the rental starts: a calm page saying when it opens, not the content.
                return render_template("spaces/not_open.html", space=space), 403
            if needs_agreement and policy.must_accept_agreement(actor, space):
                return redirect(url_for("spaces.agreement", slug=space.slug))
            first_today = visits.needs_visit(actor, space)
            response = make_response(view(space, actor, **kwargs))
            # A refused or failed request is no visit (and leaves the database as it was).
            if first_today and response.status_code < 400:
                best_effort(visits.record_visit, actor, space, seen_on=actor.today)
            return response

        return wrapper

    return decorate(view) if view is not None else decorate
