"""Backup and restore as docs/production.md describes them: deploy/backup.sh dumps the
PostgreSQL database (pg_dump) and copies the upload folder, deploy/restore.sh puts both into
a fresh database and folder, and Kring booted on the copy alone (the original gone) shows
the post and serves the file."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import psycopg
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.uploads.models import Upload
from app.uploads.service import store_upload
from tests import uploadfiles as files
from tests.conftest import World, login

ROOT = Path(__file__).resolve().parent.parent


def _run(script: str, argument: Path, bindir: str, **settings) -> str:
    env = {key: value for key, value in os.environ.items() if not key.startswith("KRING_")}
    env["PATH"] = f"{bindir}:{env.get('PATH', '')}"  # the cluster's own pg_dump/pg_restore
    env.update({f"KRING_{key}": str(value) for key, value in settings.items()})
    result = subprocess.run(["bash", str(ROOT / "deploy" / script), str(argument)], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def _drop(pg_cluster, name: str) -> None:
    with psycopg.connect(f"host=127.0.0.1 port={pg_cluster.port} user=kring dbname=postgres",
                         autocommit=True) as connection:
        connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_a_backup_restored_into_a_fresh_database_serves_the_post_and_the_file(
        pg_cluster, tmp_path):
    original_url = pg_cluster.create_database("kring_original")
    uploads = tmp_path / "uploads"
    app = create_app("test", DATABASE_URL=original_url, UPLOAD_FOLDER=str(uploads))
    with app.app_context():
        db.create_all()
    world = World(app)
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, lead, title="Voor de back-up", body="Dit moet terugkomen.")
    pdf = files.pdf()
    with app.app_context():
        upload = store_upload(world.actor(lead.user_id), world.space_obj(slug),
                              files.storage_of(pdf, "werkblad.pdf"))
        file_url = f"/s/{slug}/files/{upload.id}/werkblad.pdf"
        db.session.remove()
        db.engine.dispose()

    backup = Path(_run("backup.sh", tmp_path / "backups", pg_cluster.bindir,
                       DATABASE_URL=original_url, UPLOAD_FOLDER=uploads))
    assert (backup / "kring.dump").stat().st_size > 0
    assert oct((backup / "kring.dump").stat().st_mode)[-3:] == "600"

    # The original goes: the copy must stand on its own.
    _drop(pg_cluster, "kring_original")
    shutil.rmtree(uploads)
    restored_url = pg_cluster.create_database("kring_restored")
    restored_uploads = tmp_path / "restored-uploads"
    _run("restore.sh", backup, pg_cluster.bindir, DATABASE_URL=restored_url,
         UPLOAD_FOLDER=restored_uploads)

    restored = create_app("test", DATABASE_URL=restored_url,
                          UPLOAD_FOLDER=str(restored_uploads))
    try:
        client = restored.test_client()
        login(client, member)
        thread = client.get(f"/s/{slug}/t/{thread_id}")
        assert thread.status_code == 200 and "Dit moet terugkomen." in thread.get_data(as_text=True)
        download = client.get(file_url)
        assert download.status_code == 200 and download.data == pdf
        with restored.app_context():
            assert db.session.scalar(select(Upload.original_name)) == "werkblad.pdf"
    finally:
        with restored.app_context():
            db.session.remove()
            db.engine.dispose()
