"""What the thread page offers its reader on each post, from the rules in forum.py and
moderation.py: decided in one pass per page in Python (not by `can()` calls per post in
the template), and a plain value the post's cached block is keyed on."""
from __future__ import annotations

from typing import NamedTuple

from app.policy.core import Actor
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


def post_actions(actor: Actor, thread, posts) -> dict[int, PostActions]:
    """Post id -> what the reader may do with it on this page."""
    replies = can_reply_thread(actor, thread)
    return {post.id: PostActions(
        react=can_react_post(actor, post),
        quote=replies and can_quote_post(actor, post),
        edit=can_edit_post(actor, post),
        flag=can_flag_post(actor, post),
        hide=can_hide_post(actor, post),
        erase=can_erase_post(actor, post),
        request_review=can_request_review(actor, post),
    ) for post in posts}
