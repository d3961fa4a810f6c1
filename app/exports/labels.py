"""The words of an export's readable page (index.html): a heading or label for every key
of data.json, and the status words of the export pages."""
from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from app.dates import format_day, format_moment
from app.exports.models import EXPIRED, FAILED, QUEUED, READY, RUNNING
from app.forum.labels import REACTION_LABELS, THREAD_KIND_LABELS
from app.library.labels import KIND_LABELS
from app.spaces.labels import ROLE_LABELS

STATUS_LABELS = {
    QUEUED: _l("Waiting to start"),
    RUNNING: _l("Being made"),
    READY: _l("Ready"),
    FAILED: _l("Something went wrong"),
    EXPIRED: _l("No longer available"),
}

KEY_LABELS = {
    # sections of a personal export
    "profile": _l("Your account"),
    "memberships": _l("Your groups"),
    "threads_started": _l("Conversations you started"),
    "posts": _l("Your messages"),
    "reactions": _l("Your reactions"),
    "statement_positions": _l("Your positions on statements"),
    "files": _l("Your files"),
    "library": _l("Library"),
    "absences": _l("Cancellations and attendance"),
    "periods_away": _l("Periods away"),
    "line_messages": _l("Your messages on the line with the facilitators"),
    "registrations": _l("Registrations for a group"),
    "questionnaire_answers": _l("Your answers to questionnaires"),
    "calendar_feed": _l("Calendar link"),
    "sessions": _l("Logins (sessions)"),
    "notifications": _l("Notifications"),
    "agreements_accepted": _l("Working agreements you accepted"),
    "reports_made": _l("Reports you made"),
    "messages_from_moderators": _l("Private messages from the moderators"),
    # sections of a space export
    "group": _l("Group"),
    "threads": _l("Conversations"),
    "attachments": _l("Attachments"),
    "agreements": _l("Working agreements"),
    "files_missing": _l("Files that could not be found"),
    # fields
    "email": _l("Email address"),
    "language": _l("Language"),
    "created": _l("Created"),
    "last_login": _l("Last login"),
    "settings": _l("Settings"),
    "mail_on_new_device": _l("Email when you log in on a new device"),
    "two_factor_on": _l("Two-step login on"),
    "display_name": _l("Your name in the group"),
    "role": _l("Role"),
    "joined": _l("Joined"),
    "ended": _l("Ended"),
    "agreed_meetings": _l("Number of meetings agreed"),
    "leaves_on": _l("Last day"),
    "last_visit_day": _l("Last visit"),
    "suspended": _l("Suspended"),
    "suspended_until": _l("Suspended until"),
    "anonymous_after_leaving": _l("Shown as former member after leaving"),
    "notification_settings": _l("Notification settings"),
    "thread": _l("Conversation number"),
    "thread_title": _l("Conversation"),
    "kind": _l("Kind"),
    "title": _l("Title"),
    "number": _l("Number"),
    "edited": _l("Edited"),
    "edited_by_someone_else": _l("Edited by a moderator"),
    "deleted": _l("Deleted"),
    "hidden": _l("Hidden"),
    "planned_for": _l("Planned for"),
    "text": _l("Text"),
    "earlier_texts": _l("Earlier versions"),
    "replaced": _l("Replaced"),
    "replaced_by_someone_else": _l("Replaced by a moderator"),
    "post": _l("Message number"),
    "reaction": _l("Reaction"),
    "position": _l("Position"),
    "chosen": _l("Chosen"),
    "id": _l("Number"),
    "name": _l("Name"),
    "type": _l("Type"),
    "size": _l("Size (bytes)"),
    "in_zip": _l("File in this download"),
    "description": _l("Description"),
    "url": _l("Link"),
    "file": _l("File"),
    "meeting_start": _l("Meeting"),
    "cancelled": _l("Cancelled"),
    "reason": _l("Reason"),
    "recorded_attendance": _l("Attendance recorded"),
    "recorded": _l("Recorded"),
    "first_day": _l("First day"),
    "last_day": _l("Last day"),
    "sent": _l("Sent"),
    "status": _l("Status"),
    "answers": _l("Answers"),
    "question": _l("Question"),
    "answer": _l("Answer"),
    "score": _l("Score"),
    "confirmed": _l("Confirmed"),
    "decided": _l("Decided"),
    "answers_deleted": _l("Answers deleted"),
    "questionnaire": _l("Questionnaire"),
    "answered": _l("Answered"),
    "exists": _l("Exists"),
    "neutral_titles": _l("Neutral titles"),
    "device": _l("Device"),
    "network": _l("Network (approximate)"),
    "started": _l("Started"),
    "last_seen": _l("Last seen"),
    "read": _l("Read"),
    "mailed": _l("Emailed"),
    "version": _l("Version"),
    "accepted": _l("Accepted"),
    "note": _l("Note"),
    "state": _l("State"),
    "withdrawn": _l("Withdrawn"),
    "handled": _l("Handled"),
    "theme": _l("Theme"),
    "rental_start": _l("Rental start"),
    "rental_end": _l("Rental end"),
    "started_by": _l("Started by"),
    "locked": _l("Closed"),
    "author": _l("Written by"),
    "added_by": _l("Added by"),
    "from_facilitators": _l("From the facilitators"),
    # notification settings columns
    "replies": _l("Replies"),
    "facilitator": _l("From the facilitators"),
    "members": _l("New members"),
    "flags": _l("Reports"),
    "meetings": _l("Meetings"),
    "line": _l("Line"),
    "intake": _l("Registrations"),
    "digest_hour": _l("Hour of the summary email"),
    "neutral_label": _l("Neutral group name in emails"),
}


def label(key: str) -> str:
    return str(KEY_LABELS.get(key, key))


_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+00:00")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_WORDS = {"role": ROLE_LABELS, "reaction": REACTION_LABELS,
          "kind": {**THREAD_KIND_LABELS, **KIND_LABELS}}


def shown(key: str, value: str) -> str:
    """A value of data.json as the readable page shows it: moments and days in words on
    Kring's clock, roles and reactions by their names; everything else as it is."""
    if key in _WORDS and value in _WORDS[key]:
        return str(_WORDS[key][value])
    if _MOMENT.fullmatch(value):
        return format_moment(datetime.fromisoformat(value))
    if _DAY.fullmatch(value):
        return format_day(date.fromisoformat(value))
    return value
