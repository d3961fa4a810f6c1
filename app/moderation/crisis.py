"""The crisis reason: where to get help now (texts configurable per platform) and the
worker's round that sends an unclaimed urgent report out again as a reminder."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select, update

from app.database import transactional, utcnow
from app.extensions import db
from app.moderation import notices
from app.moderation.log import REMINDER, log_action
from app.moderation.models import CONCERN, FLAG_OPEN, Flag, ModerationCase
from app.spaces.models import Space

DEFAULT_HEADING = _l("Worried about someone’s safety? Get help now, do not wait for the group:")
DEFAULT_LINES = (
    _l("113 Zelfmoordpreventie: call 113 or 0800-0113 (free), or chat at 113.nl."),
    _l("Your GP, or outside office hours the huisartsenpost."),
    _l("In danger right now: call 112."),
)


@dataclass
class CrisisHelp:
    heading: str
    lines: list[str]


def _read(path: Path) -> list[str] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    return lines or None


def crisis_help() -> CrisisHelp:
    """The platform's texts for the reader's language: <file stem>.<lang>.txt, else the file
    itself, else the built-in ones. Read on every use (a few small pages), so an operator's
    change shows without a restart."""
    configured = current_app.config.get("CRISIS_HELP_FILE") or ""
    if configured:
        path = Path(configured)
        lines = (_read(path.with_name(f"{path.stem}.{get_locale()}{path.suffix}"))
                 or _read(path))
        if lines:
            return CrisisHelp(heading=lines[0], lines=lines[1:])
    return CrisisHelp(heading=str(DEFAULT_HEADING), lines=[str(line) for line in DEFAULT_LINES])


def reminder_period() -> timedelta | None:
    minutes = int(current_app.config.get("CRISIS_REMINDER_MINUTES") or 0)
    return timedelta(minutes=minutes) if minutes > 0 else None


def _first_open_concern():
    """When the oldest open "worried about someone" flag on the case came in: the urgency
    starts there, even if the case was opened earlier for another reason."""
    return (select(func.min(Flag.created_at))
            .where(Flag.case_id == ModerationCase.id, Flag.reason == CONCERN,
                   Flag.state == FLAG_OPEN)
            .correlate(ModerationCase).scalar_subquery())


@transactional
def send_crisis_reminders(now: datetime | None = None) -> int:
    """Kring's own round (the worker): an urgent case nobody has picked up for a period goes
    out again to every moderator, marked as a reminder, once per period. Each reminder is
    one conditional UPDATE of reminded_at, so two workers never send the same one twice."""
    period = reminder_period()
    if period is None:
        return 0
    now = now or utcnow()
    cutoff = now - period
    first = _first_open_concern()
    due = db.session.execute(select(ModerationCase.id, ModerationCase.reminded_at, first).where(
        ModerationCase.resolved_at.is_(None), ModerationCase.claimed_by_id.is_(None),
        ModerationCase.is_urgent.is_(True), first.is_not(None),
        func.coalesce(ModerationCase.reminded_at, first) <= cutoff)).all()
    sent = 0
    for case_id, reminded_at, first_at in due:
        same = (ModerationCase.reminded_at.is_(None) if reminded_at is None
                else ModerationCase.reminded_at == reminded_at)
        done = db.session.execute(
            update(ModerationCase).where(and_(
                ModerationCase.id == case_id, same, ModerationCase.claimed_by_id.is_(None),
                ModerationCase.resolved_at.is_(None)))
            .values(reminded_at=now),
            execution_options={"synchronize_session": False}).rowcount
        if not done:
            continue
        case = db.session.get(ModerationCase, case_id)
        db.session.refresh(case)
        log_action(case.space_id, REMINDER, case=case, at=now,
                   detail={"unclaimed_since": first_at.isoformat(timespec="minutes")})
        notices.on_reminder(db.session.get(Space, case.space_id), case)
        sent += 1
    return sent
