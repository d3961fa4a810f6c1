"""The frame every page shares (templates/_frame.html): the document's head with its style
sheet and scripts, the skip link and the brand, and the footer's links. The same for every
reader in one language, so each part is rendered once per app, locale and path prefix and
kept; the response's script nonce is spliced in per response (app/fragments.py). Rendering
them on every request cost a tenth of a thread page (issue 12)."""
from __future__ import annotations

from flask import current_app, get_template_attribute, request
from flask_babel import get_locale
from markupsafe import Markup

from app.fragments import NONCE, BlockCache
from app.headers import csp_nonce

PARTS = ("top", "head", "foot")


def kept_frame(part: str) -> Markup:
    """One part of the frame for this request (template global)."""
    # Kept on the app, not the module: tests run apps with other settings side by side in
    # one process. The video hosts are a setting the head shows: part of the key.
    kept = current_app.extensions.setdefault("kring_frame", BlockCache(64))
    key = (part, request.script_root, str(get_locale()), current_app.config["PEERTUBE_HOSTS"])
    html = kept.get(key)
    if html is None:
        # Rendered with this response's nonce, which then makes way for the stand-in (a long
        # random string no other text of the frame contains).
        html = str(get_template_attribute("_frame.html", part)()).replace(csp_nonce(), NONCE)
        kept.put(key, html)
    return Markup(html)  # the nonce: app/fragments.splice_response
