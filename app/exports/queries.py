"""Reads for the export pages: the newest export a person asked for (of their own data, or of
one space), and one of their exports by id; anyone else's is a 404."""
from __future__ import annotations

from sqlalchemy import select

from app import policy
from app.errors import NotFound, require
from app.exports.models import DataExport
from app.extensions import db
from app.policy import Actor


def _scope(actor: Actor, space):
    return (DataExport.user_id == actor.user.id,
            DataExport.space_id.is_(None) if space is None else DataExport.space_id == space.id)


def latest_export(actor: Actor, *, space=None) -> DataExport | None:
    if space is not None:
        require(policy.can_export_space(actor, space))
    return db.session.scalar(select(DataExport).where(*_scope(actor, space))
                             .order_by(DataExport.id.desc()).limit(1))


def own_export(actor: Actor, export_id: int, *, space=None) -> DataExport:
    export = db.session.scalar(select(DataExport).where(DataExport.id == export_id,
                                                        *_scope(actor, space)))
    if export is None or not policy.can_download_export(actor, export):
        raise NotFound()
    return export
