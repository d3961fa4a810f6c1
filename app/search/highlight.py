"""A snippet from the index as safe HTML: everything escaped, then only the index's own match
markers become <mark> (balanced, so a stray marker cannot leave an element open)."""
from __future__ import annotations

import re

from markupsafe import Markup, escape

from app.search.index import START, STOP

_MARKERS = re.compile(f"([{START}{STOP}])")


def highlighted(snippet: str | None) -> Markup:
    parts, open_mark = [], False
    for part in _MARKERS.split(snippet or ""):
        if part == START:
            if not open_mark:
                parts.append("<mark>")
            open_mark = True
        elif part == STOP:
            if open_mark:
                parts.append("</mark>")
            open_mark = False
        else:
            parts.append(str(escape(part)))
    if open_mark:
        parts.append("</mark>")
    return Markup("".join(parts))
