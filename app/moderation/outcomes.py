"""Outcomes: resolving a case with one or more outcomes, and the building blocks it (and a
takedown without a flag) uses — hide or show a post, a moderator's edit, a warning — each
written to the moderation log."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete

from app import policy
from app.database import transactional, utcnow
from app.errors import ServiceError, require
from app.extensions import db
from app.forum.models import Post, PostRevision
from app.moderation import notices
from app.moderation.common import lock_post, open_case_for
from app.moderation.log import (
    EDIT_POST, HIDE_POST, REVIEW_REQUESTED, UNHIDE_POST, WARN, log_action,
)
from app.moderation.models import DIRECT, MemberNotice, ModerationCase
from app.notify import kinds
from app.notify.models import Notification
from app.policy import Actor
from app.spaces.models import Membership, Space
from app.text import clean_body, clean_text, render_or_refuse

REASON_MAX = 1000


# --- building blocks ---------------------------------------------------------------------------

@transactional
def hide_post(actor: Actor, post: Post, *, reason: str, source: str = DIRECT,
              case: ModerationCase | None = None, field: str = "reason") -> Post:
    """Hide a post from the group with a reason its author will read. Hiding a post that
    was hidden automatically makes it a moderator's decision."""
    require(policy.can_hide_post(actor, post))
    reason = clean_text(reason or "", field, REASON_MAX)
    if not reason:
        raise ServiceError(_("Say why the message is hidden: its author will read this."), field)
    me = actor.membership(post.space_id)
    post.hidden_at = post.hidden_at or utcnow()
    post.hidden_by_id, post.hidden_reason, post.hidden_source = me.id, reason, source
    post.review_requested_at = None
    author = db.session.get(Membership, post.author_id)
    log_action(post.space_id, HIDE_POST, actor=me, subject=author, case=case, post=post,
               reason=reason, detail={"source": source})
    _forget_forum_notifications(post)
    notices.on_hidden(db.session.get(Space, post.space_id), post)
    return post


def _forget_forum_notifications(post: Post) -> None:
    """Notifications about a hidden post (a reply, a mention, new content) leave the members'
    lists; the moderators' notices about flags on it stay."""
    db.session.execute(delete(Notification).where(
        Notification.post_id == post.id,
        Notification.kind.in_((kinds.REPLY, kinds.MENTION, kinds.SEED_CONTENT))))


@transactional
def unhide_post(actor: Actor, post: Post, *, case: ModerationCase | None = None,
                reason: str = "") -> Post:
    require(policy.can_hide_post(actor, post))
    if post.hidden_at is None:
        return post
    post.hidden_at = post.hidden_by_id = post.review_requested_at = None
    post.hidden_reason = post.hidden_source = ""
    log_action(post.space_id, UNHIDE_POST, actor=actor.membership(post.space_id),
               subject=db.session.get(Membership, post.author_id), case=case, post=post,
               reason=reason)
    return post


@transactional
def moderator_edit_post(actor: Actor, post: Post, *, body: str,
                        case: ModerationCase | None = None, field: str = "body") -> Post:
    """A moderator changes someone's text; the revision history says who replaced it and the
    post says it was edited by a moderator. The log points at the revision, not the text."""
    require(policy.can_hide_post(actor, post))
    body = clean_body(body, field)
    if body == post.body:
        raise ServiceError(_("The text is unchanged. Change it, or choose another outcome."),
                           field)
    body_html = render_or_refuse(body, field)
    me = actor.membership(post.space_id)
    revision = PostRevision(space_id=post.space_id, post_id=post.id, body=post.body,
                            created_at=post.edited_at or post.created_at, replaced_by_id=me.id)
    db.session.add(revision)
    db.session.flush()
    post.body, post.body_html, post.edited_at, post.edited_by_id = body, body_html, utcnow(), me.id
    log_action(post.space_id, EDIT_POST, actor=me,
               subject=db.session.get(Membership, post.author_id), case=case, post=post,
               detail={"revision": revision.id})
    return post


@transactional
def warn_member(actor: Actor, membership: Membership, *, body: str, post: Post | None = None,
                case: ModerationCase | None = None, field: str = "warning") -> MemberNotice:
    """A private message to one member, read in the app; the email only says it is there."""
    require(policy.can_warn_member(actor, membership))
    body = clean_text(body or "", field, REASON_MAX)
    if not body:
        raise ServiceError(_("Write the message for the author."), field)
    notice = MemberNotice(space_id=membership.space_id, membership_id=membership.id,
                          case_id=None if case is None else case.id,
                          post_id=None if post is None else post.id,
                          body=body, body_html=render_or_refuse(body, field))
    db.session.add(notice)
    db.session.flush()
    log_action(membership.space_id, WARN, actor=actor.membership(membership.space_id),
               subject=membership, case=case, post=post, reason=body,
               detail={"notice": notice.id})
    notices.on_warning(db.session.get(Space, membership.space_id), notice)
    return notice


@transactional
def request_review(actor: Actor, post: Post) -> ModerationCase:
    """The author of a hidden post asks for another look: the post goes (back) into the
    queue, once per hiding."""
    require(policy.can_request_review(actor, post))
    lock_post(post)
    require(policy.can_request_review(actor, post))
    post.review_requested_at = utcnow()
    case, new_case = open_case_for(post)
    log_action(post.space_id, REVIEW_REQUESTED, actor=actor.membership(post.space_id),
               case=case, post=post)
    notices.on_flag(db.session.get(Space, post.space_id), case, urgent=False, new_case=new_case)
    return case
