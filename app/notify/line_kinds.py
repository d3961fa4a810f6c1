"""The notification kind of the facilitators' line, registered in app/notify/kinds.py's
registry (recipients are decided by app/line/service.py)."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.notify.kinds import Kind, _html, register

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
