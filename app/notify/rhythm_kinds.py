"""The notification kinds of the group's rhythm: changed and cancelled meetings, new
registrations, messages on the facilitators' line. Registered in app/notify/kinds.py's
registry; who is told is decided by app/meetings/notices.py, app/intake/notices.py and
app/line/service.py."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.notify.kinds import Kind, _html, register

# --- meetings (recipients decided by app/meetings/notices.py) --------------------------------
# Content-free: neither the day, the place nor the topic is in the mail.
MEETING_CHANGED = "meeting_changed"
MEETING_CANCELLED = "meeting_cancelled"


def _meetings(row) -> str:
    return url_for("meetings.index", slug=row.space_slug)


register(Kind(
    name=MEETING_CHANGED, category="meetings",
    describe=lambda row: _("A meeting of your group was changed"),
    subject=lambda label: _("A meeting changed in %(label)s", label=label),
    line=lambda label: _("A meeting of %(label)s was changed. Open Kring to see the new "
                         "details.", label=label),
    count=lambda n: ngettext("%(num)d changed meeting", "%(num)d changed meetings", n),
    target=_meetings,
))

register(Kind(
    name=MEETING_CANCELLED, category="meetings",
    describe=lambda row: _("A meeting of your group was cancelled"),
    subject=lambda label: _("A meeting was cancelled in %(label)s", label=label),
    line=lambda label: _("A meeting of %(label)s was cancelled. Open Kring to see which "
                         "one.", label=label),
    count=lambda n: ngettext("%(num)d cancelled meeting", "%(num)d cancelled meetings", n),
    target=_meetings,
))

# --- intake (recipients decided by app/intake/notices.py) ------------------------------------
# Neither the app's line nor the email names the candidate: the registrations list does.
INTAKE_NEW = "intake_new"

register(Kind(
    name=INTAKE_NEW, category="intake",
    describe=lambda row: _("Someone registered for the group"),
    subject=lambda label: _("New registration for %(label)s", label=label),
    line=lambda label: _("Someone registered for %(label)s and confirmed their email address. "
                         "Open Kring to see the registration.", label=label),
    count=lambda n: ngettext("%(num)d new registration", "%(num)d new registrations", n),
    target=lambda row: url_for("intake.registrations", slug=row.space_slug),
))

# --- the facilitators' line (recipients decided by app/line/service.py) --------------------
# `about_id` is the member whose line it is. Emails never carry the message or who wrote.
LINE_MESSAGE = "line_message"


def _line_target(row) -> str:
    n = row.notification
    if n.about_id == n.membership_id:  # the member's own line
        return url_for("line.index", slug=row.space_slug, _anchor="latest")
    return url_for("line.conversation", slug=row.space_slug, member_id=n.about_id,
                   _anchor="latest")


register(Kind(
    name=LINE_MESSAGE, category="line",
    describe=lambda row: (_("The facilitators wrote to you privately")
                          if row.notification.about_id == row.notification.membership_id
                          else _html(_l("New private message on the line with %(name)s"),
                                     name=row.about_name)),
    subject=lambda label: _("There is a message for you in Kring (%(label)s)", label=label),
    line=lambda label: _("There is a message for you in Kring (%(label)s). Open Kring to "
                         "read it.", label=label),
    count=lambda n: ngettext("%(num)d private message on the line",
                             "%(num)d private messages on the line", n),
    target=_line_target,
))
