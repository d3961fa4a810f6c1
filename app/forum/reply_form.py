"""The reply form at the foot of a thread page. While it is empty (a page opened without a
quote) it is the same for everyone who sees the thread alike, so it is kept rendered
(app/fragments.py), keyed by all it shows: the path prefix, the locale, the space and the
thread it posts to, the page its "remove the quote" link returns to, whether the thread is
closed and whether the reader may plan a reply. The reader's CSRF token and this response's
script nonce are swapped in per request. A form holding text, errors or a quote is rendered
afresh, and an empty one is kept without building a WTForms form on every view (issue 12)."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from app import policy
from app.forum.forms import PostForm
from app.fragments import NONCE, TOKEN, BlockCache
from app.headers import csp_nonce


kept = BlockCache(1024)


def reply_form(actor, space, thread, page, form: PostForm | None, quoting) -> Markup | None:
    """The form's HTML, or None when the reader may not reply. `form` None: an empty form."""
    if not policy.can_reply_thread(actor, thread):
        return None
    may_plan = policy.can_schedule(actor, space)
    if form is not None or quoting is not None:
        return Markup(_render(space, thread, page, form or PostForm(), quoting, may_plan))
    key = (request.script_root, str(get_locale()), space.slug, thread.id, thread.is_locked,
           page.page, may_plan)
    html = kept.get(key)
    if html is None:
        # Rendered with this request's token and nonce, which then make way for the stand-ins:
        # both are long random strings the form's own text never contains.
        html = (_render(space, thread, page, PostForm(), None, may_plan)
                .replace(generate_csrf(), TOKEN)
                .replace(csp_nonce(), NONCE))
        kept.put(key, html)
    return Markup(html)  # token and nonce: app/fragments.splice_response


def _render(space, thread, page, form, quoting, may_plan: bool) -> str:
    return render_template("forum/_reply_form.html", space=space, thread=thread, page=page,
                           form=form, quoting=quoting, may_plan=may_plan)
