"""A database that refuses writes, simulated for real: a read-only database (PostgreSQL:
ALTER DATABASE ... SET default_transaction_read_only; SQLite: PRAGMA query_only on every
connection) and a full SQLite file (PRAGMA max_page_count at the current size). Reading and
logging in go on, a refused write answers 503 with the text given back and nothing half
written, /healthz says 503, and everything works again once writes are possible."""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from html import unescape

import psycopg
import pytest
from sqlalchemy import event, func, select

from app.accounts.models import User
from app.accounts.security_models import UserSession
from app.extensions import db
from app.forum.models import Post, ReadState, Thread
from tests.conftest import PASSWORD, csrf_token, login


def _engine(app):
    with app.app_context():
        return db.engine


@contextmanager
def refusing_writes(app, how: str = "read-only"):
    """While inside, every new connection of the app can read but not write."""
    engine = _engine(app)
    if engine.dialect.name == "postgresql":
        assert how == "read-only", "a full disk is simulated on SQLite only"
        url = engine.url
        conninfo = (f"host={url.host} port={url.port} user={url.username} dbname=postgres "
                    "options='-c default_transaction_read_only=off'")
        with psycopg.connect(conninfo, autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{url.database}" SET default_transaction_read_only = on')
            engine.dispose()
            try:
                yield
            finally:
                admin.execute(f'ALTER DATABASE "{url.database}" RESET default_transaction_read_only')
                engine.dispose()
        return

    def refuse(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        if how == "full":
            pages = cursor.execute("PRAGMA page_count").fetchone()[0]
            cursor.execute(f"PRAGMA max_page_count = {pages}")
        else:
            cursor.execute("PRAGMA query_only = ON")
        cursor.close()

    engine.dispose()
    if how == "full":
        # Earlier tests leave free pages a write could reuse: without them, "no page more"
        # really means no room.
        with engine.connect() as connection:
            connection.exec_driver_sql("VACUUM")
        engine.dispose()
    event.listen(engine, "connect", refuse)
    try:
        yield
    finally:
        event.remove(engine, "connect", refuse)
        engine.dispose()


@dataclass
class UnsavedForm:
    action: str
    fields: dict[str, str]
    editable: list[str]


def unsaved_form(html: str) -> UnsavedForm:
    """The retry form of a 503 page, read the way a browser would (a textarea drops the one
    newline right after its opening tag)."""
    form = re.search(r'<form method="post" action="([^"]*)">(.*?)</form>', html, re.S)
    assert form, "the 503 page holds no form"
    assert "Probeer opnieuw" in form.group(2)
    fields, editable = {}, []
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(2)):
        fields[unescape(name)] = unescape(value)
    for name, value in re.findall(r'<textarea [^>]*name="([^"]+)"[^>]*>\n?(.*?)</textarea>',
                                  form.group(2), re.S):
        fields[unescape(name)] = unescape(value)
        editable.append(unescape(name))
    return UnsavedForm(unescape(form.group(1)), fields, editable)


def _posts(app, thread_id) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Post).where(Post.thread_id == thread_id))


def _read_upto(app, thread_id, person) -> int | None:
    with app.app_context():
        return db.session.scalar(select(ReadState.last_read_number).where(
            ReadState.thread_id == thread_id, ReadState.membership_id == person.membership_id))


@pytest.fixture
def reader_world(app, world):
    """A space with a thread of two posts that the member has not read yet."""
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, lead, title="Onderwerp", body="Eerste")
    world.reply(slug, thread_id, lead, "Tweede")
    return slug, lead, member, thread_id


def test_a_read_only_database_lets_people_read_but_refuses_a_login_and_a_reply_with_503(app, reader_world):
    slug, lead, member, thread_id = reader_world
    client = app.test_client()
    login_token = csrf_token(client, "/login")
    reader = app.test_client()
    login(reader, member)
    reply_token = csrf_token(reader, f"/s/{slug}/t/new")  # one token per session; unread stays
    with app.app_context():
        last_login_before = db.session.get(User, member.user_id).last_login_at

    with refusing_writes(app):
        assert app.test_client().get("/healthz").status_code == 503

        # A login needs its session row (app/accounts/sessions.py): refused with 503, the
        # address given back, the password not.
        response = client.post("/login", data={"csrf_token": login_token, "email": member.email,
                                               "password": PASSWORD})
        assert response.status_code == 503
        assert member.email in response.get_data(as_text=True)
        assert PASSWORD not in response.get_data(as_text=True)
        assert client.get("/account").status_code == 302  # not logged in

        # The thread opens; the read position cannot be saved and that is all.
        page = reader.get(f"/s/{slug}/t/{thread_id}?page=1")
        assert page.status_code == 200
        assert "Tweede" in page.get_data(as_text=True)

        # A reply is refused with 503, the text given back, nothing written.
        text = "Mijn lange antwoord\nmet een tweede regel & een <teken>"
        refused = reader.post(f"/s/{slug}/t/{thread_id}/reply",
                              data={"csrf_token": reply_token, "body": text})
        assert refused.status_code == 503
        html = refused.get_data(as_text=True)
        assert "NIET opgeslagen" in html
        assert "Mijn lange antwoord\nmet een tweede regel &amp; een &lt;teken&gt;" in html
        assert html.count("<textarea") == 1  # the text only: no CSRF token as "your text"
        assert _posts(app, thread_id) == 2
        again = unsaved_form(html)  # the text is kept in a form that sends it again
        assert again.action == f"/s/{slug}/t/{thread_id}/reply"
        assert again.fields["body"] == text and again.editable == ["body"]
        assert again.fields["csrf_token"]  # a token of its own: the page may be sent as it is

        # A wrong password cannot be counted, so it is refused too (throttling stays whole),
        # and the password is never shown back.
        wrong = app.test_client()
        wrong_token = csrf_token(wrong, "/login")
        refused_login = wrong.post("/login", data={"csrf_token": wrong_token, "email": member.email,
                                                   "password": "geheim-fout-123"})
        assert refused_login.status_code == 503
        assert "geheim-fout-123" not in refused_login.get_data(as_text=True)
        login_again = unsaved_form(refused_login.get_data(as_text=True))
        assert login_again.fields["email"] == member.email
        assert "password" not in login_again.fields  # never echoed, not even hidden

    with app.app_context():
        assert db.session.get(User, member.user_id).last_login_at == last_login_before
    assert _read_upto(app, thread_id, member) is None

    # Writes are possible again: everything works as before.
    assert app.test_client().get("/healthz").status_code == 200
    assert reader.get(f"/s/{slug}/t/{thread_id}?page=1").status_code == 200
    assert _read_upto(app, thread_id, member) == 2
    # "Probeer opnieuw": the form of the 503 page, sent as it is, stores the reply.
    sent = reader.post(again.action, data=again.fields)
    assert sent.status_code == 302
    assert _posts(app, thread_id) == 3
    with app.app_context():
        assert db.session.scalar(select(Post.body).where(Post.thread_id == thread_id,
                                                         Post.number == 3)) == text


def test_a_full_sqlite_file_refuses_a_reply_with_503_and_healthz_notices(app, reader_world):
    if _engine(app).dialect.name != "sqlite":
        pytest.skip("a full file is simulated with SQLite's max_page_count")
    slug, lead, member, thread_id = reader_world
    reader = app.test_client()
    login(reader, member)
    token = csrf_token(reader, f"/s/{slug}/t/{thread_id}?page=1")
    long_text = "Een lang verhaal. " * 500  # more than a page: the file has to grow
    with refusing_writes(app, "full"):
        assert app.test_client().get("/healthz").status_code == 503
        assert reader.get(f"/s/{slug}/t/{thread_id}?page=1").status_code == 200
        refused = reader.post(f"/s/{slug}/t/{thread_id}/reply", data={"csrf_token": token, "body": long_text})
        assert refused.status_code == 503
        assert long_text.strip() in refused.get_data(as_text=True)
        assert _posts(app, thread_id) == 2
        # A new thread is refused whole: no thread without its first post.
        new = reader.post(f"/s/{slug}/t/new", data={"csrf_token": token, "kind": "discussion",
                                                    "title": "Nieuw onderwerp", "body": long_text})
        assert new.status_code == 503
        assert "Nieuw onderwerp" in new.get_data(as_text=True)
        again = unsaved_form(new.get_data(as_text=True))
        assert again.action == f"/s/{slug}/t/new"
        assert again.editable == ["title", "body"]  # the kind goes along, hidden
        assert again.fields["kind"] == "discussion" and again.fields["body"] == long_text
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(Thread)) == 1
    assert app.test_client().get("/healthz").status_code == 200
    assert reader.post(f"/s/{slug}/t/{thread_id}/reply",
                       data={"csrf_token": token, "body": long_text}).status_code == 302


def test_healthz_leaves_nothing_behind(app):
    from app.health import HealthProbe

    for _ in range(3):
        assert app.test_client().get("/healthz").status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(HealthProbe)) == 0


def test_only_a_database_refusing_to_write_counts_as_a_refused_write():
    """Only refusals to write get the 503 page; a real bug (a broken constraint) stays a 500."""
    from sqlalchemy.exc import IntegrityError

    from app.database import write_refused

    assert not write_refused(IntegrityError("INSERT", {}, Exception("duplicate")))
    assert not write_refused(ValueError("not a database error"))


def test_a_notification_opens_with_a_read_only_database_and_is_marked_read_once_writes_work(
        app, world):
    from app.notify.models import Notification

    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, lead, title="Onderwerp", body="Eerste")
    world.reply(slug, thread_id, member, "Ik doe mee")
    world.reply(slug, thread_id, lead, "Fijn")  # the member hears of it
    with app.app_context():
        notification_id = db.session.scalar(select(Notification.id).where(
            Notification.user_id == member.user_id, Notification.thread_id == thread_id,
            Notification.read_at.is_(None)))
    assert notification_id is not None
    reader = app.test_client()
    login(reader, member)

    def read_at():
        with app.app_context():
            return db.session.get(Notification, notification_id).read_at

    with refusing_writes(app):
        response = reader.get(f"/notifications/{notification_id}")
        assert response.status_code == 302  # it opens; only the bookkeeping is skipped
        assert f"/s/{slug}/t/{thread_id}" in response.headers["Location"]
    assert read_at() is None
    assert reader.get(f"/notifications/{notification_id}").status_code == 302
    assert read_at() is not None


def _logged_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_logging_out_on_a_read_only_database_still_logs_this_browser_out(app, world, caplog):
    person = world.user()
    client = app.test_client()
    login(client, person)
    token = csrf_token(client, "/account")
    with refusing_writes(app):
        response = client.post("/logout", data={"csrf_token": token})
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/login")
        assert not _logged_in(client)
        page = client.get("/login").get_data(as_text=True)
        assert "Beveiliging" in page  # told to look at the open sessions later
    assert "database refused to end the session row" in caplog.text
    with app.app_context():  # the row could not be ended ...
        assert db.session.scalar(select(UserSession.ended_at)) is None
    assert not _logged_in(client)  # ... yet this browser stays logged out once writes work


def test_logging_out_with_a_working_database_ends_this_session_only(app, world):
    person = world.user()
    client, other = app.test_client(), app.test_client()
    login(client, person)
    login(other, person)
    token = csrf_token(client, "/account")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert "Je bent uitgelogd." in client.get("/login").get_data(as_text=True)
    assert not _logged_in(client)
    assert _logged_in(other)  # "log out everywhere" is on /account/security
    with app.app_context():
        assert len(db.session.scalars(select(UserSession.id)
                                      .where(UserSession.ended_at.is_not(None))).all()) == 1


@contextmanager
def broken_sql(app, table: str):
    """Every INSERT into `table` goes out with a syntax error: a bug in our SQL, not a
    database that refuses to write."""
    engine = _engine(app)

    def rewrite(_conn, _cursor, statement, parameters, _context, _executemany):
        return statement.replace(f"INSERT INTO {table} ", f"INSERT INTOO {table} "), parameters

    event.listen(engine, "before_cursor_execute", rewrite, retval=True)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", rewrite)


def test_a_bug_in_the_sql_of_a_write_is_a_logged_500_not_a_refused_write(app, reader_world, caplog):
    slug, lead, member, thread_id = reader_world
    reader = app.test_client()
    login(reader, member)
    token = csrf_token(reader, f"/s/{slug}/t/new")
    with broken_sql(app, "posts"):
        response = reader.post(f"/s/{slug}/t/{thread_id}/reply",
                               data={"csrf_token": token, "body": "Een antwoord"})
    assert response.status_code == 500
    assert "NIET opgeslagen" not in response.get_data(as_text=True)
    assert "unhandled error" in caplog.text and "INTOO" in caplog.text
    assert "write refused" not in caplog.text
    assert _posts(app, thread_id) == 2


@pytest.mark.parametrize("statement", ["SELEC 1", "SELECT * FROM no_such_table",
                                       "SELECT no_such_column FROM posts"])
def test_sql_errors_from_either_database_are_bugs_not_refused_writes(app, statement):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from app.database import write_refused

    with app.app_context():
        with pytest.raises(DBAPIError) as caught:
            db.session.execute(text(statement))
        db.session.rollback()
    assert not write_refused(caught.value)


def test_a_read_only_or_full_database_counts_as_a_refused_write(app, reader_world):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from app.database import write_refused

    slug, lead, member, thread_id = reader_world
    hows = ["read-only", "full"] if _engine(app).dialect.name == "sqlite" else ["read-only"]
    for how in hows:
        with refusing_writes(app, how), app.app_context():
            with pytest.raises(DBAPIError) as caught:
                db.session.execute(text("CREATE TABLE grows (x TEXT)"))
                db.session.execute(text("INSERT INTO grows VALUES (:x)"), [{"x": "x" * 5000}] * 20)
            db.session.rollback()
        assert write_refused(caught.value), (how, caught.value)


def test_the_plain_answer_when_not_even_a_page_renders_is_in_the_visitors_language(app):
    from app.errors import _plain_refusal

    with app.test_request_context("/"):
        assert _plain_refusal() == "De database is niet bereikbaar. Er is niets opgeslagen."
    with app.test_request_context("/", headers={"Cookie": "kring_lang=en"}):
        assert _plain_refusal() == "The database is unavailable. Nothing was saved."
