"""The audit trail as CSV, through the one CSV writer (app/csv_cells.py): every cell a
spreadsheet would run as a formula is defused."""
from __future__ import annotations

from flask_babel import gettext as _

from app.audit.labels import detail_text, event_label
from app.csv_cells import csv_text
from app.dates import format_sortable_moment, machine_moment


def _common(row) -> list:
    e = row.event
    return [e.id, machine_moment(e.at), format_sortable_moment(e.at), e.event,
            event_label(e.event)]


def space_csv(rows) -> str:
    header = ["id", _("time (UTC)"), _("time"), _("event"), _("what"), _("by"),
              _("concerning"), _("from (network)"), _("details")]
    return csv_text(header, ([*_common(r), r.actor, r.subject, r.event.ip_prefix,
                              detail_text(r.event.detail)] for r in rows))


def platform_csv(rows) -> str:
    header = ["id", _("time (UTC)"), _("time"), _("event"), _("what"), _("by"),
              _("concerning"), _("group space"), _("from (network)"), _("details")]
    return csv_text(header, ([*_common(r), r.actor, r.subject, r.space, r.event.ip_prefix,
                              r.event.detail] for r in rows))
