"""Resolving a case: one or more outcomes at once (no action, hide, edit, close the
conversation, warn, suspend), all open flags on the post closed, the flaggers told that it
was handled — in one transaction, so a refused outcome leaves everything as it was."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update

from app import policy
from app.database import transactional, utcnow
from app.errors import ServiceError, require
from app.extensions import db
from app.forum import service as forum
from app.forum.models import Post, Thread
from app.moderation import notices
from app.moderation.common import count_open_case, lock_post
from app.moderation.log import LOCK_THREAD, RESOLVE, log_action
from app.moderation.models import (
    BY_CASE, BY_FLAGS, EDIT, FLAG_HANDLED, FLAG_OPEN, HIDE, LOCK, NO_ACTION, OUTCOMES, SUSPEND,
    WARN, Flag, ModerationCase,
)
from app.moderation.outcomes import hide_post, moderator_edit_post, unhide_post, warn_member
from app.policy import Actor
from app.spaces import members
from app.spaces.models import Membership, Space
from app.text import clean_text

NOTE_MAX = 2000


def _chosen(outcomes) -> list[str]:
    given = set(outcomes or ())
    if not given or not given <= set(OUTCOMES):
        raise ServiceError(_("Choose at least one outcome."), "outcomes")
    if NO_ACTION in given and len(given) > 1:
        raise ServiceError(_("\"No action\" cannot be combined with other outcomes."),
                           "outcomes")
    return [o for o in OUTCOMES if o in given]


@transactional
def resolve_case(actor: Actor, case: ModerationCase, *, outcomes, note: str = "",
                 reason: str = "", body: str = "", warning: str = "",
                 until: datetime | None = None, indefinitely: bool = False) -> ModerationCase:
    """Apply the chosen outcomes and close the case. Resolving it twice (a double submit) by
    the same moderator changes nothing the second time."""
    require(policy.can_resolve_flag(actor, case))
    chosen = _chosen(outcomes)
    note = clean_text(note or "", "note", NOTE_MAX)
    me = actor.membership(case.space_id)
    post = db.session.get(Post, case.post_id)
    lock_post(post)
    db.session.refresh(case)
    if case.resolved_at is not None:
        if case.resolved_by_id == me.id:
            return case
        raise ServiceError(_("This report has already been handled."))
    if not policy.can_resolve_flag(actor, case):
        raise ServiceError(_("Someone else picked this up meanwhile. Take it over first."))
    author = db.session.get(Membership, case.post_author_id)
    if post.deleted_at is not None and {HIDE, EDIT} & set(chosen):
        raise ServiceError(_("The author deleted this message meanwhile: it can no longer be "
                             "hidden or edited."), "outcomes")
    if SUSPEND in chosen:
        if not policy.can_suspend_member(actor, author):
            raise ServiceError(_("You cannot suspend this person: ask a facilitator."),
                               "outcomes")
        if until is None and not indefinitely:
            raise ServiceError(_("Choose an end date, or tick \"until further notice\"."),
                               "until")
    _apply(actor, case, post, author, chosen, reason=reason, body=body, warning=warning,
           until=None if indefinitely else until)
    _close(case, me, chosen, note)
    return case


def _apply(actor, case, post, author, chosen, *, reason, body, warning, until) -> None:
    if EDIT in chosen:
        moderator_edit_post(actor, post, body=body, case=case)
    if HIDE in chosen:
        hide_post(actor, post, reason=reason, source=BY_CASE, case=case)
    elif post.hidden_at is not None and post.hidden_source == BY_FLAGS:
        # Hidden automatically "until a moderator decides": they decided it may stay.
        unhide_post(actor, post, case=case)
    if LOCK in chosen:
        thread = db.session.get(Thread, case.thread_id)
        if not thread.is_locked:
            forum.set_locked(actor, thread, locked=True)
            log_action(case.space_id, LOCK_THREAD, actor=actor.membership(case.space_id),
                       case=case, thread_id=thread.id)
    if WARN in chosen:
        warn_member(actor, author, body=warning, post=post, case=case)
    if SUSPEND in chosen:
        members.suspend_member(actor, author, until=until)


def _close(case: ModerationCase, me: Membership, chosen: list[str], note: str) -> None:
    """Every open flag on the post is handled; the flaggers hear so, not how."""
    now = utcnow()
    flaggers = list(db.session.scalars(select(Flag.flagger_id).where(
        Flag.case_id == case.id, Flag.state == FLAG_OPEN)))
    db.session.execute(update(Flag).where(Flag.case_id == case.id, Flag.state == FLAG_OPEN)
                       .values(state=FLAG_HANDLED, handled_at=now),
                       execution_options={"synchronize_session": False})
    case.resolved_at, case.resolved_by_id = now, me.id
    case.first_claimed_at = case.first_claimed_at or now
    case.outcomes, case.note = ",".join(chosen), note
    count_open_case(case.space_id, -1)
    log_action(case.space_id, RESOLVE, actor=me, case=case, reason=note,
               detail={"outcomes": case.outcomes})
    notices.on_handled(db.session.get(Space, case.space_id), case, flaggers)
