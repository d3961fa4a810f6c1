"""Files follow their rows' transaction: a file written during a transaction is removed when
the transaction ends without committing (no orphan file), and a file whose row is deleted
is removed only once that deletion has committed (no row without its file)."""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from app import storage
from app.extensions import db

_WRITTEN = "uploads_written"
_DOOMED = "uploads_doomed"
_EXPORTS_DOOMED = "exports_doomed"


def written(key: str) -> None:
    """The file `key` belongs to the current transaction: remove it unless it commits."""
    db.session.connection()  # make sure a transaction is there to end
    db.session.info.setdefault(_WRITTEN, []).append(key)


def forget(key: str) -> None:
    """The file was removed already (a refusal inside the transaction)."""
    keys = db.session.info.get(_WRITTEN, [])
    if key in keys:
        keys.remove(key)


def delete_after_commit(key: str) -> None:
    db.session.connection()
    db.session.info.setdefault(_DOOMED, []).append(key)


def delete_export_after_commit(key: str) -> None:
    """The same for an export's zip (app/storage/ keeps exports apart from uploads)."""
    db.session.connection()
    db.session.info.setdefault(_EXPORTS_DOOMED, []).append(key)


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
    for key in session.info.pop(_DOOMED, []):
        storage.delete(key)
    for key in session.info.pop(_EXPORTS_DOOMED, []):
        storage.delete_export(key)


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction) -> None:
    if transaction.parent is not None:
        return  # a savepoint: the outer transaction decides
    # Still listed after the outermost transaction ended: it did not commit.
    session.info.pop(_DOOMED, None)
    session.info.pop(_EXPORTS_DOOMED, None)
    for key in session.info.pop(_WRITTEN, []):
        storage.delete(key)
