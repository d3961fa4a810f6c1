"""The words for the roles in a space, one mapping used by the forms and (as template
globals) by the pages, in the order the role menus offer them: the name of each role, the
one sentence that explains it, and the badge shown next to a name."""
from flask_babel import lazy_gettext as _l

from app.spaces.models import COFACILITATOR, FACILITATOR, MEMBER, MODERATOR

ROLE_LABELS = {
    MEMBER: _l("Member"),
    MODERATOR: _l("Moderator"),
    COFACILITATOR: _l("Co-facilitator"),
    FACILITATOR: _l("Facilitator"),
}

ROLE_EXPLANATIONS = {
    MEMBER: _l("Takes part: reads, writes and reacts in the conversations."),
    MODERATOR: _l("Helps keep the group safe: picks up reports, can hide messages and "
                  "conversations, rename and close conversations, and can still reply in a "
                  "closed one."),
    COFACILITATOR: _l("Helps lead the group: posts announcements, assignments and "
                      "statements, pins and closes conversations and can change their titles."),
    FACILITATOR: _l("Leads the group: invites people, manages members and roles, and sets "
                    "the working agreements and the group's settings."),
}
assert ROLE_EXPLANATIONS.keys() == ROLE_LABELS.keys(), "every role needs its explanation"


def role_badge(membership):
    """The role label shown next to someone's name, or None: plain members get no badge,
    and neither does someone who has left the group (they no longer hold the role)."""
    if membership.ended_at is not None or membership.role == MEMBER:
        return None
    return ROLE_LABELS.get(membership.role)
