"""After a member erases their account (posts deleted), nothing they wrote or were called is
left: not in the SQLite database file (free pages and the WAL included: secure_delete and a
checkpoint), not in the upload folder, and on PostgreSQL in no text column of any table."""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import String, Text, select, text

from app.extensions import db
from tests.conftest import World, login
from tests.erasure import MARKER, erase, leave_traces


def _files_holding(folder: Path, needle: bytes) -> list[str]:
    found = []
    for directory, _dirs, names in os.walk(folder):
        for name in names:
            path = Path(directory) / name
            if needle in path.read_bytes():
                found.append(str(path))
    return found


def _rows_holding(needle: str) -> list[tuple[str, str]]:
    """Every (table, column) of a text type where some row contains `needle`."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, (String, Text)):
                hit = db.session.execute(select(column).where(column.contains(needle))
                                         .limit(1)).first()
                if hit is not None:
                    found.append((table.name, column.name))
    return found


def _everything_erased(app, client, world) -> None:
    from app import storage
    from app.exports import builder
    from app.exports import service as exports

    t = leave_traces(world)
    with world.ctx():
        exports.request_personal_export(world.actor(t.member.user_id))
        assert builder.build_due_exports() == 1 and storage.export_keys()
        assert _rows_holding(MARKER)  # the traces are really there before
    uploads = Path(app.config["UPLOAD_FOLDER"])
    assert _files_holding(uploads, MARKER.encode())
    response = erase(client, t.member, "account", "delete")
    assert response.status_code == 302
    # And the pages the others see name nothing of it.
    login(client, t.lead)
    for path in (f"/s/{t.slug}/", f"/s/{t.slug}/t/{t.lead_thread}",
                 f"/s/{t.slug}/t/{t.shared_thread}", f"/s/{t.slug}/members",
                 f"/s/{t.slug}/library", f"/s/{t.slug}/line", f"/s/{t.slug}/moderation/log"):
        page = client.get(path, follow_redirects=True)
        assert page.status_code == 200 and MARKER not in page.get_data(as_text=True), path
    assert _files_holding(uploads, MARKER.encode()) == []
    with world.ctx():
        assert storage.export_keys() == []  # the member's download went too
        assert _rows_holding(MARKER) == []
        assert _rows_holding(t.member.email) == []


def test_erased_member_leaves_no_trace_in_the_sqlite_file_or_the_upload_folder(sqlite_app):
    world, client = World(sqlite_app), sqlite_app.test_client()
    _everything_erased(sqlite_app, client, world)
    with sqlite_app.app_context():
        db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db.session.commit()
        database = Path(db.engine.url.database)
    for path in (database, Path(f"{database}-wal")):
        if path.exists():
            # The search index keeps words folded to lower case: look for those too.
            for needle in (MARKER.encode(), MARKER.lower().encode()):
                assert needle not in path.read_bytes(), (path, needle)
    # The same bytes would be found, had they stayed: the check can see them.
    assert b"Ander lid" in database.read_bytes()


def test_erased_member_leaves_no_row_holding_their_words_on_any_database(app, client, world):
    _everything_erased(app, client, world)
