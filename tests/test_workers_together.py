"""Workers on several machines: two real `flask kring worker --once` processes started at the
same moment on one PostgreSQL database (and one S3 bucket, where exports go) share the due
work and do each job once: every queued mail is written once, a planned thread is published
and announced once, an export is built once, a rental warning is given once. (Each job's
claim is tested on its own, with threads, in test_mail_delivery, test_schedule,
test_exports_races, test_retention_purge and test_mail_worker.)"""
from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta

from sqlalchemy import func, select, update

from app import create_app
from app.database import utcnow
from app.exports import service as exports
from app.exports.models import DataExport
from app.extensions import db
from app.forum.models import Post, Thread
from app.notify.kinds import RENTAL_ENDING
from app.notify.models import Notification
from app.notify.outbox import OutboxMessage
from app.spaces.models import Space
from tests.conftest import World, login
from tests.multi_process import ROOT, SHARED_SECRET
from tests.schedule import ahead, local, plan_thread, thread_id_of


def _due_work(app, world: World) -> dict:
    """A group with planned content due, an export asked for, mail waiting and a rental
    that ends in a week."""
    slug, lead = world.space()
    members = [world.member(slug, lead) for _ in range(3)]
    client = app.test_client()
    login(client, lead)
    thread_id = thread_id_of(plan_thread(client, slug, local(ahead(60)), title="Gepland"))
    with app.app_context():
        past = utcnow() - timedelta(minutes=1)
        db.session.execute(update(Thread).where(Thread.id == thread_id).values(publish_at=past))
        db.session.execute(update(Post).where(Post.thread_id == thread_id).values(publish_at=past))
        db.session.execute(update(Space).where(Space.slug == slug)
                           .values(rental_end=date.today() + timedelta(days=7)))
        db.session.commit()
        exports.request_personal_export(world.actor(members[0].user_id))
    return {"slug": slug, "thread_id": thread_id, "members": members}


def _worker(tmp_path, name: str, settings: dict) -> subprocess.Popen:
    env = {key: value for key, value in os.environ.items() if not key.startswith("KRING_")}
    env.update({"KRING_ENV": "default", "KRING_INSTANCE_PATH": str(tmp_path / name),
                "KRING_SECRET_KEY": SHARED_SECRET, "KRING_MAIL_BACKEND": "folder",
                "KRING_MAIL_FOLDER": str(tmp_path / "mail"), **settings})
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi.py", "kring", "worker",
                             "--once"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def test_two_worker_processes_at_once_do_every_job_once(pg_cluster, local_s3, tmp_path):
    url = pg_cluster.create_database("kring_workers_together")
    bucket = local_s3.new_bucket("workers")
    app = create_app("test", DATABASE_URL=url, **local_s3.settings(bucket))
    with app.app_context():
        db.create_all()
    try:
        work = _due_work(app, World(app))
        with app.app_context():
            queued = db.session.scalar(select(func.count()).select_from(OutboxMessage))
        settings = {"KRING_DATABASE_URL": url, **local_s3.environment(bucket)}
        workers = [_worker(tmp_path, name, settings) for name in ("one", "two")]
        outputs = [worker.communicate(timeout=120)[0] for worker in workers]
        assert all(worker.returncode == 0 for worker in workers), outputs
        # Mail queued by one worker's round after the other had sent its batch waits for the
        # next round: one more, so every message has had its chance.
        last = _worker(tmp_path, "three", settings)
        assert last.wait(timeout=120) == 0, last.stdout.read()

        with app.app_context():
            # The thread is out, and each member heard of it once.
            assert db.session.get(Thread, work["thread_id"]).publish_at is None
            heard = Counter(db.session.scalars(select(Notification.membership_id).where(
                Notification.thread_id == work["thread_id"])))
            assert set(heard.values()) == {1}
            assert len(heard) >= len(work["members"])
            # One export built, one zip in the bucket.
            assert [e.status for e in db.session.scalars(select(DataExport))] == ["ready"]
            assert len([k for k in local_s3.object_keys(bucket) if k.startswith("exports/")]) == 1
            # The facilitators were warned once about the rental's end.
            warned = Counter(db.session.scalars(select(Notification.membership_id).where(
                Notification.kind == RENTAL_ENDING)))
            assert warned and set(warned.values()) == {1}
            # Every mail in the outbox (the invitations and what the rounds queued) was written
            # once.
            rows = db.session.scalar(select(func.count()).select_from(OutboxMessage))
            sent = db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                     .where(OutboxMessage.status == "sent"))
        assert queued > 0 and rows == sent
        assert len(list((tmp_path / "mail").glob("*.eml"))) == rows
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
