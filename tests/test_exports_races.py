"""Export jobs under concurrency: two submits at the same moment make one job, and two
workers at the same moment build it once (real threads, on SQLite and PostgreSQL)."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.exports import service
from app.exports.builder import build_due_exports
from app.exports.models import DataExport
from app.extensions import db
from tests.conftest import csrf_token, login
from tests.exports import confirm
from tests.test_races import ROUNDS, at_once


def test_two_export_requests_sent_at_once_make_one_job(app, world):
    slug, lead = world.space()
    for _ in range(ROUNDS):
        member = world.member(slug, lead)
        clients = []
        for _ in range(2):
            client = app.test_client()
            login(client, member)
            confirm(client, member)
            clients.append((client, csrf_token(client, "/account/export")))
        at_once(*(lambda c=c, t=t: c.post("/account/export", data={"csrf_token": t})
                  for c, t in clients))
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(DataExport).where(
                DataExport.user_id == member.user_id)) == 1


def test_two_workers_at_once_build_a_job_once(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    for _ in range(ROUNDS):
        with app.app_context():
            service.request_personal_export(world.actor(member.user_id))
        built = []
        barrier = threading.Barrier(2)

        def worker():
            with app.app_context():
                barrier.wait(timeout=10)
                built.append(build_due_exports())
                db.session.remove()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(built) == [0, 1]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(DataExport).where(
            DataExport.status == "ready")) == 1  # each new one retired the one before
