"""What `make bench` measures inside one process, against the same database as the server:
SQL statements per request (counted on the engine, no debug switch in the server) and the
garbage collector's pauses while the thread page is served (gc.callbacks)."""
from __future__ import annotations

import gc
import os
import re
import sys
import time
from pathlib import Path

from sqlalchemy import event

# The Kring checkout measured: this one, or another one named by run.py --kring-root.
ROOT = Path(os.environ.get("BENCH_KRING_ROOT") or Path(__file__).resolve().parent.parent)


def _app_and_client(database_url: str, user_id: int):
    sys.path.insert(0, str(ROOT))
    from app import create_app
    from app.accounts.models import User
    from app.accounts.sessions import begin_session
    from app.extensions import db
    try:
        from app.server import settle_heap
    except ImportError:  # a checkout from before the heap was settled (--kring-root)
        def settle_heap():
            return None

    app = create_app("default", DATABASE_URL=database_url)
    client = app.test_client()
    with app.app_context():
        key = begin_session(db.session.get(User, user_id), user_agent="bench", ip="127.0.0.1")
        engine = db.engine
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = key, True
    settle_heap()  # as app/server.py does before serving
    return app, client, engine


def statements_per_request(database_url: str, seeded: dict) -> dict[str, int]:
    """Statements of one request of each page (after a warm-up visit) and of one reply."""
    counts = {}
    app, client, engine = _app_and_client(database_url, seeded["reader_id"])
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    for name in ("thread", "home", "library", "notifications"):
        client.get(seeded[name])
        event.listen(engine, "before_cursor_execute", count)
        response = client.get(seeded[name])
        event.remove(engine, "before_cursor_execute", count)
        counts[name] = len(seen) if response.status_code == 200 else -1
        seen.clear()
    _app, poster, engine = _app_and_client(database_url, seeded["poster_id"])
    page = poster.get(seeded["reply_thread"]).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    event.listen(engine, "before_cursor_execute", count)
    response = poster.post(seeded["reply_thread"] + "/reply",
                           data={"csrf_token": token, "body": "Een telling van statements."})
    event.remove(engine, "before_cursor_execute", count)
    counts["reply"] = len(seen) if response.status_code in (302, 303) else -1
    return counts


def gc_pauses(database_url: str, seeded: dict, requests: int = 200) -> dict:
    """The collector's pauses over `requests` thread pages in steady state (after 50)."""
    _app, client, _engine = _app_and_client(database_url, seeded["reader_id"])
    for _ in range(50):
        client.get(seeded["thread"])
    pauses: list[tuple[float, int]] = []  # (milliseconds, generation)
    started: dict[str, float] = {}

    # CPU time of this thread, not the wall clock: on a shared machine a collection that is
    # preempted would otherwise look long.
    def watch(phase, info):
        if phase == "start":
            started["at"] = time.thread_time()
        elif "at" in started:
            pauses.append(((time.thread_time() - started.pop("at")) * 1000, info["generation"]))

    gc.callbacks.append(watch)
    began = time.perf_counter()
    try:
        for _ in range(requests):
            client.get(seeded["thread"])
    finally:
        gc.callbacks.remove(watch)
    elapsed = (time.perf_counter() - began) * 1000
    longest = max(pauses, default=(0.0, 0))
    return {"requests": requests, "collections": len(pauses),
            "full_collections": sum(1 for _ms, generation in pauses if generation == 2),
            "max_ms": round(longest[0], 2), "max_generation": longest[1],
            "total_ms_per_request": round(sum(ms for ms, _g in pauses) / requests, 3),
            "cpu_ms_per_request": round(elapsed / requests, 2)}
