"""Reading the audit trail: the operators' page (every event, people as account ids, an
operator's with the email) and a space's page for its facilitators (that space's events, people as their names in
that space). A window pager: the pages around this one, never a count of every row."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, func, select

from app import policy
from app.accounts.models import User
from app.audit.events import EVENTS
from app.audit.labels import NOBODY, OPERATOR, OUTSIDER
from app.audit.models import AuditEvent
from app.errors import require
from app.extensions import db
from app.policy import Actor
from app.spaces.models import Membership, Space, shown_name_of

PER_PAGE = 50
WINDOW = 2  # pages linked on either side of the current one
CSV_LIMIT = 50_000  # the newest events matching the filters


@dataclass
class AuditFilter:
    event: str | None = None
    since: date | None = None  # local calendar days, both inclusive
    until: date | None = None
    space_id: int | None = None  # the operators' page only

    def conditions(self) -> list:
        zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
        where = []
        if self.event in EVENTS:
            where.append(AuditEvent.event == self.event)
        if self.since:
            where.append(AuditEvent.at >= datetime.combine(self.since, time(), zone))
        if self.until:
            where.append(AuditEvent.at < datetime.combine(self.until + timedelta(days=1),
                                                           time(), zone))
        if self.space_id:
            where.append(AuditEvent.space_id == self.space_id)
        return where


@dataclass
class Row:
    """One event as a page shows it: who and whom in the words the reader may see."""
    event: AuditEvent
    actor: str
    subject: str
    space: str = ""  # the operators' page: which space


@dataclass
class AuditPage:
    rows: list[Row]
    page: int
    before: list[int]  # page numbers linked before this one
    after: list[int]  # ... and after it
    more: bool  # pages beyond the last one linked
    spaces: list[tuple[int, str]] = field(default_factory=list)  # the operators' filter


ORDER = (AuditEvent.at.desc(), AuditEvent.id.desc())


def _newest(where: list, limit: int, offset: int = 0) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(*where).order_by(*ORDER)
                                   .limit(limit).offset(offset)))


def _window(where: list, page: int):
    """This page's events (newest first) and the numbers of the pages around it: the rows
    after this page are counted only as far as the window reaches."""
    events = _newest(where, PER_PAGE, (page - 1) * PER_PAGE)
    reach = WINDOW * PER_PAGE
    ahead = select(AuditEvent.id).where(*where).order_by(*ORDER) \
        .offset(page * PER_PAGE).limit(reach + 1).subquery()
    following = db.session.scalar(select(func.count()).select_from(ahead))
    after = list(range(page + 1, page + 1 + -(-min(following, reach) // PER_PAGE)))
    before = list(range(max(1, page - WINDOW), page))
    return events, before, after, following > reach


def _people(events) -> set[int]:
    return {i for e in events for i in (e.actor_user_id, e.subject_user_id) if i is not None}


# --- a space's page (its facilitators) -------------------------------------------------------

def _names_in(space: Space, user_ids: set[int]) -> dict[int, str]:
    """Each account as the group knows it: the name in this space (or "former member"); an
    operator as the platform; anyone else without a name. Never an email, never a name
    from another space."""
    rows = db.session.execute(
        select(User.id, User.is_operator, shown_name_of(Membership))
        .outerjoin(Membership, and_(Membership.user_id == User.id,
                                    Membership.space_id == space.id))
        .where(User.id.in_(user_ids))).all()
    return {uid: name if name is not None else str(OPERATOR if is_operator else OUTSIDER)
            for uid, is_operator, name in rows}


def _space_rows(space: Space, events) -> list[Row]:
    names = _names_in(space, _people(events))

    def name(user_id):
        return NOBODY if user_id is None else names.get(user_id, str(OUTSIDER))
    return [Row(event=e, actor=name(e.actor_user_id), subject=name(e.subject_user_id)
                if e.subject_user_id is not None else "") for e in events]


def space_audit_page(actor: Actor, space: Space, filters: AuditFilter, page: int) -> AuditPage:
    require(policy.can_view_audit(actor, space))
    where = [AuditEvent.space_id == space.id, *filters.conditions()]
    events, before, after, more = _window(where, page)
    return AuditPage(rows=_space_rows(space, events), page=page, before=before,
                     after=after, more=more)


def space_audit_rows(actor: Actor, space: Space, filters: AuditFilter) -> list[Row]:
    """Every matching event for the CSV (the newest CSV_LIMIT)."""
    require(policy.can_view_audit(actor, space))
    where = [AuditEvent.space_id == space.id, *filters.conditions()]
    return _space_rows(space, _newest(where, CSV_LIMIT))


# --- the operators' page ---------------------------------------------------------------------

def _platform_rows(events, spaces: dict[int, str]) -> list[Row]:
    # Members appear as account ids only: the operators never learn who is in which group.
    # Operators (staff) appear with their email, so an action is traceable to a person.
    emails = dict(db.session.execute(
        select(User.id, User.email).where(User.id.in_(_people(events)),
                                          User.is_operator.is_(True))).all())

    def who(user_id):
        if user_id is None:
            return NOBODY
        return f"#{user_id} {emails.get(user_id, '')}".strip()
    return [Row(event=e, actor=who(e.actor_user_id),
                subject=who(e.subject_user_id) if e.subject_user_id is not None else "",
                space=(spaces.get(e.space_id) or f"#{e.space_id}") if e.space_id else "")
            for e in events]


def _spaces() -> list[tuple[int, str]]:
    return [(i, slug) for i, slug in db.session.execute(
        select(Space.id, Space.slug).order_by(Space.slug)).all()]


def platform_audit_page(actor: Actor, filters: AuditFilter, page: int) -> AuditPage:
    require(policy.can_view_platform_audit(actor))
    events, before, after, more = _window(filters.conditions(), page)
    spaces = _spaces()
    return AuditPage(rows=_platform_rows(events, dict(spaces)), page=page,
                     before=before, after=after, more=more, spaces=spaces)


def platform_audit_rows(actor: Actor, filters: AuditFilter) -> list[Row]:
    require(policy.can_view_platform_audit(actor))
    return _platform_rows(_newest(filters.conditions(), CSV_LIMIT), dict(_spaces()))

