"""Starting Kring: a secret key of its own per installation, waitress limits from the
configuration (an oversized body is cut off, not buffered), and one line for a port in use
or a public address with a known key."""
from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

import config
from app.server import make_server, refusal
from tests.served import serving

ROOT = Path(__file__).resolve().parent.parent


# --- the secret key ------------------------------------------------------------------------

def test_first_start_makes_a_random_key_readable_only_by_the_owner(tmp_path):
    key = config.instance_secret_key(tmp_path)
    path = tmp_path / "secret_key"
    assert len(key) == 64 and int(key, 16)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not config.is_public_key(key)
    assert config.instance_secret_key(tmp_path) == key  # later starts reuse it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret_key"]  # no temporary left


def test_two_installations_get_different_keys(tmp_path):
    assert config.instance_secret_key(tmp_path / "a") != config.instance_secret_key(tmp_path / "b")


def test_a_key_file_others_can_read_is_made_private(tmp_path):
    key = config.instance_secret_key(tmp_path)
    path = tmp_path / "secret_key"
    path.chmod(0o644)
    assert config.instance_secret_key(tmp_path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_default_settings_use_the_instance_key_not_a_constant(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    monkeypatch.delenv("KRING_SECRET_KEY", raising=False)
    first = config.load_config("default")["SECRET_KEY"]
    assert first == (tmp_path / "secret_key").read_text().strip()
    assert first != "dev-only-not-secret" and not config.is_public_key(first)
    assert config.load_config("default")["SECRET_KEY"] == first


def test_kring_secret_key_overrides_and_writes_no_file(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    monkeypatch.setenv("KRING_SECRET_KEY", "k" * 40)
    assert config.load_config("default")["SECRET_KEY"] == "k" * 40
    assert not (tmp_path / "secret_key").exists()


def test_tests_keep_their_fixed_key_and_production_still_demands_one(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    monkeypatch.delenv("KRING_SECRET_KEY", raising=False)
    assert config.load_config("test")["SECRET_KEY"] == "test-secret-key"
    assert config.load_config("production")["SECRET_KEY"] == ""
    assert not (tmp_path / "secret_key").exists()


def test_a_public_address_is_refused_only_with_a_built_in_key(sqlite_app):
    sqlite_app.config["HOST"] = "0.0.0.0"
    for key in ("dev-only-not-secret", "test-secret-key"):
        sqlite_app.secret_key = key
        assert "KRING_SECRET_KEY" in refusal(sqlite_app)
    sqlite_app.secret_key = "r" * 64
    assert refusal(sqlite_app) is None
    sqlite_app.secret_key = "dev-only-not-secret"
    for host in ("127.0.0.1", "::1", "localhost"):
        sqlite_app.config["HOST"] = host
        assert refusal(sqlite_app) is None


# --- waitress ------------------------------------------------------------------------------

def _environment(tmp_path, **settings) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("KRING_")}
    env.update(KRING_INSTANCE_PATH=str(tmp_path),
               KRING_DATABASE_URL=f"sqlite:///{tmp_path / 'kring.db'}", PYTHONUNBUFFERED="1")
    env.update({f"KRING_{key}": str(value) for key, value in settings.items()})
    return env


def _start(tmp_path, **settings) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "wsgi.py"], cwd=ROOT, env=_environment(tmp_path, **settings),
                          capture_output=True, text=True, timeout=30)


def test_a_port_in_use_gives_one_line_naming_kring_port(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _start(tmp_path, PORT=port)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "KRING_PORT" in lines[0] and str(port) in lines[0]
    assert "Traceback" not in result.stderr and "running" not in result.stdout


def test_a_public_address_with_the_built_in_key_is_refused_in_one_line(tmp_path):
    result = _start(tmp_path, HOST="0.0.0.0", PORT=0, SECRET_KEY="dev-only-not-secret")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "KRING_SECRET_KEY" in lines[0]


def test_the_limits_reach_waitress(sqlite_app):
    sqlite_app.config.update(CONNECTION_LIMIT=7, CHANNEL_TIMEOUT=3, MAX_REQUEST_BODY=12345, THREADS=2)
    server = make_server(sqlite_app, port=0)
    try:
        assert server.adj.connection_limit == 7
        assert server.adj.channel_timeout == 3
        assert server.adj.max_request_body_size == 12345
        assert server.adj.threads == 2
        assert server.adj.host == "127.0.0.1"
    finally:
        server.close()


def test_the_limits_have_sane_defaults_and_follow_the_environment(monkeypatch):
    settings = config.load_config("test")
    assert settings["CONNECTION_LIMIT"] == 200
    assert settings["CHANNEL_TIMEOUT"] == 30
    assert settings["MAX_REQUEST_BODY"] == settings["UPLOAD_MAX_BYTES"] + 1024 * 1024
    monkeypatch.setenv("KRING_UPLOAD_MAX_BYTES", str(2 * 1024 * 1024))
    assert config.load_config("test")["MAX_REQUEST_BODY"] == 3 * 1024 * 1024
    monkeypatch.setenv("KRING_CONNECTION_LIMIT", "50")
    monkeypatch.setenv("KRING_CHANNEL_TIMEOUT", "10")
    monkeypatch.setenv("KRING_MAX_REQUEST_BODY", "4096")
    settings = config.load_config("test")
    assert (settings["CONNECTION_LIMIT"], settings["CHANNEL_TIMEOUT"],
            settings["MAX_REQUEST_BODY"]) == (50, 10, 4096)


LIMIT = 64 * 1024


@pytest.fixture
def running(sqlite_app):
    """A real waitress on a free port, with a small body limit."""
    sqlite_app.config["MAX_REQUEST_BODY"] = LIMIT
    server = make_server(sqlite_app, port=0)
    with serving(server):
        yield server.effective_port


def _answer(sock) -> bytes:
    sock.settimeout(5)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    except (ConnectionResetError, socket.timeout):
        pass
    return data


def test_a_declared_oversized_body_is_refused_before_it_is_sent(running):
    declared = 1024 * 1024 * 1024
    with socket.create_connection(("127.0.0.1", running)) as sock:
        sock.sendall(b"POST /login HTTP/1.1\r\nHost: kring.test\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: %d\r\n\r\n" % declared + b"x" * 1024)
        started = time.monotonic()
        answer = _answer(sock)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert time.monotonic() - started < 3  # answered at once, not after waiting for 1 GB


def test_a_chunked_body_is_cut_off_at_the_limit(running):
    sent = 0
    with socket.create_connection(("127.0.0.1", running)) as sock:
        sock.sendall(b"POST /login HTTP/1.1\r\nHost: kring.test\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = b"4000\r\n" + b"x" * 0x4000 + b"\r\n"
        try:
            while sent < 4 * LIMIT:  # the client means to go on; the server stops it
                sock.sendall(chunk)
                sent += 0x4000
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = _answer(sock)
    # The final (empty) chunk was never sent: a server that buffered the whole body first
    # would still be waiting for it instead of answering.
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_a_body_within_the_limit_reaches_the_app(running):
    with socket.create_connection(("127.0.0.1", running)) as sock:
        body = b"email=a%40example.org&password=x"
        sock.sendall(b"POST /login HTTP/1.1\r\nHost: kring.test\r\nConnection: close\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(body) + body)
        answer = _answer(sock)
    # The app itself answers (no CSRF token: its own 400 page, not waitress's 413).
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert b"Content-Security-Policy" in answer  # Kring's own headers: the app answered
