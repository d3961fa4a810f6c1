"""The purge: a space past its grace period (RENTAL_GRACE_DAYS after the last rental day)
is deleted with everything in it. Its rows go by the database's cascade (the append-only
tables let a row go once its space is gone), its files and exports after the commit; the
accounts that were only in this space go with it. The audit trail keeps SPACE_PURGED."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import aliased

from app import policy, storage
from app.accounts.models import User
from app.audit import events
from app.audit.service import record
from app.database import transactional, utcnow
from app.exports.models import DataExport
from app.extensions import db
from app.retention.common import grace_days, local_today
from app.search.index import forget_removed_words
from app.spaces.models import Membership, Space


@dataclass
class PurgeCandidate:
    """A space the purge deletes (what the dry run lists)."""

    id: int
    slug: str
    name: str
    rental_end: date
    purge_day: date
    members: int
    files: int


def spaces_to_purge(now: datetime | None = None) -> list[PurgeCandidate]:
    """Every space whose purge day has come, oldest end first."""
    now = now or utcnow()
    grace = grace_days()
    # The last rental day of a space that may go today: today - grace - 1 or earlier.
    last_end = local_today(now) - timedelta(days=grace + 1)
    members = (select(func.count()).select_from(Membership)
               .where(Membership.space_id == Space.id).scalar_subquery())
    rows = db.session.execute(select(Space, members).where(Space.rental_end <= last_end)
                              .order_by(Space.rental_end, Space.id)).all()
    return [PurgeCandidate(space.id, space.slug, space.name, space.rental_end,
                           policy.purge_day(space, grace), count, len(storage.keys(space.id)))
            for space, count in rows]


def _only_here(space_id: int):
    """SQL: the ids of accounts whose every membership is in this space (no operators)."""
    other = aliased(Membership)
    elsewhere = exists().where(other.user_id == User.id, other.space_id != space_id)
    return (select(User.id).join(Membership, Membership.user_id == User.id)
            .where(Membership.space_id == space_id, User.is_operator.is_(False), ~elsewhere))


@transactional
def purge_space(space_id: int, now: datetime | None = None) -> list[str] | None:
    """Delete one space past its grace period. Returns the export files to remove once this
    commits, or None when the space was not purged (gone already, or extended meanwhile:
    the DELETE checks the date again, so a concurrent extension or a second worker wins
    cleanly)."""
    now = now or utcnow()
    last_end = local_today(now) - timedelta(days=grace_days() + 1)
    slug = db.session.scalar(select(Space.slug).where(Space.id == space_id))
    accounts = list(db.session.scalars(_only_here(space_id)))
    # The space's exports, and the personal exports of the accounts that may go with it.
    exports = db.session.execute(select(
        DataExport.user_id, DataExport.space_id, DataExport.file_key).where(
        DataExport.file_key != "",
        (DataExport.space_id == space_id) | DataExport.user_id.in_(accounts or [0]))).all()
    gone = db.session.execute(delete(Space).where(
        Space.id == space_id, Space.rental_end <= last_end)).rowcount
    if not gone:
        return None
    removed = 0
    if accounts:
        # Only accounts still without any membership (nobody joined elsewhere meanwhile).
        removed = db.session.execute(delete(User).where(
            User.id.in_(accounts), ~exists().where(Membership.user_id == User.id))).rowcount
    kept = set(db.session.scalars(select(User.id).where(User.id.in_(accounts or [0]))))
    files = [key for user_id, of_space, key in exports
             if of_space == space_id or user_id not in kept]
    db.session.expunge_all()  # the ORM must not hold rows the cascade removed
    forget_removed_words(db.session)
    record(events.SPACE_PURGED, space_id=space_id,
           detail=f"slug={slug} accounts_removed={removed}")
    return files


def remove_files(space_id: int, export_keys: list[str]) -> None:
    """After the commit: the space's uploads and the exports that went with it."""
    storage.delete_space(space_id)
    for key in export_keys:
        storage.delete_export(key)


def remove_orphan_folders() -> int:
    """Upload folders whose space no longer exists (a purge that stopped between its commit
    and its files): removed. Returns how many."""
    on_disk = storage.space_ids()
    if not on_disk:
        return 0
    known = set(db.session.scalars(select(Space.id).where(Space.id.in_(on_disk))))
    orphans = [space_id for space_id in on_disk if space_id not in known]
    for space_id in orphans:
        storage.delete_space(space_id)
    return len(orphans)


def purge_spaces(now: datetime | None = None) -> int:
    """The worker's and `flask kring purge`'s job: purge every space past its grace period,
    each in its own transaction. Returns how many spaces were purged."""
    now = now or utcnow()
    purged = 0
    candidates = spaces_to_purge(now)
    db.session.rollback()
    for candidate in candidates:
        files = purge_space(candidate.id, now)
        if files is not None:
            remove_files(candidate.id, files)
            purged += 1
    remove_orphan_folders()
    return purged
