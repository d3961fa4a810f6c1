"""The default questionnaire a facilitator starts from (in the facilitator's language, Dutch
by default): three open questions and a few statements on a scale of 1 to 5."""
from __future__ import annotations

from flask_babel import gettext as _


def default_title() -> str:
    return _("Looking back on the group")


def default_intro() -> str:
    return _("Thank you for taking part. Your answers go to the facilitators only; they help "
             "us make the group better.")


def default_open_questions() -> list[str]:
    return [_("What has the group given you?"),
            _("What was hard for you?"),
            _("What will you take with you?")]


def default_scale_questions() -> list[str]:
    return [_("I felt safe in the group."),
            _("I had enough room to say what I wanted to say."),
            _("The meetings helped me further."),
            _("I would recommend the group to someone else.")]
