"""Rules for moderation: flagging, the queue, claims and outcomes, notices to authors and
the moderation log."""
from __future__ import annotations

from app.policy.core import _LEADS, Actor, _is_author, _own_id, allowed
from app.policy.spaces import can_manage_member
from app.spaces.models import MEMBER

# A case is the flag group on one post (app/moderation/models.py); it carries the post's
# author (post_author_id) so "nobody moderates their own post" needs no query.

def can_flag_post(actor: Actor, post) -> bool:
    """Any member, on a visible post of someone else (one open flag each: the service);
    never on a planned one, which the moderators may not see yet."""
    return (
        post.deleted_at is None
        and post.publish_at is None
        and post.hidden_at is None
        and not _is_author(actor, post)
        and allowed(actor, "flag_post", post.space_id)
    )


def can_withdraw_flag(actor: Actor, flag) -> bool:
    return (
        flag.state == "open"
        and flag.flagger_id == _own_id(actor, flag.space_id)
        and allowed(actor, "flag_post", flag.space_id)
    )


def can_view_queue(actor: Actor, space) -> bool:
    """The queue can still be read after the rental ended; acting on it cannot."""
    return allowed(actor, "view_queue", space.id)


def can_view_flag_details(actor: Actor, case) -> bool:
    """Who flagged, why and with which note: only those who may act on the queue, and never
    the post's author (a moderator's own post is queued without its flaggers)."""
    return (case.post_author_id != _own_id(actor, case.space_id)
            and allowed(actor, "view_queue", case.space_id))


def can_claim_flag(actor: Actor, case) -> bool:
    """Claim an open case, or take it over from whoever has it; never on one's own post."""
    return (case.resolved_at is None
            and can_view_flag_details(actor, case)
            and allowed(actor, "moderate", case.space_id))


def can_release_flag(actor: Actor, case) -> bool:
    return (case.resolved_at is None
            and case.claimed_by_id is not None
            and case.claimed_by_id == _own_id(actor, case.space_id)
            and allowed(actor, "moderate", case.space_id))


def can_resolve_flag(actor: Actor, case) -> bool:
    """Whoever may claim it, unless someone else has claimed it (take it over first)."""
    return (can_claim_flag(actor, case)
            and case.claimed_by_id in (None, _own_id(actor, case.space_id)))


def can_hide_post(actor: Actor, post) -> bool:
    return (post.deleted_at is None
            and post.publish_at is None
            and not _is_author(actor, post)
            and allowed(actor, "moderate", post.space_id))


def can_request_review(actor: Actor, post) -> bool:
    """The author of a hidden post asks for another look, once per hiding."""
    return (post.hidden_at is not None
            and post.review_requested_at is None
            and post.deleted_at is None
            and _is_author(actor, post)
            and allowed(actor, "edit_own_post", post.space_id))


def can_suspend_member(actor: Actor, membership) -> bool:
    """Facilitators suspend anyone else (members page); moderators and co-facilitators
    suspend a plain member as the outcome of a case."""
    if can_manage_member(actor, membership):
        return True
    return (membership.role == MEMBER
            and membership.id != _own_id(actor, membership.space_id)
            and allowed(actor, "moderate", membership.space_id))


def can_read_notice(actor: Actor, notice) -> bool:
    """A private notice (a warning) is for its member only."""
    return (notice.membership_id == _own_id(actor, notice.space_id)
            and allowed(actor, "view_space", notice.space_id))


def can_view_moderation_log(actor: Actor, space) -> bool:
    return allowed(actor, "read_moderation_log", space.id)


def auto_hides(author) -> bool:
    """Whether enough flags hide this author's post by themselves: never the group's leads'
    posts (they are still queued)."""
    return author.role not in _LEADS


def can_warn_member(actor: Actor, membership) -> bool:
    """A private message from the moderators to someone else in the group."""
    return (membership.id != _own_id(actor, membership.space_id)
            and allowed(actor, "moderate", membership.space_id))


# --- taking things down without a flag --------------------------------------------------------

def can_erase_post(actor: Actor, post) -> bool:
    """Remove a post for good (someone's address, a bank account): its text and earlier
    versions are erased, only the log entry remains. Facilitators, any post of the space."""
    return (post.erased_at is None and post.publish_at is None
            and allowed(actor, "erase_post", post.space_id))


def can_hide_thread(actor: Actor, thread) -> bool:
    """Hide a whole conversation from the members (or show it again)."""
    return allowed(actor, "moderate", thread.space_id)


def can_view_hidden_thread(actor: Actor, thread) -> bool:
    """Who still sees a hidden conversation's title and messages: those who moderate."""
    return allowed(actor, "moderate", thread.space_id)


def can_view_hidden_threads(actor: Actor, space) -> bool:
    """The same for a whole space, where lists count what each reader can see."""
    return allowed(actor, "moderate", space.id)


def can_read_thread_hidden_reason(actor: Actor, thread) -> bool:
    """Why a conversation is hidden: for the one who started it, and those who moderate."""
    return ((_is_author(actor, thread) and allowed(actor, "view_space", thread.space_id))
            or allowed(actor, "moderate", thread.space_id))
