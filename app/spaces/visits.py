"""A member's last visit to a space, kept to the day on purpose: the first page of the day
writes it (one conditional UPDATE), every later page that day writes nothing. Only the
participation overview reads it (app/overview); members never see each other's visits."""
from __future__ import annotations

from datetime import date

from sqlalchemy import or_, update

from app import policy
from app.database import transactional
from app.extensions import db
from app.policy import Actor
from app.spaces.models import Membership


def needs_visit(actor: Actor, space) -> bool:
    """Whether this page view is the member's first in the space today (no query: the
    membership came with the actor)."""
    membership = actor.membership(space.id)
    return membership is not None and membership.last_seen_on != actor.today


@transactional
def record_visit(actor: Actor, space, *, seen_on: date) -> None:
    """Bookkeeping of the reader's own visit (like the read position). The condition keeps
    it one write per member per day, also when two first pages of the day race."""
    if not policy.can_view_space(actor, space):
        return
    membership_id = actor.membership(space.id).id
    db.session.execute(
        update(Membership)
        .where(Membership.id == membership_id,
               or_(Membership.last_seen_on.is_(None), Membership.last_seen_on != seen_on))
        .values(last_seen_on=seen_on),
        execution_options={"synchronize_session": False})
