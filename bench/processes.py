"""What `make bench` runs beside itself: the servers (Kring's `python wsgi.py` and the
reference app, both waitress) pinned to one core, wrk pinned to the other, and logging in
over HTTP like a browser."""
from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

# The Kring checkout measured: this one, or another one named by run.py --kring-root.
ROOT = Path(os.environ.get("BENCH_KRING_ROOT") or Path(__file__).resolve().parent.parent)
COOKIE_NAME = "kring_session"


class BenchError(RuntimeError):
    """A reason to stop with a clear message (no traceback)."""


def cores() -> tuple[str | None, str | None]:
    """(server core, load core) when taskset and two cores are there, else (None, None)."""
    try:
        usable = sorted(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        usable = []
    if shutil.which("taskset") is None or len(usable) < 2:
        return None, None
    return str(usable[0]), str(usable[1])


def pinned(core: str | None, command: list[str]) -> list[str]:
    return ["taskset", "-c", core, *command] if core is not None else command


def ensure_wrk(install: bool = True) -> None:
    """wrk on PATH, installed with apt-get when missing and allowed; else a clear stop."""
    if shutil.which("wrk"):
        return
    if install and shutil.which("apt-get"):
        sudo = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
        if sudo is not None:
            print("wrk is missing: installing it with apt-get ...", flush=True)
            subprocess.run([*sudo, "apt-get", "install", "-y", "-q", "wrk"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
            if shutil.which("wrk"):
                return
    raise BenchError("wrk is not installed and could not be installed here. Install it with "
                     "`sudo apt-get install wrk` (Debian/Ubuntu) or `brew install wrk`, then "
                     "run `make bench` again.")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A waitress process (Kring or the reference app) on 127.0.0.1, pinned to one core."""

    def __init__(self, command: list[str], *, env: dict, port: int, log: Path, core: str | None):
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = log
        self.log = open(log, "wb")
        self.process = subprocess.Popen(pinned(core, command), cwd=ROOT, env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"a server exited with code {self.process.returncode}:\n"
                                 + self.tail())
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise BenchError(f"no answer from {self.base}/healthz ({' '.join(self.process.args)}) "
                         f"within {timeout:.0f} s:\n" + self.tail())

    def rss_mib(self) -> float:
        """The server's resident memory (taskset execs the server, so the pid is its own)."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return 0.0
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        return int(match.group(1)) / 1024 if match else 0.0

    def tail(self, lines: int = 30) -> str:
        self.log.flush()
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join("    " + line for line in text[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.log.close()


def kring_server(*, database_url: str, instance: Path, port: int, log: Path, core) -> Server:
    env = dict(os.environ)
    env.pop("KRING_ENV", None)
    env.update(KRING_DATABASE_URL=database_url, KRING_PORT=str(port), KRING_HOST="127.0.0.1",
               KRING_SECRET_KEY=os.urandom(32).hex(), KRING_THREADS="4",
               KRING_INSTANCE_PATH=str(instance), PYTHONUNBUFFERED="1",
               # The posting load measures the write path, not the per-person limit (10/min).
               KRING_RATELIMIT_POSTS="1000000 per minute")
    return Server([sys.executable, "wsgi.py"], env=env, port=port, log=log, core=core)


def reference_server(*, database_url: str, thread_id: int, port: int, log: Path, core) -> Server:
    env = dict(os.environ, BENCH_DATABASE_URL=database_url, BENCH_THREAD_ID=str(thread_id),
               BENCH_PORT=str(port), BENCH_THREADS="4", PYTHONUNBUFFERED="1")
    script = Path(__file__).resolve().parent / "reference_app.py"
    return Server([sys.executable, str(script)], env=env, port=port, log=log, core=core)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def log_in(base: str, email: str, password: str) -> str:
    """Log in like a browser and return the session cookie's value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    with opener.open(base + "/login", timeout=10) as response:
        page = response.read().decode()
    token = csrf_in(page, "/login")
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password,
                                   "next": ""}).encode()
    try:
        with opener.open(base + "/login", data=data, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as exc:  # the 302 lands here: redirects are refused
        status = exc.code
    if status != 302:
        raise BenchError(f"logging in as {email} answered {status} instead of a redirect")
    for cookie in jar:
        if cookie.name == COOKIE_NAME:
            return cookie.value
    raise BenchError(f"logging in set no {COOKIE_NAME} cookie")


def csrf_in(page: str, where: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if not match:
        raise BenchError(f"no CSRF token on {where}")
    return match.group(1)


def fetch(url: str, cookie: str | None) -> tuple[int, str, str | None]:
    """(status, body, session cookie): the cookie as the server last set it (a page that
    makes a CSRF token stores it in the session), else the one sent."""
    headers = {"Cookie": f"{COOKIE_NAME}={cookie}"} if cookie else {}
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=30) as response:
            status, body, sent = response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, "", cookie
    for header in sent.get_all("Set-Cookie") or ():
        match = re.match(rf"{COOKIE_NAME}=([^;]+)", header)
        if match:
            cookie = match.group(1)
    return status, body, cookie
