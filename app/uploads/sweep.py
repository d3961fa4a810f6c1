"""Sweeping files no row points at: left by a process that stopped between writing a file and
committing its row, or by a space removed with its rows (`flask kring sweep-uploads`)."""
from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app import storage
from app.extensions import db
from app.uploads.models import Upload

# An upload in progress has its file before its row: only files older than this are orphans.
GRACE = timedelta(hours=1)


def sweep_orphan_files(*, older_than: timedelta = GRACE) -> int:
    """Remove stored files without an upload row, older than `older_than`; how many."""
    removed = 0
    for space_id in storage.space_ids():
        known = set(db.session.scalars(select(Upload.storage_key)
                                       .where(Upload.space_id == space_id)))
        for key in storage.keys(space_id):
            if key not in known and storage.age(key) > older_than.total_seconds():
                storage.delete(key)
                removed += 1
    db.session.rollback()  # reads only: end the transaction
    return removed


@click.command("sweep-uploads")
@with_appcontext
def sweep_command() -> None:
    """Remove uploaded files that no upload row points at (older than an hour)."""
    click.echo(f"{sweep_orphan_files()} orphan file(s) removed.")
