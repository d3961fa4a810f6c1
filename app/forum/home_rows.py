"""The space home's thread rows as HTML, each row (templates/forum/_thread_row.html)
rendered once and kept (app/fragments.py), keyed by everything it shows: the thread's state,
title, author, count and last activity, the reader's read position and statement or
assignment mark, whether the reader may see a hidden conversation (app/policy), the locale
and time zone. A write changes the key, so no write has to know about the kept rows."""
from __future__ import annotations

from flask import get_template_attribute, request
from flask_babel import get_locale, get_timezone
from markupsafe import Markup

from app import policy
from app.fragments import BlockCache
from app.policy import Actor

rows = BlockCache(2048)


def _row_key(actor: Actor, space, row) -> tuple:
    thread, author, mark = row.thread, row.thread.author, row.mark
    return (request.script_root, space.slug, str(get_locale()), str(get_timezone()),
            thread.hidden_at is None or policy.can_view_hidden_thread(actor, thread),
            thread.id, thread.kind, thread.is_pinned, thread.is_locked, thread.title_removed_at,
            thread.hidden_at, thread.title, thread.post_count, thread.last_post_at,
            author.shown_name, author.role, author.ended_at, row.last_read,
            None if mark is None else (mark.due_at, mark.all_day, mark.chosen))


def row_renderer(actor: Actor):
    """`kept_row(space, row)` for the home template: the kept row, or the macro's render."""
    def kept_row(space, row) -> Markup:
        key = _row_key(actor, space, row)
        html = rows.get(key)
        if html is None:
            html = str(get_template_attribute("forum/_thread_row.html", "thread_row")(space, row))
            rows.put(key, html)
        return Markup(html)
    return kept_row
