#!/usr/bin/env python3
"""Benchmark: a logged-in member reading a thread page of 50 posts, served by the real server.

What it does:
  1. seeds a fresh SQLite database in a temporary folder through the real migrations and the
     real services: one space, 8 members, one thread of exactly 50 posts with reactions;
  2. starts `python wsgi.py` (waitress, KRING_THREADS=4) pinned to CPU core 0;
  3. logs a member in over HTTP to get a session cookie and checks that the thread page
     answers 200 with all 50 posts;
  4. runs wrk pinned to core 1, alternating the in-run reference /healthz and the thread page
     /s/<slug>/t/<id>?page=1, --runs times;
  5. prints requests/s and p50/p99 latency per run, the min–max spread and the ratio
     thread/healthz; stops the server (also on Ctrl+C or an error).

Usage: .venv/bin/python bench/thread_page.py [--runs 3] [--duration 10] [--connections 8]
See bench/README.md for how to read the numbers."""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTS = 50
MEMBERS = 8  # the facilitator included
PASSWORD = "bench-password-123"
READER_EMAIL = "lezer@example.org"
SLUG = "bench"
SERVER_CORE = "0"
LOAD_CORE = "1"
COOKIE_NAME = "kring_session"

BODIES = [
    "Ik heb deze week eindelijk mijn **post** gesorteerd. Drie stapels: betalen, bewaren, weg.",
    "Herkenbaar! Bij mij helpt het om elke zondag tien minuten te kijken wat er binnenkwam.\n\n"
    "- rekeningen\n- brieven van de gemeente\n- de rest",
    "Mag ik vragen hoe jullie met *aanmaningen* omgaan? Ik schrik er altijd zo van.",
    "> Ik schrik er altijd zo van.\n\nDat had ik ook. Bellen helpt, ze denken vaak mee over "
    "een regeling.",
    "Tip van de schuldhulpverlening: maak een lijstje met vaste lasten en zet het op de koelkast.",
    "Dank jullie wel, ik ga het proberen. Volgende week vertel ik hoe het ging.",
]


class BenchError(RuntimeError):
    """A reason to stop with a clear message (no traceback)."""


# --- preflight ------------------------------------------------------------------------------

def preflight() -> None:
    missing = [tool for tool in ("wrk", "taskset") if shutil.which(tool) is None]
    if missing:
        raise BenchError(
            f"{' and '.join(missing)} not found on PATH. Install them first, for example "
            "`apt-get install wrk util-linux` (taskset is part of util-linux).")
    try:
        cores = os.sched_getaffinity(0)
    except AttributeError:  # not Linux
        cores = set(range(os.cpu_count() or 1))
    if not {int(SERVER_CORE), int(LOAD_CORE)} <= cores:
        raise BenchError(
            f"This benchmark pins the server to core {SERVER_CORE} and wrk to core {LOAD_CORE}, "
            f"but this process may only use cores {sorted(cores)}. It needs at least 2 cores.")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- seeding --------------------------------------------------------------------------------

def seed(database_url: str) -> dict:
    """Build the database through the real migrations and services. Returns the thread's
    address and the reader's credentials."""
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade

    from app import create_app
    from app.accounts import service as accounts
    from app.accounts.models import User
    from app.extensions import db
    from app.forum import service as forum
    from app.forum.models import REACTIONS, Post, Thread
    from app.spaces import invitations
    from app.spaces import service as spaces
    from app.spaces.models import Space
    from app.spaces.queries import load_actor

    app = create_app("default", DATABASE_URL=database_url)
    with app.app_context():
        upgrade()

        def actor(user_id: int):
            return load_actor(db.session.get(User, user_id))

        operator = accounts.make_operator(email="beheer@example.org", password=PASSWORD)
        space, token = spaces.create_space(
            actor(operator.id), name="Grip op je geld", slug=SLUG, theme="Geld",
            description="Een besloten groep over grip op je geldzaken.", renter="Welzijn Bench",
            rental_start=date.today(), rental_end=date.today() + timedelta(days=365),
            seat_limit=20, facilitator_email="begeleider@example.org")
        space_id = space.id
        lead, _ = invitations.accept_invitation(None, token=token, display_name="Marieke",
                                                accepts_agreement=True, password=PASSWORD)
        members = [lead.id]
        names = ["Sanne", "Joris", "Fatima", "Kees", "Annelies", "Mohamed", "Petra"]
        for index, name in enumerate(names[:MEMBERS - 1]):
            email = READER_EMAIL if index == 0 else f"lid{index}@example.org"
            space = db.session.get(Space, space_id)
            _inv, raw = invitations.invite(actor(lead.id), space, email=email, role="member")
            user, _m = invitations.accept_invitation(None, token=raw, display_name=name,
                                                     accepts_agreement=True, password=PASSWORD)
            members.append(user.id)

        space = db.session.get(Space, space_id)
        thread = forum.start_thread(actor(lead.id), space, kind="discussion",
                                    title="Hoe houden jullie overzicht in de post?",
                                    body=BODIES[0] + "\n\n(bericht 1)")
        thread_id = thread.id
        for number in range(2, POSTS + 1):
            author = members[number % len(members)]
            body = f"{BODIES[number % len(BODIES)]}\n\n(bericht {number})"
            forum.reply(actor(author), db.session.get(Thread, thread_id), body=body)

        posts = db.session.scalars(db.select(Post).where(Post.thread_id == thread_id)
                                   .order_by(Post.number)).all()
        if len(posts) != POSTS or posts[-1].number != POSTS:
            raise BenchError(f"seeding made {len(posts)} posts instead of {POSTS}")
        kinds = list(REACTIONS)
        post_ids = [post.id for post in posts]
        reactions = 0
        for index, post_id in enumerate(post_ids):
            if index % 3:  # about a third of the posts get reactions, from several members
                continue
            for offset in range(1 + index % 4):
                reacting = members[(index + offset + 1) % len(members)]
                post = db.session.get(Post, post_id)
                forum.set_reaction(actor(reacting), post, kind=kinds[(index + offset) % len(kinds)],
                                   on=True)
                reactions += 1
        db.session.remove()
        db.engine.dispose()
    return {"thread_path": f"/s/{SLUG}/t/{thread_id}?page=1", "reactions": reactions,
            "last_marker": f"(bericht {POSTS})"}


# --- server ---------------------------------------------------------------------------------

class Server:
    def __init__(self, *, database_url: str, instance: Path, port: int, log: Path):
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = log
        env = dict(os.environ)
        env.pop("KRING_ENV", None)
        env.update(KRING_DATABASE_URL=database_url, KRING_PORT=str(port), KRING_HOST="127.0.0.1",
                   KRING_SECRET_KEY=secrets.token_hex(32), KRING_THREADS="4",
                   KRING_INSTANCE_PATH=str(instance), PYTHONUNBUFFERED="1")
        self.log = open(log, "wb")
        self.process = subprocess.Popen(
            ["taskset", "-c", SERVER_CORE, sys.executable, "wsgi.py"], cwd=ROOT, env=env,
            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"the server exited with code {self.process.returncode}:\n"
                                 + self.tail())
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise BenchError(f"the server did not answer /healthz within {timeout:.0f} s:\n" + self.tail())

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


# --- logging in -----------------------------------------------------------------------------

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def log_in(base: str, email: str, password: str) -> str:
    """Log in like a browser would and return the value of the session cookie."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    with opener.open(base + "/login", timeout=10) as response:
        page = response.read().decode()
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if not match:
        raise BenchError("no CSRF token on /login")
    data = urllib.parse.urlencode({"csrf_token": match.group(1), "email": email,
                                   "password": password, "next": ""}).encode()
    try:
        with opener.open(base + "/login", data=data, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as exc:  # the 302 arrives here since redirects are refused
        status = exc.code
    if status != 302:
        raise BenchError(f"logging in as {email} answered {status} instead of a redirect")
    for cookie in jar:
        if cookie.name == COOKIE_NAME:
            return cookie.value
    raise BenchError(f"logging in set no {COOKIE_NAME} cookie")


def check_thread_page(url: str, cookie: str, marker: str) -> int:
    request = urllib.request.Request(url, headers={"Cookie": f"{COOKIE_NAME}={cookie}"})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            status, body = response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        raise BenchError(f"the thread page {url} answered {exc.code} with the session cookie, "
                         "not 200: the benchmark would measure the wrong page") from None
    if status != 200:
        raise BenchError(f"the thread page {url} answered {status}, not 200")
    if f'id="p{POSTS}"' not in body or marker not in body:
        raise BenchError(f"the thread page answered 200 but does not show post {POSTS}: the "
                         "benchmark would measure the wrong page")
    return len(body.encode())


# --- wrk ------------------------------------------------------------------------------------

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _to_ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", value)
    if not match:
        raise BenchError(f"cannot read the latency {value!r} from wrk")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse_wrk(output: str) -> dict:
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    if not (rps and p50 and p99):
        raise BenchError("could not read wrk's output:\n" + output)
    total = re.search(r"^\s+(\d+) requests in", output, re.M)
    bad = re.search(r"^\s+Non-2xx or 3xx responses:\s+(\d+)", output, re.M)
    errors = re.search(r"^\s+Socket errors:.*", output, re.M)
    return {"rps": float(rps.group(1)), "p50": _to_ms(p50.group(1)), "p99": _to_ms(p99.group(1)),
            "requests": int(total.group(1)) if total else 0,
            "non2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(0).strip() if errors else ""}


def run_wrk(url: str, cookie: str, *, duration: int, connections: int) -> dict:
    command = ["taskset", "-c", LOAD_CORE, "wrk", "-t1", f"-c{connections}", f"-d{duration}s",
               "--latency", "-H", f"Cookie: {COOKIE_NAME}={cookie}", url]
    result = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    if result.returncode != 0:
        raise BenchError(f"wrk failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return parse_wrk(result.stdout)


# --- report ---------------------------------------------------------------------------------

def spread(values: list[float]) -> str:
    low, high, mid = min(values), max(values), statistics.median(values)
    pct = (high - low) / mid * 100 if mid else 0.0
    return f"{low:.0f}–{high:.0f} (±{pct / 2:.1f}%)" if high >= 100 else \
        f"{low:.2f}–{high:.2f} (±{pct / 2:.1f}%)"


def print_table(results: list[tuple[dict, dict]]) -> None:
    header = (f"{'run':>4} | {'healthz rps':>11} {'p50 ms':>7} {'p99 ms':>7} | "
              f"{'thread rps':>10} {'p50 ms':>7} {'p99 ms':>7} | {'thread/healthz':>14}")
    print(header)
    print("-" * len(header))
    for index, (ref, page) in enumerate(results, 1):
        print(f"{index:>4} | {ref['rps']:>11.1f} {ref['p50']:>7.2f} {ref['p99']:>7.2f} | "
              f"{page['rps']:>10.1f} {page['p50']:>7.2f} {page['p99']:>7.2f} | "
              f"{page['rps'] / ref['rps']:>14.3f}")
    print("-" * len(header))
    if len(results) > 1:
        refs, pages = [r for r, _ in results], [p for _, p in results]
        ratios = [p["rps"] / r["rps"] for r, p in results]
        print("spread across runs: min–max (± half the range, relative to the median)")
        print(f"  healthz rps     {spread([r['rps'] for r in refs])}")
        print(f"  healthz p50 ms  {spread([r['p50'] for r in refs])}")
        print(f"  healthz p99 ms  {spread([r['p99'] for r in refs])}")
        print(f"  thread rps      {spread([p['rps'] for p in pages])}")
        print(f"  thread p50 ms   {spread([p['p50'] for p in pages])}")
        print(f"  thread p99 ms   {spread([p['p99'] for p in pages])}")
        print(f"  thread/healthz  {min(ratios):.3f}–{max(ratios):.3f} "
              f"(median {statistics.median(ratios):.3f})")
    problems = [f"run {i}: {name} had {res['non2xx']} non-2xx/3xx responses"
                for i, pair in enumerate(results, 1) for name, res in zip(("healthz", "thread"), pair)
                if res["non2xx"]]
    problems += [f"run {i}: {name}: {res['socket_errors']}"
                 for i, pair in enumerate(results, 1) for name, res in zip(("healthz", "thread"), pair)
                 if res["socket_errors"]]
    for problem in problems:
        print("WARNING", problem)


# --- main -----------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="pairs of wrk runs (default 3)")
    parser.add_argument("--duration", type=int, default=10,
                        help="seconds per wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=8,
                        help="wrk connections (default 8)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder (database, server log) and print it")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.duration < 1 or args.connections < 1:
        parser.error("--runs, --duration and --connections must be at least 1")

    server = None
    folder = Path(tempfile.mkdtemp(prefix="kring-bench-"))
    try:
        preflight()
        instance = folder / "instance"
        instance.mkdir()
        # config.py reads the instance folder at import time: keep the repository's own clean.
        os.environ["KRING_INSTANCE_PATH"] = str(instance)
        database_url = f"sqlite:///{folder / 'kring.sqlite3'}"
        print(f"Seeding {database_url} (migrations + services) ...", flush=True)
        started = time.monotonic()
        seeded = seed(database_url)
        print(f"  1 space, {MEMBERS} members, 1 thread of {POSTS} posts, "
              f"{seeded['reactions']} reactions ({time.monotonic() - started:.1f} s)")

        port = free_port()
        server = Server(database_url=database_url, instance=instance, port=port,
                        log=folder / "server.log")
        server.wait_ready()
        print(f"Server: taskset -c {SERVER_CORE} python wsgi.py on {server.base} "
              f"(KRING_THREADS=4, pid {server.process.pid})")

        cookie = log_in(server.base, READER_EMAIL, PASSWORD)
        thread_url = server.base + seeded["thread_path"]
        size = check_thread_page(thread_url, cookie, seeded["last_marker"])
        print(f"Checked: {seeded['thread_path']} answers 200 with post {POSTS} "
              f"({size / 1024:.0f} KiB) for the logged-in member")
        print(f"Load: taskset -c {LOAD_CORE} wrk -t1 -c{args.connections} -d{args.duration}s "
              f"--latency, cookie sent on both URLs; {args.runs} runs of (healthz, thread)\n",
              flush=True)

        results = []
        for run in range(1, args.runs + 1):
            reference = run_wrk(server.base + "/healthz", cookie, duration=args.duration,
                                connections=args.connections)
            page = run_wrk(thread_url, cookie, duration=args.duration,
                           connections=args.connections)
            print(f"  run {run}/{args.runs}: healthz {reference['rps']:.0f} rps, "
                  f"thread {page['rps']:.0f} rps", flush=True)
            results.append((reference, page))
        if server.process.poll() is not None:
            raise BenchError("the server died during the benchmark:\n" + server.tail())
        print()
        print_table(results)
        return 0
    except BenchError as exc:
        print(f"\nbench/thread_page.py: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        if server is not None:
            server.stop()
        if args.keep:
            print(f"\nKept {folder} (database kring.sqlite3, server.log)")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
