"""Reading the moderation log: the filtered, paginated page for facilitators and the same
rows as CSV. Only facilitators read it; the rows name no flaggers and hold no post text."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from app import policy
from app.csv_cells import safe_cell
from app.dates import format_sortable_moment
from app.errors import require
from app.extensions import db
from app.moderation.labels import ACTION_LABELS, OUTCOME_LABELS, REASON_LABELS
from app.forum.models import Thread, ThreadTitleRevision
from app.moderation.log import ACTIONS, RENAME_THREAD, ROLE_CHANGE
from app.moderation.models import ModerationLog
from app.paging import reach
from app.policy import Actor
from app.spaces.labels import ROLE_LABELS
from app.spaces.models import Space

PER_PAGE = 50
CSV_LIMIT = 50_000


@dataclass
class LogFilter:
    action: str | None = None
    who: int | None = None  # the acting membership
    since: date | None = None  # local calendar days, both inclusive
    until: date | None = None

    def conditions(self, space: Space) -> list:
        zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
        where = [ModerationLog.space_id == space.id]
        if self.action in ACTIONS:
            where.append(ModerationLog.action == self.action)
        if self.who:
            where.append(ModerationLog.actor_id == self.who)
        if self.since:
            where.append(ModerationLog.created_at >= datetime.combine(self.since, time(), zone))
        if self.until:
            end = datetime.combine(self.until + timedelta(days=1), time(), zone)
            where.append(ModerationLog.created_at < end)
        return where


@dataclass
class LogPage:
    entries: list[ModerationLog]
    page: int
    pages: int  # the last page known to exist (app/paging.py)
    more: bool  # ... and there are pages after it, not counted
    actors: list[tuple[int, str]]  # who ever acted here, for the filter
    renames: dict[int, tuple[str, str]] = field(default_factory=dict)  # see renamed_titles


def log_page(actor: Actor, space: Space, filters: LogFilter, page: int = 1) -> LogPage:
    require(policy.can_view_moderation_log(actor, space))
    where = filters.conditions(space)
    counted = reach(select(ModerationLog.id).where(*where), page, PER_PAGE)
    page = counted.page
    entries = list(db.session.scalars(
        select(ModerationLog).where(*where)
        .order_by(ModerationLog.created_at.desc(), ModerationLog.id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)))
    actors = [(row[0], row[1]) for row in db.session.execute(
        select(ModerationLog.actor_id, func.max(ModerationLog.actor_name))
        .where(ModerationLog.space_id == space.id, ModerationLog.actor_id.is_not(None))
        .group_by(ModerationLog.actor_id).order_by(func.max(ModerationLog.actor_name)))]
    return LogPage(entries=entries, page=page, pages=counted.pages, more=counted.more,
                   actors=actors,
                   renames=renamed_titles(entries))


def renamed_titles(entries) -> dict[int, tuple[str, str]]:
    """Before and after of each conversation rename among `entries` (log entry id → the two
    titles). The log keeps only the id of the replaced title's revision, so a title that had
    to go can still be renamed away for good; the titles are read here, in two statements,
    and only when renames are shown."""
    renames = {}
    for entry in entries:
        key, _sep, value = entry.detail.partition("=")
        if entry.action == RENAME_THREAD and key == "before_revision" and value.isdigit():
            renames[entry.id] = (entry.thread_id, int(value))
    if not renames:
        return {}
    thread_ids = {thread_id for thread_id, _rev in renames.values()}
    revisions = db.session.execute(
        select(ThreadTitleRevision.id, ThreadTitleRevision.thread_id, ThreadTitleRevision.title)
        .where(ThreadTitleRevision.thread_id.in_(thread_ids))
        .order_by(ThreadTitleRevision.id)).all()
    current = dict(db.session.execute(
        select(Thread.id, Thread.title).where(Thread.id.in_(thread_ids))).all())
    titles = {}
    for entry_id, (thread_id, revision_id) in renames.items():
        before = next((t for i, _th, t in revisions if i == revision_id), None)
        if before is None:
            continue  # the conversation is gone
        later = [t for i, th, t in revisions if th == thread_id and i > revision_id]
        titles[entry_id] = (before, later[0] if later else current.get(thread_id, ""))
    return titles


def reason_text(entry: ModerationLog) -> str:
    """A flag's reason key in words; a moderator's own words as they are."""
    if entry.action in ("flag", "flag_withdrawn") and entry.reason in REASON_LABELS:
        return str(REASON_LABELS[entry.reason])
    return entry.reason


def detail_text(entry: ModerationLog, renames: dict | None = None) -> str:
    """The "key=value" facts, with outcome keys and roles in words; a rename as its titles
    before and after (from renamed_titles)."""
    if renames and entry.id in renames:
        before, after = renames[entry.id]
        return _("before: “%(before)s”; after: “%(after)s”", before=before, after=after)
    parts = []
    for pair in entry.detail.split():
        key, _sep, value = pair.partition("=")
        if key == "outcomes":
            value = ", ".join(str(OUTCOME_LABELS.get(o, o)) for o in value.split(","))
        elif entry.action == ROLE_CHANGE and key in ("before", "after"):
            value = str(ROLE_LABELS.get(value, value))
        parts.append(f"{key}: {value}")
    return "; ".join(parts)


def log_csv(actor: Actor, space: Space, filters: LogFilter) -> str:
    """The filtered log as CSV (oldest first), for the facilitator's own records. Cells that
    a spreadsheet would run as a formula are quoted with a leading apostrophe."""
    require(policy.can_view_moderation_log(actor, space))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "time", "action", "by", "concerning", "reason", "details",
                     "case", "conversation", "message"])
    entries = list(db.session.scalars(select(ModerationLog).where(*filters.conditions(space))
                                      .order_by(ModerationLog.created_at, ModerationLog.id)
                                      .limit(CSV_LIMIT)))
    renames = renamed_titles(entries)
    for e in entries:
        writer.writerow([safe_cell(v) for v in (
            e.id, format_sortable_moment(e.created_at),
            str(ACTION_LABELS.get(e.action, e.action)), e.actor_name, e.subject_name,
            reason_text(e), detail_text(e, renames), e.case_id or "", e.thread_id or "",
            e.post_id or "")])
    return out.getvalue()
