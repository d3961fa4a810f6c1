"""The names of the events in the audit trail (labels for the pages: app/audit/labels.py).
Platform events have no space; space events carry the space's id."""
from __future__ import annotations

# Accounts
LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOCKOUT = "lockout"  # too many failed attempts: the throttle refused a login
LOGOUT = "logout"
SESSION_ENDED = "session_ended"  # the user ended one or all other sessions
PASSWORD_CHANGED = "password_changed"
PASSWORD_RESET_REQUESTED = "reset_requested"
PASSWORD_RESET = "password_reset"
EMAIL_CHANGED = "email_changed"
TWO_FACTOR_ENABLED = "2fa_enabled"
TWO_FACTOR_DISABLED = "2fa_disabled"
TWO_FACTOR_FAILED = "2fa_failed"
RECOVERY_CODES_RENEWED = "recovery_renewed"
RECOVERY_CODE_USED = "recovery_used"
# Data
EXPORT_REQUESTED = "export_requested"
EXPORT_DOWNLOADED = "export_downloaded"
SPACE_EXPORTED = "space_exported"
ERASED_FROM_SPACE = "erased_space"
ACCOUNT_ERASED = "erased_account"
# Spaces (facilitators and moderators)
ROLE_CHANGED = "role_changed"
MEMBER_SUSPENDED = "suspended"
MEMBER_UNSUSPENDED = "unsuspended"
MEMBER_REMOVED = "member_removed"
INVITATION_SENT = "invited"
INVITATION_REVOKED = "invite_revoked"
# Operators
SPACE_CREATED = "space_created"
RENTAL_CHANGED = "rental_changed"
RENTAL_EXTENDED = "rental_extended"
RENTAL_ENDED = "rental_ended"
SPACE_PURGED = "space_purged"
OPERATOR_GRANTED = "operator_granted"

EVENTS = frozenset(value for name, value in dict(globals()).items()
                   if name.isupper() and isinstance(value, str))
