"""Any process can serve any request: two real Kring servers (waitress, 127.0.0.1) on one
PostgreSQL, one Redis and one S3-compatible bucket. A login made on A is a session on B, a
rate limit counted on A goes on counting on B, and a file uploaded through A downloads
from B."""
from __future__ import annotations

import re

import pytest

from app import create_app
from app.extensions import db
from tests.conftest import PASSWORD, World
from tests.multi_process import KringProcess, form_token, log_in


@pytest.fixture(scope="module")
def installation(pg_cluster, local_s3, tmp_path_factory):
    from tests.redis_server import start_redis

    requests = pytest.importorskip("requests")
    redis = start_redis()
    url = pg_cluster.create_database("kring_two_processes")
    bucket = local_s3.new_bucket("two-processes")
    folder = tmp_path_factory.mktemp("two-processes")
    app = create_app("test", DATABASE_URL=url, **local_s3.settings(bucket))
    with app.app_context():
        db.create_all()
    settings = {"KRING_DATABASE_URL": url, "KRING_RATELIMIT_STORAGE_URI": redis.url,
                "KRING_RATELIMIT_LOGIN_ACCOUNT": "3 per hour",
                "KRING_PASSWORD_HASH_METHOD": "argon2id:m=8,t=1,p=1",
                **local_s3.environment(bucket)}
    processes = []
    try:
        processes = [KringProcess(name, folder, settings) for name in ("a", "b")]
        yield {"a": processes[0].base, "b": processes[1].base, "app": app,
               "world": World(app), "http": requests.Session}
    finally:
        for process in processes:
            process.stop()
        redis.stop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_login_on_one_process_is_a_session_on_the_other(installation):
    world, a, b = installation["world"], installation["a"], installation["b"]
    slug, lead = world.space()
    member = world.member(slug, lead, name="Sanne")
    http = installation["http"]()
    assert http.get(f"{b}/account", allow_redirects=False).status_code == 302
    assert log_in(http, a, member.email, PASSWORD).status_code == 302
    on_b = http.get(f"{b}/s/{slug}/", allow_redirects=False)
    assert on_b.status_code == 200 and f"Groep {slug}" in on_b.text
    assert member.email in http.get(f"{b}/account").text
    # Logging out on B ends the session everywhere: it is a row, not a process's memory.
    http.post(f"{b}/logout", data={"csrf_token": form_token(http, f"{b}/account")})
    assert http.get(f"{a}/account", allow_redirects=False).status_code == 302


def test_a_rate_limit_counted_on_one_process_goes_on_counting_on_the_other(installation):
    world, a, b = installation["world"], installation["a"], installation["b"]
    person = world.user()
    http = installation["http"]()
    # Three wrong passwords for the account on A: the limit of 3 per hour is reached ...
    for _ in range(3):
        assert log_in(http, a, person.email, "fout wachtwoord").status_code == 400
    # ... and B, which saw none of them, refuses the fourth.
    refused = log_in(http, b, person.email, "fout wachtwoord")
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    # Another account is not affected.
    other = world.user()
    assert log_in(http, b, other.email, PASSWORD).status_code == 302


def test_a_file_uploaded_through_one_process_downloads_from_the_other(installation, local_s3):
    world, a, b = installation["world"], installation["a"], installation["b"]
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, lead, title="Huiswerk")
    http = installation["http"]()
    assert log_in(http, a, member.email, PASSWORD).status_code == 302
    thread = f"/s/{slug}/t/{thread_id}"
    data = b"Mijn uitwerking, in platte tekst.\n" * 100
    posted = http.post(f"{a}{thread}/reply", allow_redirects=False,
                       data={"csrf_token": form_token(http, f"{a}{thread}"), "body": "Bijlage"},
                       files={"files": ("uitwerking.txt", data, "text/plain")})
    assert posted.status_code == 302, posted.text[:500]
    page = http.get(f"{b}{thread}").text
    link = re.search(r'href="(/s/[^"]+/files/\d+/uitwerking.txt)"', page).group(1)
    download = http.get(f"{b}{link}")
    assert download.status_code == 200 and download.content == data
