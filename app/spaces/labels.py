"""The words for the roles in a space, one mapping used by the forms and (as a template
global) by the pages, in the order the role menus offer them."""
from flask_babel import lazy_gettext as _l

from app.spaces.models import COFACILITATOR, FACILITATOR, MEMBER, MODERATOR

ROLE_LABELS = {
    MEMBER: _l("Member"),
    MODERATOR: _l("Moderator"),
    COFACILITATOR: _l("Co-facilitator"),
    FACILITATOR: _l("Facilitator"),
}
