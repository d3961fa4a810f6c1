"""Every list statement of the thread page, the space home, the library and /notifications
reads a fitting index: none reads a whole big table, none sorts what an index could hand
over in order. On a database built by the real migrations and bench/seed_large.py (a few
thousand posts, statistics gathered), on SQLite (EXPLAIN QUERY PLAN) and PostgreSQL
(EXPLAIN, with sequential scans and sorts priced out, so the plan shows whether an index
*can* serve the statement: on tables this small the planner would rightly scan)."""
from __future__ import annotations

import re

import pytest
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from tests.conftest import Person, login
from tests.plans import BIG_TABLES, StatementCapture, plan, problems, sorts

# A sort that no index could spare: the few rows an IN list of a page's ids picked
# (reactions, files and quotes of the posts on the page), and the pinned list, ordered by
# "is it an announcement" (a handful of rows by nature).
SMALL_SORTS = (re.compile(r"\b(post_id|posts\.id) IN \("), re.compile(r"ORDER BY \(?threads\.kind ="))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def seeded(request, tmp_path_factory):
    from bench.seed_large import seed

    if request.param == "postgresql":
        url = request.getfixturevalue("pg_cluster").create_database("kring_plans")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('plans') / 'kring.db'}"
    app = create_app("test", DATABASE_URL=url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    info = seed(url, posts=6_000, members=120, spaces=4, progress=False)
    with app.app_context():
        from app.accounts.models import User
        users = dict(db.session.execute(db.select(User.email, User.id)).all())
    info["reader"] = Person(users[info["reader_email"]], info["reader_email"])
    info["lead"] = Person(users["begeleider@example.org"], "begeleider@example.org")
    yield app, info
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _pages(info) -> dict[str, str]:
    slug = info["slug"]
    return {
        "thread page": f"/s/{slug}/t/{info['normal_thread']}?page=1",
        "long thread, last page": f"/s/{slug}/t/{info['long_thread']}?page={info['long_pages']}",
        "long thread, a middle page": f"/s/{slug}/t/{info['long_thread']}?page=3",
        "space home": f"/s/{slug}/",
        "space home, page 4": f"/s/{slug}/?page=4",
        "space home tab": f"/s/{slug}/?kind=announcement",
        "library": f"/s/{slug}/library",
        "notifications": "/notifications",
        "notifications, page 5": "/notifications?page=5",
    }


def _lists_big_table(statement: str) -> bool:
    """Is this a list read from a table that grows with use? (A space's meetings, categories
    or the reader's memberships are a few dozen rows: sorting them costs nothing.)"""
    first = re.search(r"\bFROM (\w+)", statement)
    return first is not None and first.group(1) in BIG_TABLES


def _by_post_ids(statement: str) -> bool:
    """The reactions or files of the posts on a page (WHERE space_id = ? AND post_id IN ...):
    an index on space_id alone would read all of the space's."""
    return re.search(r"\bFROM (reactions|uploads)\b.*\bpost_id IN \(", statement, re.S) is not None


def _bad_plans(app, client, path, looked_up: list[str]) -> list[str]:
    client.get(path)  # a first visit may write (read position) once
    with app.app_context():
        engine = db.engine
    with StatementCapture(engine) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    found = []
    with app.app_context():
        raw = engine.raw_connection()
        try:
            if engine.dialect.name == "postgresql":
                raw.driver_connection.execute("SET enable_seqscan = off")
                raw.driver_connection.execute("SET enable_sort = off")
            for statement, parameters in captured.statements:
                lines = plan(raw.driver_connection, statement, parameters)
                bad = problems(lines)
                if _lists_big_table(statement) and \
                        not any(p.search(statement) for p in SMALL_SORTS):
                    bad += sorts(lines)
                if _by_post_ids(statement):
                    looked_up.append(path)
                if _by_post_ids(statement) and not any(
                        re.search(r"post_id ?= ?(\?|ANY)", line) for line in lines):
                    bad.append("the page's posts are not looked up by post_id in an index")
                if bad:
                    found.append(f"{path}: {' '.join(statement.split())[:200]}…\n    {bad}")
        finally:
            raw.rollback()
            raw.close()
    return found


@pytest.mark.parametrize("who", ["reader", "lead"])
def test_list_statements_of_the_main_pages_read_fitting_indexes(seeded, who):
    app, info = seeded
    client = app.test_client()
    login(client, info[who])
    looked_up: list[str] = []  # pages whose reactions and files were asked for by post id
    found = [bad for path in _pages(info).values()
             for bad in _bad_plans(app, client, path, looked_up)]
    assert not found, "\n".join(found)
    assert looked_up.count(_pages(info)["thread page"]) == 2  # reactions and files


def test_the_seeded_database_is_what_the_pages_expect(seeded):
    """The large seed's rows work for the app: the long thread pages, the reader's
    notifications capped in the header, files on posts, the home pager a window."""
    app, info = seeded
    client = app.test_client()
    login(client, info["reader"])
    last = client.get(_pages(info)["long thread, last page"]).get_data(as_text=True)
    assert f"(bericht {info['long_pages'] * 50})" in last
    assert 'aria-hidden="true">99+</span>' in last
    assert "werkblad-" in client.get(_pages(info)["thread page"]).get_data(as_text=True)
    home = client.get(f"/s/{info['slug']}/").get_data(as_text=True)
    assert home.count('<a href="/s/groot/?page=') <= 6
