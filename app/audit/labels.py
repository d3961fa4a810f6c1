"""The audit trail's words: one label per event (app/audit/events.py), the events a space's
page can show, and the short facts of an event's detail in words."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from app.audit import events as e
from app.dates import format_day, format_moment
from app.spaces.labels import ROLE_LABELS

EVENT_LABELS = {
    e.LOGIN: _l("Logged in"),
    e.LOGIN_FAILED: _l("Login failed"),
    e.LOCKOUT: _l("Login blocked after too many attempts"),
    e.LOGOUT: _l("Logged out"),
    e.SESSION_ENDED: _l("Session ended"),
    e.PASSWORD_CHANGED: _l("Password changed"),
    e.PASSWORD_RESET_REQUESTED: _l("New password requested"),
    e.PASSWORD_RESET: _l("Password set through a reset link"),
    e.EMAIL_CHANGED: _l("Email address changed"),
    e.TWO_FACTOR_ENABLED: _l("Two-step login switched on"),
    e.TWO_FACTOR_DISABLED: _l("Two-step login switched off"),
    e.TWO_FACTOR_FAILED: _l("Wrong login code"),
    e.RECOVERY_CODES_RENEWED: _l("New recovery codes made"),
    e.RECOVERY_CODE_USED: _l("Recovery code used"),
    e.EXPORT_REQUESTED: _l("Personal data requested"),
    e.EXPORT_DOWNLOADED: _l("Personal data downloaded"),
    e.SPACE_EXPORTED: _l("Group space exported"),
    e.ERASED_FROM_SPACE: _l("Data in a group deleted"),
    e.ACCOUNT_ERASED: _l("Account deleted"),
    e.ROLE_CHANGED: _l("Role changed"),
    e.MEMBER_SUSPENDED: _l("Access denied"),
    e.MEMBER_UNSUSPENDED: _l("Access given back"),
    e.MEMBER_REMOVED: _l("Removed from the group"),
    e.INVITATION_SENT: _l("Invitation sent"),
    e.INVITATION_REVOKED: _l("Invitation withdrawn"),
    e.SPACE_CREATED: _l("Group space created"),
    e.RENTAL_CHANGED: _l("Rental changed"),
    e.RENTAL_EXTENDED: _l("Rental extended"),
    e.RENTAL_ENDED: _l("Rental ended"),
    e.SPACE_PURGED: _l("Group space deleted"),
    e.OPERATOR_GRANTED: _l("Made platform operator"),
}

# Who did it, when no account did (a failed login, the command line, the worker).
NOBODY = "—"
# An account without a name in the space (an invitee who has not joined), and an operator.
OUTSIDER = _l("someone outside the group")
OPERATOR = _l("platform operator")

# Events about one person's account, never about a group: the space's page does not offer
# them as a filter (they carry no space).
ACCOUNT_EVENTS = frozenset({
    e.LOGIN, e.LOGIN_FAILED, e.LOCKOUT, e.LOGOUT, e.SESSION_ENDED, e.PASSWORD_CHANGED,
    e.PASSWORD_RESET_REQUESTED, e.PASSWORD_RESET, e.EMAIL_CHANGED, e.TWO_FACTOR_ENABLED,
    e.TWO_FACTOR_DISABLED, e.TWO_FACTOR_FAILED, e.RECOVERY_CODES_RENEWED, e.RECOVERY_CODE_USED,
    e.EXPORT_REQUESTED, e.EXPORT_DOWNLOADED, e.ACCOUNT_ERASED, e.OPERATOR_GRANTED,
})
SPACE_EVENT_LABELS = {k: v for k, v in EVENT_LABELS.items() if k not in ACCOUNT_EVENTS}

# The keys an event's detail may hold, in words.
DETAIL_KEYS = {
    "before": _l("before"), "after": _l("after"), "until": _l("until"), "role": _l("role"),
    "invitation": _l("invitation"), "changed": _l("changed"), "mail": _l("mail"),
}
RENTAL_FIELDS = {
    "name": _l("name"), "theme": _l("theme"), "description": _l("description"),
    "renter": _l("renter"), "rental_start": _l("first day"), "rental_end": _l("last day"),
    "seat_limit": _l("seats"),
}
DETAIL_VALUES = {
    "indefinite": _l("further notice"), "sent": _l("sent"),
    "throttled": _l("not sent (too many requests)"),
}


def event_label(event: str) -> str:
    return str(EVENT_LABELS.get(event, event))


def _value_text(key: str, value: str) -> str:
    if value in ROLE_LABELS:
        return str(ROLE_LABELS[value])
    if value in DETAIL_VALUES:
        return str(DETAIL_VALUES[value])
    if key == "changed":
        return ", ".join(str(RENTAL_FIELDS.get(v, v)) for v in value.split(","))
    try:
        if "T" in value:  # a moment in UTC ("2026-12-10T18:00+00:00"): on the reader's clock
            return format_moment(datetime.fromisoformat(value))
        return format_day(date.fromisoformat(value)) if len(value) == 10 else value
    except ValueError:
        return value


def detail_text(detail: str) -> str:
    """"before=member after=moderator" → "before: Member; after: Moderator"."""
    parts = []
    for pair in detail.split():
        key, _sep, value = pair.partition("=")
        parts.append(f"{DETAIL_KEYS.get(key, key)}: {_value_text(key, value)}")
    return "; ".join(parts)
