"""Notification kinds in one registry: for each kind (the string the database stores) its
preference category, the line in the app, the email wording, the digest count and its page.
A part that adds a kind registers it here and nowhere else."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup

from app.forum.labels import shown_title
from app.forum.queries import page_of

REPLY = "reply"
MENTION = "mention"
SEED_CONTENT = "seed_content"  # announcement, assignment or statement
NEW_MEMBER = "new_member"
LIBRARY_ITEM = "library_item"  # new material from the facilitators (app/library/notices.py)
EVALUATION = "evaluation"  # a questionnaire to fill in (app/evaluation/service.py)

# Preference categories in the order of the settings page (each a NotificationSettings
# column). A category is offered only once a registered kind falls under it.
CATEGORY_LABELS = {
    "replies": _l("Replies in conversations I take part in, and mentions of my name"),
    "facilitator": _l("New announcements, assignments, statements, material and "
                      "questionnaires"),
    "members": _l("New members"),
    "flags": _l("Updates on reports"),
    "meetings": _l("Changed and cancelled meetings"),
    "line": _l("Messages on the line with the facilitators"),
    "intake": _l("New registrations for the group"),
    "rental": _l("The end of the group's rental (facilitators)"),
}


def _html(message, **names) -> Markup:
    """A translated line for a page: the message is trusted, the names (titles and display
    names written by members) are escaped, as Jinja's own gettext does."""
    return Markup(str(message)) % names


@dataclass(frozen=True)
class Kind:
    name: str
    category: str
    describe: Callable  # (row of notify.queries) -> the line in the notification list
    subject: Callable[[str], str]  # (space label) -> email subject
    line: Callable[[str], str]  # (space label) -> the sentence in the email
    count: Callable[[int], str]  # (n) -> "3 new replies" in a digest
    target: Callable  # (row) -> the URL opening the notification leads to
    # Digest counts by a finer key (the thread kind of seeded content), when there is one.
    count_by: dict[str, Callable[[int], str]] = field(default_factory=dict)


KINDS: dict[str, Kind] = {}
CATEGORY_OF: dict[str, str] = {}


def register(kind: Kind) -> Kind:
    if kind.category not in CATEGORY_LABELS:
        raise ValueError(f"unknown notification category {kind.category!r}")
    KINDS[kind.name] = kind
    CATEGORY_OF[kind.name] = kind.category
    return kind


def kind_of(name: str) -> Kind:
    """The registered kind, or a neutral stand-in for a kind no longer registered."""
    return KINDS.get(name, UNKNOWN)


def offered_categories() -> list[str]:
    used = {kind.category for kind in KINDS.values()}
    return [category for category in CATEGORY_LABELS if category in used]


def digest_count(key: str, n: int) -> str:
    """The digest's count line for a notification kind or a finer key of one."""
    if key in KINDS:
        return KINDS[key].count(n)
    for kind in KINDS.values():
        if key in kind.count_by:
            return kind.count_by[key](n)
    return UNKNOWN.count(n)


def post_target(row) -> str:
    n = row.notification
    if n.post_id is not None and row.post_number is not None:
        return url_for("forum.thread", slug=row.space_slug, thread_id=n.thread_id,
                       page=page_of(row.post_number), _anchor=f"p{row.post_number}")
    return url_for("forum.home", slug=row.space_slug)


UNKNOWN = Kind(
    name="", category="",
    describe=lambda row: _("Something new"),
    subject=lambda label: _("Something new in %(label)s", label=label),
    line=lambda label: _("Something new happened in %(label)s.", label=label),
    count=lambda n: ngettext("%(num)d new item", "%(num)d new items", n),
    target=post_target,
)

register(Kind(
    name=REPLY, category="replies",
    describe=lambda row: _html(_l('%(name)s replied in "%(title)s"'),
                               name=row.about_name, title=shown_title(row.thread_title)),
    subject=lambda label: _("New reply in %(label)s", label=label),
    line=lambda label: _("There is a new reply in a conversation you take part in, in "
                         "%(label)s.", label=label),
    count=lambda n: ngettext("%(num)d new reply", "%(num)d new replies", n),
    target=post_target,
))

register(Kind(
    name=MENTION, category="replies",
    describe=lambda row: _html(_l('%(name)s mentioned you in "%(title)s"'),
                               name=row.about_name, title=shown_title(row.thread_title)),
    subject=lambda label: _("You were mentioned in %(label)s", label=label),
    line=lambda label: _("Someone mentioned you in %(label)s.", label=label),
    count=lambda n: ngettext("%(num)d mention of your name", "%(num)d mentions of your name", n),
    target=post_target,
))

register(Kind(
    name=SEED_CONTENT, category="facilitator",
    describe=lambda row: _html(_l('New from %(name)s: "%(title)s"'),
                               name=row.about_name, title=shown_title(row.thread_title)),
    subject=lambda label: _("New from your facilitator in %(label)s", label=label),
    line=lambda label: _("Your facilitator posted something new in %(label)s.", label=label),
    count=lambda n: ngettext("%(num)d new item", "%(num)d new items", n),
    target=post_target,
    count_by={
        "announcement": lambda n: ngettext("%(num)d new announcement",
                                           "%(num)d new announcements", n),
        "assignment": lambda n: ngettext("%(num)d new assignment", "%(num)d new assignments", n),
        "statement": lambda n: ngettext("%(num)d new statement", "%(num)d new statements", n),
    },
))

register(Kind(
    name=LIBRARY_ITEM, category="facilitator",
    describe=lambda row: _html(_l("New material from %(name)s in the library"),
                               name=row.about_name),
    subject=lambda label: _("New material in %(label)s", label=label),
    line=lambda label: _("Your facilitator added new material to the library of %(label)s.",
                         label=label),
    count=lambda n: ngettext("%(num)d new item in the library", "%(num)d new items in the library",
                             n),
    target=lambda row: url_for("library.index", slug=row.space_slug),
))

register(Kind(
    name=EVALUATION, category="facilitator",
    describe=lambda row: _("A questionnaire is waiting for you"),
    subject=lambda label: _("A questionnaire for you in %(label)s", label=label),
    line=lambda label: _("Your facilitator asks you to fill in a questionnaire in %(label)s.",
                         label=label),
    count=lambda n: ngettext("%(num)d questionnaire to fill in",
                             "%(num)d questionnaires to fill in", n),
    target=lambda row: url_for("evaluation.index", slug=row.space_slug),
))

register(Kind(
    name=NEW_MEMBER, category="members",
    describe=lambda row: _html(_l("%(name)s joined the group"), name=row.about_name),
    subject=lambda label: _("Someone new in %(label)s", label=label),
    line=lambda label: _("Someone new joined %(label)s.", label=label),
    count=lambda n: ngettext("%(num)d new member", "%(num)d new members", n),
    # To the welcome thread where the group greets the newcomer, when one opened.
    target=lambda row: (url_for("forum.thread", slug=row.space_slug,
                                thread_id=row.notification.thread_id)
                        if row.notification.thread_id is not None
                        else url_for("spaces.members", slug=row.space_slug)),
))

# --- moderation (recipients decided by app/moderation/notices.py) ---------------------------
# Emails say only that something waits; never the post, its title, or who flagged.
FLAG_URGENT = "flag_urgent"
FLAG_NEW = "flag_new"
FLAG_REMINDER = "flag_reminder"
FLAG_HANDLED = "flag_handled"
POST_HIDDEN = "post_hidden"
MOD_WARNING = "mod_warning"
CLAIM_EXPIRED = "claim_expired"


def _queue(row) -> str:
    return url_for("moderation.queue", slug=row.space_slug)


register(Kind(
    name=FLAG_URGENT, category="flags",
    describe=lambda row: _html(_l('Urgent: someone is worried about a member, in "%(title)s"'),
                               title=shown_title(row.thread_title)),
    subject=lambda label: _("Urgent report waiting in %(label)s", label=label),
    line=lambda label: _("Someone in %(label)s is worried about a member. An urgent report is "
                         "waiting for a moderator. Open Kring to pick it up.", label=label),
    count=lambda n: ngettext("%(num)d urgent report", "%(num)d urgent reports", n),
    target=_queue,
))

register(Kind(
    name=FLAG_REMINDER, category="flags",
    describe=lambda row: _html(_l('Reminder: an urgent report in "%(title)s" is still waiting'),
                               title=shown_title(row.thread_title)),
    subject=lambda label: _("Reminder: urgent report waiting in %(label)s", label=label),
    line=lambda label: _("Reminder: an urgent report in %(label)s has not been picked up yet. "
                         "Open Kring to pick it up.", label=label),
    count=lambda n: ngettext("%(num)d reminder about an urgent report",
                             "%(num)d reminders about urgent reports", n),
    target=_queue,
))

register(Kind(
    name=FLAG_NEW, category="flags",
    describe=lambda row: _html(_l('New report about a message in "%(title)s"'),
                               title=shown_title(row.thread_title)),
    subject=lambda label: _("New report in %(label)s", label=label),
    line=lambda label: _("A message in %(label)s was reported and waits for a moderator.",
                         label=label),
    count=lambda n: ngettext("%(num)d new report", "%(num)d new reports", n),
    target=_queue,
))

register(Kind(
    name=CLAIM_EXPIRED, category="flags",
    describe=lambda row: _html(_l('A report about "%(title)s" is waiting again: it was not '
                                  'handled within 48 hours'),
                               title=shown_title(row.thread_title)),
    subject=lambda label: _("A report is waiting again in %(label)s", label=label),
    line=lambda label: _("A report in %(label)s was picked up but not handled within 48 hours. "
                         "It is waiting again.", label=label),
    count=lambda n: ngettext("%(num)d report waiting again", "%(num)d reports waiting again", n),
    target=_queue,
))

register(Kind(
    name=FLAG_HANDLED, category="flags",
    describe=lambda row: _("Your report was handled. Thank you for letting us know."),
    subject=lambda label: _("Your report in %(label)s was handled", label=label),
    line=lambda label: _("A report you made in %(label)s was handled. Thank you.", label=label),
    count=lambda n: ngettext("%(num)d report handled", "%(num)d reports handled", n),
    target=lambda row: url_for("moderation.flag", slug=row.space_slug,
                               post_id=row.notification.post_id),
))

register(Kind(
    name=POST_HIDDEN, category="flags",
    describe=lambda row: _html(_l('A moderator hid your message in "%(title)s"'),
                               title=shown_title(row.thread_title)),
    subject=lambda label: _("One of your messages in %(label)s was hidden", label=label),
    line=lambda label: _("A moderator hid one of your messages in %(label)s. Open Kring to see "
                         "why; you can edit it and ask for another look.", label=label),
    count=lambda n: ngettext("%(num)d message of yours hidden", "%(num)d messages of yours hidden", n),
    target=post_target,
))

register(Kind(
    name=MOD_WARNING, category="flags",
    describe=lambda row: _("You have a private message from the moderators"),
    subject=lambda label: _("A private message for you in %(label)s", label=label),
    line=lambda label: _("The moderators of %(label)s sent you a private message. Open Kring "
                         "to read it.", label=label),
    count=lambda n: ngettext("%(num)d private message", "%(num)d private messages", n),
    target=lambda row: url_for("moderation.notices", slug=row.space_slug),
))

# --- the end of the rental (recipients: the facilitators, app/retention/warnings.py) ----------
# Content-free like every mail; the date itself is on the group's pages.
RENTAL_ENDING = "rental_ending"

register(Kind(
    name=RENTAL_ENDING, category="rental",
    describe=lambda row: _("The rental of this group space ends soon"),
    subject=lambda label: _("The rental of %(label)s ends soon", label=label),
    line=lambda label: _("The rental of %(label)s ends soon. After the last day the group can "
                         "only be read for a while, then it is deleted. Open Kring to see the "
                         "dates and to make a copy.", label=label),
    count=lambda n: ngettext("%(num)d notice about the end of the rental",
                             "%(num)d notices about the end of the rental", n),
    target=lambda row: url_for("forum.home", slug=row.space_slug),
))

# The kinds of the group's rhythm (meetings, intake, the facilitators' line) and of exports
# live in modules of their own, registered when the registry loads.
from app.notify import rhythm_kinds  # noqa: E402,F401
from app.notify import export_kinds  # noqa: E402,F401
