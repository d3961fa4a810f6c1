"""Taking things down without a flag: hide or show a whole conversation, and remove a post
for good (its text and earlier versions erased, only the log entry left). Hiding a single
post directly is outcomes.hide_post with source DIRECT. Plus the reads their forms need."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, update

from app import policy
from app.database import transactional, utcnow
from app.errors import ServiceError, require
from app.extensions import db
from app.forum.models import Post, PostRevision, Reaction, Thread
from app.forum.queries import get_post, get_thread
from app.moderation.common import lock_post
from app.moderation.log import ERASE_POST, HIDE_THREAD, UNHIDE_THREAD, log_action
from app.notify import kinds
from app.notify.models import Notification
from app.notify.service import forget_post
from app.policy import Actor
from app.spaces.models import Membership, Space
from app.text import clean_text
from app.uploads.service import remove_post_uploads

REASON_MAX = 1000


def _reason(reason: str, message: str) -> str:
    reason = clean_text(reason or "", "reason", REASON_MAX)
    if not reason:
        raise ServiceError(message, "reason")
    return reason


# --- reads for the forms ------------------------------------------------------------------------

def post_to_hide(actor: Actor, space: Space, post_id: int) -> Post:
    post = get_post(actor, space, post_id)
    require(policy.can_hide_post(actor, post))
    return post


def post_to_erase(actor: Actor, space: Space, post_id: int) -> Post:
    post = get_post(actor, space, post_id)
    require(policy.can_erase_post(actor, post))
    return post


def thread_to_hide(actor: Actor, space: Space, thread_id: int) -> Thread:
    thread = get_thread(actor, space, thread_id)
    require(policy.can_hide_thread(actor, thread))
    return thread


# --- conversations --------------------------------------------------------------------------------

@transactional
def hide_thread(actor: Actor, thread: Thread, *, reason: str) -> Thread:
    """The members keep seeing that there was a conversation ("hidden by a facilitator"),
    not its title or messages; those who moderate still read it. Hiding it again only
    changes the reason."""
    require(policy.can_hide_thread(actor, thread))
    reason = _reason(reason, _("Say why the conversation is hidden: it goes into the log."))
    me = actor.membership(thread.space_id)
    thread.hidden_at = thread.hidden_at or utcnow()
    thread.hidden_by_id, thread.hidden_reason = me.id, reason
    log_action(thread.space_id, HIDE_THREAD, actor=me,
               subject=db.session.get(Membership, thread.author_id), thread_id=thread.id,
               reason=reason)
    # The members' notifications about it would show its title and lead to its messages.
    db.session.execute(delete(Notification).where(
        Notification.thread_id == thread.id,
        Notification.kind.in_((kinds.REPLY, kinds.MENTION, kinds.SEED_CONTENT))))
    return thread


@transactional
def unhide_thread(actor: Actor, thread: Thread) -> Thread:
    require(policy.can_hide_thread(actor, thread))
    if thread.hidden_at is None:
        return thread  # shown again already (a double submit)
    thread.hidden_at = thread.hidden_by_id = None
    thread.hidden_reason = ""
    log_action(thread.space_id, UNHIDE_THREAD, actor=actor.membership(thread.space_id),
               subject=db.session.get(Membership, thread.author_id), thread_id=thread.id)
    return thread


# --- removing a post for good ---------------------------------------------------------------

@transactional
def erase_post(actor: Actor, post: Post, *, reason: str, confirmed: bool) -> Post:
    """For what must not stay anywhere (an address, a bank account): the text, its rendered
    form and every earlier version are erased, its reactions and notifications go, and the
    group sees "removed by a facilitator". The log keeps who, when and why, never the text.
    An open report on the post stays open, so a moderator can still warn or suspend."""
    require(policy.can_erase_post(actor, post))
    reason = _reason(reason, _("Say why the message is removed: it goes into the log. Do not "
                               "repeat what it said."))
    if not confirmed:
        raise ServiceError(_("Tick the box to confirm: this cannot be undone."), "confirm")
    lock_post(post)
    if post.erased_at is not None:
        return post  # removed already (a double submit)
    now = utcnow()
    revisions = db.session.execute(
        delete(PostRevision).where(PostRevision.post_id == post.id)).rowcount
    post.body = post.body_html = ""
    post.erased_at, post.deleted_at = now, post.deleted_at or now
    if post.number == 1:
        # As when the author deletes the opening post: the title leaves every list too.
        db.session.execute(update(Thread).where(Thread.id == post.thread_id,
                                                Thread.title_removed_at.is_(None))
                           .values(title_removed_at=now))
    db.session.execute(delete(Reaction).where(Reaction.post_id == post.id))
    remove_post_uploads(post)  # its files go too, from the disk once this commits
    forget_post(post.id)
    log_action(post.space_id, ERASE_POST, actor=actor.membership(post.space_id),
               subject=db.session.get(Membership, post.author_id), post=post, reason=reason,
               detail={"revisions_erased": revisions})
    return post
