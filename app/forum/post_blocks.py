"""The posts of a thread page as HTML. Each post's block (templates/forum/_post.html) is
rendered once and kept in a small in-process LRU, keyed by everything the block shows: the
post's stored state, its author's name and role, its reactions, attachments and quote, what
the reader may do with it (app/policy.post_actions), the page, locale and time zone. A write
that changes any of these changes the key, so a stale block is never served, by this
process or any other, and no write has to know about the cache (issue 12)."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import get_locale, get_timezone
from markupsafe import Markup

from app import policy
from app.fragments import TOKEN, BlockCache
from app.forum.labels import REACTION_LABELS
from app.forum.models import REACTIONS
from app.policy import Actor

MAX_BLOCKS = 4096  # a few MB: about 80 pages of 50 posts in each locale and view


blocks = BlockCache(MAX_BLOCKS)


def _post_key(post, acts, page, quote) -> tuple:
    author = post.author
    summaries = tuple((r.kind, tuple(r.names)) for r in page.reactions.get(post.id, ()))
    attached = tuple((u.id, u.original_name, u.content_type, u.size_bytes, u.is_image,
                      u.width, u.height) for u in page.attachments.get(post.id, ()))
    return (post.id, post.number, post.created_at, post.edited_at, post.edited_by_id,
            post.author_id, post.deleted_at, post.hidden_at, post.hidden_reason,
            post.hidden_source, post.review_requested_at, post.erased_at, post.body_html,
            author.shown_name, author.role, author.ended_at,
            summaries, tuple(sorted(page.my_reactions.get(post.id, ()))), attached, quote,
            acts, page.first_unread == post.number)


def post_blocks(actor: Actor, space, thread, page, quotes: dict) -> list[tuple]:
    """(post, the HTML of the post up to its statement and closing </li>) for each post on
    `page`, in order."""
    actions = policy.post_actions(actor, thread, page.posts)
    # The same for every post of the page: where it is (behind a proxy's path prefix too:
    # its links start with it), and how the reader reads.
    shared = (request.script_root, space.slug, thread.id, page.page, str(get_locale()),
              str(get_timezone()))
    labels = None
    out = []
    for post in page.posts:
        quote = quotes.get(post.id)
        key = shared + _post_key(post, actions[post.id], page, quote)
        block = blocks.get(key)
        if block is None:
            if labels is None:  # translated once per page, only when something is rendered
                labels = {kind: str(REACTION_LABELS[kind]) for kind in REACTIONS}
            block = render_template("forum/_post.html", post=post, page=page, space=space,
                                    thread=thread, quotes=quotes, acts=actions[post.id],
                                    labels=labels, reactions=REACTIONS,
                                    token=TOKEN)
            blocks.put(key, block)
        out.append((post, Markup(block)))  # the token: app/fragments.splice_response
    return out
