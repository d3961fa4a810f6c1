"""Test fixtures: every test that takes `app` runs on SQLite and again on a real PostgreSQL
cluster started from the installed binaries (skipped, with the reason, when there are none)."""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import event, text

from app import create_app
from app.extensions import db
from tests.pg import Cluster, find_bindir

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_cluster():
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) not found: install the 'postgresql' "
                    "package to run the PostgreSQL suite")
    cluster = Cluster(bindir)
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def local_s3():
    """An S3-compatible server on 127.0.0.1 for the whole session (tests/s3.py)."""
    from tests.s3 import start_local_s3

    server = start_local_s3()
    yield server
    server.stop()


def _make_app(backend: str, request, tmp_path_factory):
    if backend == "postgresql":
        cluster = request.getfixturevalue("pg_cluster")
        url = cluster.create_database("kring_test")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'kring.db'}"
    app = create_app("test", DATABASE_URL=url,
                     UPLOAD_FOLDER=str(tmp_path_factory.mktemp("uploads")))
    with app.app_context():
        db.create_all()
    return app


@pytest.fixture(scope="session", params=BACKENDS)
def backend_app(request, tmp_path_factory):
    app = _make_app(request.param, request, tmp_path_factory)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _clean(app) -> None:
    from app.extensions import limiter

    limiter.reset()  # the rate limits' counters: no test inherits another's attempts
    with app.app_context():
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE"))
        else:
            # The moderation log and the notes' access record refuse DELETE while their
            # space exists (a trigger): their rows go with their spaces, by the cascade, as
            # they would in a purge.
            for name in tables:
                if name not in ("moderation_log", "note_access_log", "audit_events"):
                    db.session.execute(text(f"DELETE FROM {name}"))
            # The audit trail refuses to delete young events: its trigger steps aside a moment.
            from app.append_only import sqlite_triggers
            from app.audit.models import DELETE_WHEN

            db.session.execute(text("DROP TRIGGER audit_events_no_delete"))
            db.session.execute(text("DELETE FROM audit_events"))
            db.session.execute(text(sqlite_triggers("audit_events", DELETE_WHEN)[1]))
        db.session.commit()
        db.session.remove()


@pytest.fixture
def app(backend_app, tmp_path):
    """The app with an empty database and an empty upload folder; settings changed by a test
    are restored after it."""
    saved = dict(backend_app.config)
    backend_app.config["UPLOAD_FOLDER"] = str(tmp_path / "uploads")
    yield backend_app
    backend_app.config.clear()
    backend_app.config.update(saved)
    _clean(backend_app)


@pytest.fixture
def sqlite_app(tmp_path):
    """SQLite only, for tests about things that do not depend on the database."""
    app = create_app("test", DATABASE_URL=f"sqlite:///{tmp_path / 'kring.db'}",
                     UPLOAD_FOLDER=str(tmp_path / "uploads"))
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class Clock:
    """Kring's clock in a test: `move(timedelta)` runs every utcnow() (services, policy, the
    worker) that much further ahead; back to real time when the test ends."""

    def __init__(self):
        self.offset = timedelta(0)

    def move(self, by: timedelta) -> None:
        from app.database import set_clock_offset

        self.offset += by
        set_clock_offset(self.offset)


@pytest.fixture
def clock():
    from app.database import set_clock_offset

    yield Clock()
    set_clock_offset(timedelta(0))


@pytest.fixture
def client(app):
    return app.test_client()


# --- building a world ---------------------------------------------------------------------

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


@dataclass
class Person:
    user_id: int
    email: str
    membership_id: int | None = None
    name: str = ""


class World:
    """Creates users, spaces and content through the real services and returns plain ids,
    so tests do not hold ORM objects across requests."""

    def __init__(self, app):
        self.app = app

    def ctx(self):
        return self.app.app_context()

    def user(self, email: str | None = None, *, operator: bool = False, locale: str = "nl") -> Person:
        from app.accounts import service as accounts

        email = email or f"user{next(_counter)}@example.org"
        with self.ctx():
            if operator:
                user = accounts.make_operator(email=email, password=PASSWORD)
            else:
                user = accounts.create_user(email=email, password=PASSWORD, locale=locale)
            return Person(user.id, user.email)

    def space(self, slug: str | None = None, *, seat_limit: int = 50, members_can_start_threads=True):
        """A space with a facilitator who accepted the invitation. Returns (slug, facilitator)."""
        from app.spaces import service as spaces
        from app.spaces.models import Space

        slug = slug or f"groep-{next(_counter)}"
        operator = self.user(operator=True)
        with self.ctx():
            actor = self.actor(operator.user_id)
            space, token = spaces.create_space(
                actor, name=f"Groep {slug}", slug=slug, theme="Thema", description="Omschrijving",
                renter="Welzijn Test", rental_start=date.today(),
                rental_end=date.today() + timedelta(days=365), seat_limit=seat_limit,
                facilitator_email=f"lead-{slug}@example.org")
            space_id = space.id
        lead = self.accept(token, display_name=f"Begeleider {slug}")
        if not members_can_start_threads:
            with self.ctx():
                db.session.get(Space, space_id).members_can_start_threads = False
                db.session.commit()
        self.operator = operator
        return slug, lead

    def actor(self, user_id: int):
        from app.accounts.models import User
        from app.spaces.queries import load_actor

        return load_actor(db.session.get(User, user_id))

    def space_obj(self, slug: str):
        from app.spaces.models import Space

        return db.session.scalar(db.select(Space).where(Space.slug == slug))

    def accept(self, token: str, *, display_name: str, email_user: Person | None = None) -> Person:
        from app.accounts.models import User
        from app.spaces import invitations

        with self.ctx():
            user = db.session.get(User, email_user.user_id) if email_user else None
            user, membership = invitations.accept_invitation(
                user, token=token, display_name=display_name, accepts_agreement=True,
                password=PASSWORD)
            return Person(user.id, user.email, membership.id, membership.display_name)

    def invite_token(self, slug: str, by: Person, *, email: str | None = None, role: str = "member") -> str:
        from app.spaces import invitations

        email = email or f"invitee{next(_counter)}@example.org"
        with self.ctx():
            _inv, raw = invitations.invite(self.actor(by.user_id), self.space_obj(slug), email=email, role=role)
            return raw

    def member(self, slug: str, by: Person, *, role: str = "member", name: str | None = None) -> Person:
        token = self.invite_token(slug, by, role=role)
        return self.accept(token, display_name=name or f"Lid {next(_counter)}")

    def thread(self, slug: str, author: Person, *, title="Een gesprek", body="Eerste bericht",
               kind="discussion") -> int:
        from app.forum import service as forum

        with self.ctx():
            thread = forum.start_thread(self.actor(author.user_id), self.space_obj(slug),
                                        kind=kind, title=title, body=body)
            return thread.id

    def reply(self, slug: str, thread_id: int, author: Person, body: str, *,
              quote: int | None = None) -> int:
        from app.forum import service as forum
        from app.forum.models import Post, Thread

        with self.ctx():
            quoted = db.session.get(Post, quote) if quote is not None else None
            post = forum.reply(self.actor(author.user_id), db.session.get(Thread, thread_id),
                               body=body, quote=quoted)
            return post.id

    def enrol_second_factor(self, person: Person, *, if_required: bool = False) -> None:
        """A confirmed second factor with tests.second_factor.TEST_TOTP_SECRET; with
        `if_required`, only for someone who must use one (operators, leads, moderators)."""
        from app.policy import must_use_second_factor
        from tests.second_factor import enrol

        if if_required:
            with self.ctx():
                if not must_use_second_factor(self.actor(person.user_id)):
                    return
        enrol(self.app, person.user_id)

    def first_post_id(self, thread_id: int) -> int:
        from app.forum.models import Post

        with self.ctx():
            return db.session.scalar(db.select(Post.id).where(Post.thread_id == thread_id,
                                                               Post.number == 1))


@pytest.fixture
def world(app):
    return World(app)


def login(client, person: Person) -> None:
    """Log in the way the app does after a real login: a new server-side session row
    (app/accounts/sessions.py), its key in the session cookie as Flask-Login keeps it."""
    from app.accounts.models import User
    from app.accounts.sessions import begin_session

    World(client.application).enrol_second_factor(person, if_required=True)
    with client.application.app_context():
        key = begin_session(db.session.get(User, person.user_id), user_agent="", ip="127.0.0.1")
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = key
        session["_fresh"] = True


def reauth(client) -> None:
    """Mark the client's session as having just confirmed its identity (as /account/confirm
    does), for tests of what lies behind @require_recent_auth."""
    from app.accounts.sessions import mark_reauthenticated, session_of_key

    with client.session_transaction() as session:
        key = session["_user_id"]
    with client.application.app_context():
        mark_reauthenticated(session_of_key(key).id)


def csrf_token(client, path: str) -> str:
    """The CSRF token from a form on `path` (tests run with CSRF protection on)."""
    page = client.get(path, follow_redirects=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


class QueryCounter:
    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, conn, cursor, statement, *args):
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)
