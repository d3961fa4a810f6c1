"""User text on its way in: one-line fields and titles cleaned, longer texts checked, and
Markdown rendered (app/markup.py) with a refusal instead of silently dropped text."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.errors import ServiceError
from app.markup import MarkupError, render

TITLE_MAX = 200
BODY_MAX = 20_000


def render_or_refuse(source: str, field: str = "body") -> str:
    """Sanitised HTML for the Markdown source, or a ServiceError at `field` when rendering
    would lose part of the text."""
    try:
        return render(source)
    except MarkupError:
        raise ServiceError(_("This text is nested too deeply (lists or quotes inside each "
                             "other) to show it completely. Use fewer levels."), field) from None


def _checked(value: str, field: str, limit: int, *, required: bool, empty, too_long) -> str:
    if required and not value:
        raise ServiceError(str(empty), field)
    if len(value) > limit:
        raise ServiceError(str(too_long) % {"n": limit, "m": len(value)}, field)
    return value


def clean_line(value: str, field: str, limit: int, *, required: bool = False) -> str:
    """A one-line field (a name, a theme, a renter): runs of whitespace and line breaks become
    one space, since such fields end up in lists and email subjects."""
    return _checked(" ".join(value.split()), field, limit, required=required,
                    empty=_l("This field is required."),
                    too_long=_l("At most %(n)d characters (now %(m)d)."))


def clean_text(value: str, field: str, limit: int, *, required: bool = False) -> str:
    """A text that may have lines (a description): only the ends are trimmed."""
    return _checked(value.strip(), field, limit, required=required,
                    empty=_l("This field is required."),
                    too_long=_l("At most %(n)d characters (now %(m)d)."))


def clean_title(title: str, field: str = "title", limit: int = TITLE_MAX) -> str:
    """A title is a required one-line field."""
    return _checked(" ".join(title.split()), field, limit, required=True,
                    empty=_l("Give the conversation a title."),
                    too_long=_l("A title can be at most %(n)d characters (now %(m)d)."))


def clean_body(body: str, field: str = "body", limit: int = BODY_MAX) -> str:
    """A message body: required, trimmed at the ends, Markdown rendered later."""
    return _checked(body.strip(), field, limit, required=True,
                    empty=_l("Write a message first."),
                    too_long=_l("A message can be at most %(n)d characters (now %(m)d)."))
