"""Password-reset links are claimed atomically: two submissions at the same moment, one
success; and a successful reset ends every other open link of the account."""
from __future__ import annotations

import re
import sqlite3
import threading
import time

from sqlalchemy import select, text

from app.accounts.models import PasswordReset, User
from app.accounts.security_models import UserSession
from app.extensions import db
from app.notify.models import OutboxMessage
from tests.conftest import PASSWORD, csrf_token
from tests.mail import rendered_mail
from tests.test_accounts import _forgot, is_logged_in, post_login

FIRST_PASSWORD = "eerste nieuwe wachtwoord"
SECOND_PASSWORD = "tweede nieuwe wachtwoord"


def _reset_paths(app, email: str) -> list[str]:
    bodies = [m.body_text for m in rendered_mail(app, OutboxMessage.to_addr == email)]
    return [re.search(r"http://kring\.test(/password/reset/\S+)", body).group(1) for body in bodies]


def test_a_successful_reset_voids_every_other_open_link_of_the_account(app, world):
    person = world.user()
    other = world.user()
    for _ in range(3):
        _forgot(app.test_client(), person.email)
    _forgot(app.test_client(), other.email)
    first, second, third = _reset_paths(app, person.email)
    (others_link,) = _reset_paths(app, other.email)
    client = app.test_client()
    response = client.post(second, data={"csrf_token": csrf_token(client, second),
                                         "password": FIRST_PASSWORD})
    assert response.status_code == 302
    for path in (first, second, third):
        assert client.get(path).status_code == 410
    # An older link can no longer set a password an attacker who read the mailbox knows.
    token = csrf_token(client, "/password/forgot")
    assert client.post(first, data={"csrf_token": token, "password": SECOND_PASSWORD}).status_code == 410
    assert post_login(app.test_client(), person.email, FIRST_PASSWORD).status_code == 302
    # Another account's link is untouched.
    assert client.get(others_link).status_code == 200


def test_a_refused_new_password_voids_nothing(app, world):
    person = world.user()
    for _ in range(2):
        _forgot(app.test_client(), person.email)
    first, second = _reset_paths(app, person.email)
    client = app.test_client()
    response = client.post(first, data={"csrf_token": csrf_token(client, first), "password": "kort"})
    assert response.status_code == 400
    assert 'name="password"' in response.get_data(as_text=True)
    assert client.get(first).status_code == 200
    assert client.get(second).status_code == 200


class _Gate:
    """Holds the lock a reset must take, from a connection of its own, so that two requests
    sent at once both reach the point of claiming the link before either may go on."""

    def __init__(self, app):
        self.app = app
        self.dialect = None

    def __enter__(self):
        with self.app.app_context():
            self.dialect = db.engine.dialect.name
            if self.dialect == "postgresql":
                self.connection = db.engine.connect()
                self.transaction = self.connection.begin()
                self.connection.execute(text("SELECT id FROM users FOR UPDATE"))
            else:
                path = db.engine.url.database
                self.connection = sqlite3.connect(path, isolation_level=None, timeout=10)
                self.connection.execute("BEGIN IMMEDIATE")
        return self

    def wait_for_waiters(self, count: int) -> None:
        if self.dialect != "postgresql":
            time.sleep(1.0)  # SQLite cannot show who waits; both requests need well under this
            return
        deadline = time.monotonic() + 10
        with self.app.app_context():
            while time.monotonic() < deadline:
                with db.engine.connect() as probe:
                    waiting = probe.execute(text(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        "AND datname = current_database()")).scalar()
                if waiting >= count:
                    return
                time.sleep(0.05)
        raise AssertionError(f"fewer than {count} requests reached the lock")

    def __exit__(self, *exc):
        if self.dialect == "postgresql":
            self.transaction.rollback()
            self.connection.close()
        else:
            self.connection.execute("ROLLBACK")
            self.connection.close()


def _submit_at_once(app, paths_and_passwords) -> list[int]:
    clients = [app.test_client() for _ in paths_and_passwords]
    tokens = [csrf_token(client, path) for client, (path, _pw) in zip(clients, paths_and_passwords)]
    statuses: list[int | None] = [None] * len(clients)

    def submit(index: int) -> None:
        path, password = paths_and_passwords[index]
        response = clients[index].post(path, data={"csrf_token": tokens[index], "password": password})
        statuses[index] = response.status_code

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(len(clients))]
    with _Gate(app) as gate:
        for thread in threads:
            thread.start()
        gate.wait_for_waiters(len(threads))
    for thread in threads:
        thread.join(timeout=30)
    return statuses


def test_a_double_submit_of_one_reset_link_succeeds_exactly_once(app, world):
    person = world.user()
    elsewhere = app.test_client()
    post_login(elsewhere, person.email, PASSWORD)
    _forgot(app.test_client(), person.email)
    (path,) = _reset_paths(app, person.email)
    statuses = _submit_at_once(app, [(path, FIRST_PASSWORD), (path, SECOND_PASSWORD)])
    assert sorted(statuses) == [302, 410]
    winner = FIRST_PASSWORD if statuses[0] == 302 else SECOND_PASSWORD
    loser = SECOND_PASSWORD if winner == FIRST_PASSWORD else FIRST_PASSWORD
    assert post_login(app.test_client(), person.email, winner).status_code == 302
    assert post_login(app.test_client(), person.email, loser).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(UserSession.ended_at)) is not None  # the other browser
        assert db.session.scalar(select(PasswordReset.used_at)) is not None
    assert not is_logged_in(elsewhere)


def test_two_links_of_one_account_submitted_at_once_give_one_new_password(app, world):
    person = world.user()
    for _ in range(2):
        _forgot(app.test_client(), person.email)
    first, second = _reset_paths(app, person.email)
    statuses = _submit_at_once(app, [(first, FIRST_PASSWORD), (second, SECOND_PASSWORD)])
    assert sorted(statuses) == [302, 410]  # no deadlock, no 500
    winner = FIRST_PASSWORD if statuses[0] == 302 else SECOND_PASSWORD
    assert post_login(app.test_client(), person.email, winner).status_code == 302
