"""The library's words for its values: kinds and built-in categories, one mapping each, used
by the forms, the filters and the pages."""
from flask_babel import lazy_gettext as _l

from app.library.models import (
    ASSIGNMENTS, BUILTIN_CATEGORIES, FILE, FROM_GROUP, KINDS, LINK, TIPS, VIDEO, VIDEOS,
)

KIND_LABELS = {
    FILE: _l("File"),
    LINK: _l("Link"),
    VIDEO: _l("Video"),
}
assert tuple(KIND_LABELS) == KINDS, "every kind needs its label"

CATEGORY_LABELS = {
    TIPS: _l("Tips"),
    ASSIGNMENTS: _l("Assignments"),
    VIDEOS: _l("Videos"),
    FROM_GROUP: _l("From the group"),
}
assert tuple(CATEGORY_LABELS) == BUILTIN_CATEGORIES, "every category needs its label"

FROM_LEADS = _l("From the facilitators")


def category_label(item):
    """The name of an item's category (its own category loaded with it)."""
    if item.category is not None:
        return CATEGORY_LABELS.get(item.category, item.category)
    return item.own_category.name if item.own_category is not None else ""
