"""The notification kind of exports: a facilitator's copy of the whole space is ready
(recipients decided by app/exports/notices.py). Registered in app/notify/kinds.py's registry;
a member's own export belongs to no group, so it is told by a plain mail instead."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.notify.kinds import Kind, register

# The mail says only that a copy is ready; the category is the facilitators' "end of the
# rental" one, though the mail goes at once whatever its setting (they asked for it).
EXPORT_READY = "export_ready"

register(Kind(
    name=EXPORT_READY, category="rental",
    describe=lambda row: _("The export of the group you asked for is ready to download"),
    subject=lambda label: _("Your export of %(label)s is ready", label=label),
    line=lambda label: _("The export of %(label)s you asked for is ready. Open Kring to "
                         "download it.", label=label),
    count=lambda n: ngettext("%(num)d export ready", "%(num)d exports ready", n),
    target=lambda row: url_for("exports.space", slug=row.space_slug),
))
