"""Flagging: a member flags someone else's post for a reason, or withdraws the flag while it
is open. A flag opens or joins the post's case, may hide the post automatically, and tells
the moderators."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from app import policy
from app.database import transactional, utcnow
from app.errors import Forbidden, ServiceError, require
from app.extensions import db
from app.forum.models import Post
from app.moderation import notices
from app.moderation.common import count_open_case, lock_post, open_case_for
from app.moderation.log import AUTO_HIDE, FLAG, FLAG_WITHDRAWN, log_action
from app.moderation.models import (
    BY_FLAGS, CONCERN, FLAG_OPEN, FLAG_WITHDRAWN as WITHDRAWN, OTHER, REASONS, RULE_REASONS,
    Flag, ModerationCase,
)
from app.policy import Actor
from app.spaces.models import Membership, Space
from app.text import clean_text

NOTE_MAX = 1000


def why_not_flag(actor: Actor, post: Post) -> str:
    """Why this actor may not flag this post, in words they can act on."""
    own = actor.membership(post.space_id)
    if own is not None and own.id == post.author_id:
        return _("This is your own message: you cannot report it. You can edit or delete it.")
    if post.deleted_at is not None:
        return _("This message was deleted.")
    if post.hidden_at is not None:
        return _("A moderator has already hidden this message.")
    return _("You cannot report messages in this group now.")


def _already_flagged() -> ServiceError:
    return ServiceError(_("You already reported this message. You can follow it on this page "
                          "or withdraw your report."))


@transactional
def flag_post(actor: Actor, post: Post, *, reason: str, note: str = "") -> Flag:
    if not policy.can_flag_post(actor, post):
        raise Forbidden(why_not_flag(actor, post))
    if reason not in REASONS:
        raise ServiceError(_("Choose one of the reasons."), "reason")
    note = clean_text(note or "", "note", NOTE_MAX)
    if reason == OTHER and not note:
        raise ServiceError(_("Say in a few words what is wrong with this message."), "note")
    me = actor.membership(post.space_id)
    refusal = _already_flagged()  # translated before the lock: see store_display_name
    lock_post(post)
    if not policy.can_flag_post(actor, post):  # hidden or deleted while the form was open
        raise Forbidden(why_not_flag(actor, post))
    if db.session.scalar(select(Flag.id).where(
            Flag.post_id == post.id, Flag.flagger_id == me.id, Flag.state == FLAG_OPEN)):
        raise refusal
    case, new_case = open_case_for(post)
    now = utcnow()
    flag = Flag(space_id=post.space_id, post_id=post.id, case_id=case.id, flagger_id=me.id,
                reason=reason, note=note, created_at=now)
    db.session.add(flag)
    urgent = reason == CONCERN and not case.is_urgent
    case.is_urgent = case.is_urgent or reason == CONCERN
    # The log names no flagger: facilitators read it, and a facilitator may be the author.
    log_action(post.space_id, FLAG, case=case, post=post, reason=reason, at=now)
    space = db.session.get(Space, post.space_id)
    db.session.flush()
    _hide_when_enough(space, case, post)
    notices.on_flag(space, case, urgent=urgent, new_case=new_case)
    return flag


def _hide_when_enough(space: Space, case: ModerationCase, post: Post) -> None:
    """Enough different members flagging for a rule reason hide the post until a moderator
    decides. Worry about someone never counts, and the leads' posts are only queued."""
    threshold = space.auto_hide_threshold
    if threshold <= 0 or post.hidden_at is not None:
        return
    flaggers = db.session.scalar(select(func.count(func.distinct(Flag.flagger_id))).where(
        Flag.case_id == case.id, Flag.state == FLAG_OPEN, Flag.reason.in_(RULE_REASONS)))
    if flaggers < threshold:
        return
    author = db.session.get(Membership, post.author_id)
    if not policy.auto_hides(author):
        return
    post.hidden_at, post.hidden_by_id, post.hidden_source = utcnow(), None, BY_FLAGS
    post.hidden_reason, post.review_requested_at = "", None
    case.is_auto_hidden = True
    log_action(space.id, AUTO_HIDE, subject=author, case=case, post=post,
               detail={"flaggers": flaggers})
    notices.on_hidden(space, post)


@transactional
def withdraw_flag(actor: Actor, flag: Flag) -> None:
    """The flagger takes their open flag back. A case left without flags, unclaimed and not
    hidden automatically, closes: there is nothing left to decide."""
    require(policy.can_withdraw_flag(actor, flag))
    post = db.session.get(Post, flag.post_id)
    lock_post(post)
    db.session.refresh(flag)
    if flag.state != FLAG_OPEN:
        return  # withdrawn twice (a double submit), or handled meanwhile
    now = utcnow()
    flag.state, flag.withdrawn_at = WITHDRAWN, now
    case = db.session.get(ModerationCase, flag.case_id)
    log_action(flag.space_id, FLAG_WITHDRAWN, case=case, post=post, reason=flag.reason, at=now)
    db.session.flush()
    open_reasons = set(db.session.scalars(select(Flag.reason).where(
        Flag.case_id == case.id, Flag.state == FLAG_OPEN)))
    case.is_urgent = CONCERN in open_reasons
    if (not open_reasons and case.claimed_by_id is None and not case.is_auto_hidden
            and post.review_requested_at is None):
        case.resolved_at = now
        count_open_case(case.space_id, -1)
