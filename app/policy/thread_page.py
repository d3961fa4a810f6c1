"""What the thread page offers its reader on each post, from the rules in forum.py and
moderation.py: decided in one pass per page in Python (not by `can()` calls per post in
the template), and a plain value the post's cached block is keyed on."""
from __future__ import annotations

from typing import NamedTuple

from app.policy.core import Actor, _own_id
from app.policy.forum import can_edit_post, can_quote_post, can_react_post, can_reply_thread
from app.policy.moderation import (
    can_erase_post, can_flag_post, can_hide_post, can_request_review,
)


class PostActions(NamedTuple):
    react: bool
    quote: bool  # the reader may reply here and this post may be quoted
    edit: bool
    flag: bool
    hide: bool
    erase: bool
    request_review: bool


class _Shape(NamedTuple):
    """All a post's rules read of it, with moments reduced to "set" or None and the author
    to "the reader" or someone else. Posts of one shape get the same answers, so a page of
    50 posts asks the rules a few times instead of 350. A rule that starts reading another
    attribute fails here loudly (AttributeError) instead of being answered wrongly; one that
    compares a moment fails on SET (TypeError)."""
    space_id: int
    author_id: int | None
    deleted_at: object
    publish_at: object
    hidden_at: object
    erased_at: object
    review_requested_at: object


class _Set:
    """A moment that is set, whichever it is."""
    __slots__ = ()


SET = _Set()
_SOMEONE_ELSE = -1  # no membership has this id


def _mark(moment):
    return None if moment is None else SET


def post_actions(actor: Actor, thread, posts) -> dict[int, PostActions]:
    """Post id -> what the reader may do with it on this page."""
    replies = can_reply_thread(actor, thread)
    me = _own_id(actor, thread.space_id)
    answers: dict[_Shape, PostActions] = {}
    found = {}
    for post in posts:
        shape = _Shape(post.space_id, me if post.author_id == me else _SOMEONE_ELSE,
                       _mark(post.deleted_at), _mark(post.publish_at), _mark(post.hidden_at),
                       _mark(post.erased_at), _mark(post.review_requested_at))
        acts = answers.get(shape)
        if acts is None:
            acts = answers[shape] = _decide(actor, replies, shape)
        found[post.id] = acts
    return found


def _decide(actor: Actor, replies: bool, post: _Shape) -> PostActions:
    return PostActions(
        react=can_react_post(actor, post),
        quote=replies and can_quote_post(actor, post),
        edit=can_edit_post(actor, post),
        flag=can_flag_post(actor, post),
        hide=can_hide_post(actor, post),
        erase=can_erase_post(actor, post),
        request_review=can_request_review(actor, post),
    )
