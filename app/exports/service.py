"""Export use cases: ask for an export (one open job per person and kind at a time), hand out
a download link, and the worker's side: claim a job, report progress, finish or fail it,
and sweep what has expired. The zip itself is made by app/exports/builder.py."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from app import policy, storage
from app.accounts.models import User
from app.audit import events
from app.audit.service import record
from app.database import lock_row, transactional, utcnow
from app.errors import NotFound, require
from app.exports.models import (
    EXPIRED, FAILED, PERSONAL, QUEUED, READY, RUNNING, SPACE, DataExport,
)
from app.extensions import db
from app.policy import Actor
from app.spaces.models import Space
from app.tokens import hash_token, new_token

OPEN = (QUEUED, RUNNING)
# A job still "running" this long after its start belongs to a worker that died.
STALE_AFTER = timedelta(hours=1)


def _open_or_new(actor: Actor, *, space: Space | None) -> DataExport:
    """The person's open job of this kind, or a new queued one. Earlier finished copies of
    the same kind stop working: only the newest export is offered (the sweep removes the
    files). Runs after the row lock, so two submits at once make one job."""
    same = (DataExport.user_id == actor.user.id,
            DataExport.space_id.is_(None) if space is None else DataExport.space_id == space.id)
    existing = db.session.scalar(select(DataExport).where(*same, DataExport.status.in_(OPEN))
                                 .order_by(DataExport.id.desc()).limit(1))
    if existing is not None:
        return existing
    now = utcnow()
    db.session.execute(update(DataExport).where(*same, DataExport.status == READY)
                       .values(status=EXPIRED, token_hash=None))
    export = DataExport(user_id=actor.user.id, space_id=None if space is None else space.id,
                        kind=PERSONAL if space is None else SPACE, status=QUEUED, progress=0,
                        created_at=now)
    db.session.add(export)
    db.session.flush()
    record(events.EXPORT_REQUESTED, actor_id=actor.user.id, subject_id=actor.user.id,
           space_id=export.space_id, detail=f"export {export.id} ({export.kind})")
    return export


@transactional
def request_personal_export(actor: Actor) -> DataExport:
    require(policy.can_export_own_data(actor))
    lock_row(User.notify_new_device, actor.user.id)
    return _open_or_new(actor, space=None)


@transactional
def request_space_export(actor: Actor, space: Space) -> DataExport:
    require(policy.can_export_space(actor, space))
    lock_row(Space.open_case_count, space.id)
    return _open_or_new(actor, space=space)


@transactional
def issue_download_link(actor: Actor, export: DataExport) -> str:
    """A fresh random token for the download link of a ready export (the previous link stops
    working; only the token's SHA-256 is kept). Counts as the download in the audit trail."""
    require(policy.can_download_export(actor, export))
    if export.status != READY or export.expires_at is None or export.expires_at <= utcnow():
        raise NotFound()
    raw, digest = new_token()
    export.token_hash = digest
    event = events.EXPORT_DOWNLOADED if export.kind == PERSONAL else events.SPACE_EXPORTED
    record(event, actor_id=actor.user.id, subject_id=actor.user.id, space_id=export.space_id,
           detail=f"export {export.id}")
    return raw


def downloadable(actor: Actor, export_id: int, token: str, *,
                 space: Space | None = None) -> DataExport:
    """The ready export behind a download link, or NotFound: someone else's id, a wrong or
    replaced token and an expired link all look the same."""
    export = db.session.scalar(select(DataExport).where(
        DataExport.id == export_id, DataExport.token_hash == hash_token(token or ""),
        DataExport.status == READY, DataExport.expires_at > utcnow()))
    if (export is None or not policy.can_download_export(actor, export)
            or export.space_id != (None if space is None else space.id)):
        raise NotFound()
    return export


# --- the worker's side ---------------------------------------------------------------------

def claim(export_id: int) -> bool:
    """Take a queued job: a conditional UPDATE, so of two workers only one gets it."""
    taken = db.session.execute(
        update(DataExport).where(DataExport.id == export_id, DataExport.status == QUEUED)
        .values(status=RUNNING, started_at=utcnow(), progress=0),
        execution_options={"synchronize_session": False}).rowcount
    db.session.commit()
    return taken == 1


def report_progress(export_id: int, progress: int) -> None:
    """Written as the builder goes (its own commit), so the page can show it."""
    db.session.execute(
        update(DataExport).where(DataExport.id == export_id, DataExport.status == RUNNING)
        .values(progress=max(0, min(99, int(progress)))),
        execution_options={"synchronize_session": False})
    db.session.commit()


def finish(export_id: int, *, file_key: str, size: int) -> bool:
    """The zip is written: the job is ready for EXPORT_HOURS. False when the job was taken
    away meanwhile (the file is then removed)."""
    now = utcnow()
    done = db.session.execute(
        update(DataExport).where(DataExport.id == export_id, DataExport.status == RUNNING)
        .values(status=READY, progress=100, file_key=file_key, size_bytes=size,
                finished_at=now,
                expires_at=now + timedelta(hours=current_app.config["EXPORT_HOURS"])),
        execution_options={"synchronize_session": False}).rowcount == 1
    if done:
        from app.exports.notices import export_ready

        export_ready(db.session.get(DataExport, export_id))
    db.session.commit()
    if not done:
        storage.delete_export(file_key)
    return done


def fail(export_id: int) -> None:
    db.session.rollback()
    db.session.execute(
        update(DataExport).where(DataExport.id == export_id, DataExport.status == RUNNING)
        .values(status=FAILED, finished_at=utcnow()),
        execution_options={"synchronize_session": False})
    db.session.commit()


def due_jobs(limit: int = 5) -> list[int]:
    return list(db.session.scalars(select(DataExport.id).where(DataExport.status == QUEUED)
                                   .order_by(DataExport.id).limit(limit)))


def sweep_exports(now=None) -> int:
    """Expire ready exports past their time and remove their files, fail jobs whose worker
    died, and remove export files no row points to (a crash between writing and finishing).
    Returns how many files were removed."""
    now = now or utcnow()
    db.session.execute(
        update(DataExport).where(DataExport.status == READY, DataExport.expires_at <= now)
        .values(status=EXPIRED, token_hash=None),
        execution_options={"synchronize_session": False})
    db.session.execute(
        update(DataExport).where(DataExport.status == RUNNING,
                                 DataExport.started_at < now - STALE_AFTER)
        .values(status=FAILED, finished_at=now),
        execution_options={"synchronize_session": False})
    gone = list(db.session.scalars(select(DataExport.file_key).where(
        DataExport.status.in_((EXPIRED, FAILED)), DataExport.file_key != "")))
    db.session.execute(
        update(DataExport).where(DataExport.file_key.in_(gone)).values(file_key=""),
        execution_options={"synchronize_session": False})
    db.session.commit()
    known = set(db.session.scalars(select(DataExport.file_key).where(DataExport.file_key != "")))
    removed = 0
    for key in gone:
        storage.delete_export(key)
        removed += 1
    for key in storage.export_keys():
        # A file younger than a running job may be that job's zip being written.
        if key not in known and storage.export_age(key) > STALE_AFTER.total_seconds():
            storage.delete_export(key)
            removed += 1
    return removed
