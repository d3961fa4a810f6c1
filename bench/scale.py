#!/usr/bin/env python3
"""Benchmark: does data size matter? The same pages on a database of 10,000 posts and one of
1,000,000 (bench/seed_large.py, same shape), served side by side by the real server.

What it does, per database kind (SQLite, and PostgreSQL where its binaries are installed):
  1. migrates two fresh databases and seeds them (small and large), timing each seed;
  2. starts `python wsgi.py` (waitress, KRING_THREADS=4) on each, pinned to core 0, and
     logs the reader in on both;
  3. for each page, checks it answers 200, warms it up, then runs wrk (pinned to core 1)
     against the small and the large server in turn, --runs times (interleaved, so a noisy
     neighbour hits both alike);
  4. then sends --sequential requests one at a time, small and large in turn, for a p50
     that a noisy neighbour disturbs less than requests/s;
  5. prints requests/s and p50 per page and size, the ratio small/large requests/s (how
     many times slower the page is at 1 M posts; the target is at most 1.2) and the ratio of
     the sequential p50s.

Usage: .venv/bin/python bench/scale.py [--backends sqlite,postgresql] [--runs 3]
       [--duration 5] [--connections 4] [--large-posts 1000000] [--workdir DIR]
With --workdir, seeded SQLite files are kept there and reused by later runs.
See bench/README.md for how to read the numbers."""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loads import run_wrk  # noqa: E402
from bench.processes import (  # noqa: E402
    COOKIE_NAME, BenchError, _NoRedirect, cores, ensure_wrk, free_port, kring_server, log_in,
)

SMALL = {"posts": 10_000, "members": 200, "spaces": 5}
LARGE = {"posts": 1_000_000, "members": 20_000, "spaces": 500}


def pages(info: dict) -> dict[str, str]:
    slug = info["slug"]
    return {
        "thread page": f"/s/{slug}/t/{info['normal_thread']}?page=1",
        "long thread, last page": f"/s/{slug}/t/{info['long_thread']}?page={info['long_pages']}",
        "space home": f"/s/{slug}/",
        "library": f"/s/{slug}/library",
        "notifications": "/notifications",
    }


def prepare(url: str, size: dict, cache: Path | None) -> dict:
    """Migrate and seed `url` (or reuse the seed recorded next to a kept SQLite file)."""
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from bench.seed_large import seed

    if cache is not None and cache.exists():
        return json.loads(cache.read_text())
    with create_app("default", DATABASE_URL=url).app_context():
        upgrade()
        db.engine.dispose()
    print(f"seeding {size['posts']:,} posts into {url.split('@')[-1]}", file=sys.stderr)
    info = seed(url, **size)
    if cache is not None:
        cache.write_text(json.dumps(info))
    return info


def fetch(url: str, cookie: str) -> tuple[int, int]:
    request = urllib.request.Request(url, headers={"Cookie": f"{COOKIE_NAME}={cookie}"})
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=60) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, 0


def sequential(targets: dict[str, tuple[str, str]], count: int) -> dict[str, float]:
    """p50 in ms of `count` requests one at a time, small and large in turn: a second figure,
    steadier than requests/s on a machine shared with others (a busy moment hits both)."""
    times: dict[str, list[float]] = {name: [] for name in targets}
    for _ in range(count):
        for name, (url, cookie) in targets.items():
            started = time.perf_counter()
            fetch(url, cookie)
            times[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def databases(backend: str, workdir: Path, cluster) -> dict[str, str]:
    if backend == "sqlite":
        return {name: f"sqlite:///{workdir / f'kring-{name}.db'}" for name in ("small", "large")}
    return {name: cluster.create_database(f"kring_scale_{name}") for name in ("small", "large")}


def measure(backend: str, args, workdir: Path, cluster=None) -> dict:
    urls = databases(backend, workdir, cluster)
    seeds, servers = {}, {}
    for name, size in (("small", args.small), ("large", args.large)):
        keep = workdir / f"kring-{name}.json" if backend == "sqlite" and args.workdir else None
        started = time.monotonic()
        seeds[name] = prepare(urls[name], size, keep)
        seeds[name]["prepare_s"] = round(time.monotonic() - started, 1)
    server_core, load_core = cores()
    try:
        cookies = {}
        for name in ("small", "large"):
            instance = workdir / f"instance-{backend}-{name}"
            instance.mkdir(exist_ok=True)
            servers[name] = kring_server(database_url=urls[name], instance=instance,
                                         port=free_port(), core=server_core,
                                         log=workdir / f"server-{backend}-{name}.log")
        for name, server in servers.items():
            server.wait_ready(60)
            cookies[name] = log_in(server.base, seeds[name]["reader_email"],
                                   seeds[name]["password"])
        results: dict[str, dict[str, list[dict]]] = {}
        for page in pages(seeds["small"]):
            for name, server in servers.items():
                url = server.base + pages(seeds[name])[page]
                for _ in range(3):  # warm-up; the first visit may write a read position
                    status, length = fetch(url, cookies[name])
                if status != 200:
                    raise BenchError(f"{page} ({name}) answered {status}: {url}\n" + server.tail())
                results.setdefault(page, {}).setdefault(name, [])
                results[page][name + "_bytes"] = length
            for _ in range(args.runs):
                for name, server in servers.items():
                    url = server.base + pages(seeds[name])[page]
                    results[page][name].append(run_wrk(
                        url, cookie=cookies[name], duration=args.duration,
                        connections=args.connections, core=load_core))
            results[page]["sequential"] = sequential(
                {name: (server.base + pages(seeds[name])[page], cookies[name])
                 for name, server in servers.items()}, args.sequential)
        return {"seeds": seeds, "results": results}
    finally:
        for server in servers.values():
            try:
                server.stop()
            except subprocess.TimeoutExpired:  # never hide the error that brought us here
                print(f"warning: server {server.process.pid} did not stop", file=sys.stderr)


def report(backend: str, outcome: dict) -> None:
    seeds = outcome["seeds"]
    print(f"\n{backend}: small {seeds['small']['posts']:,} posts (seeded in "
          f"{seeds['small']['seconds']} s), large {seeds['large']['posts']:,} posts (seeded in "
          f"{seeds['large']['seconds']} s)")
    header = (f"{'page':<24} | {'small rps':>9} {'p50 ms':>7} {'KB':>5} | {'large rps':>9} "
              f"{'p50 ms':>7} {'KB':>5} | {'small/large':>11} | {'seq p50 ms':>13} {'ratio':>5}")
    print(header)
    print("-" * len(header))
    for page, by_size in outcome["results"].items():
        small = statistics.median(r["rps"] for r in by_size["small"])
        large = statistics.median(r["rps"] for r in by_size["large"])
        p50s = statistics.median(r["p50"] for r in by_size["small"])
        p50l = statistics.median(r["p50"] for r in by_size["large"])
        seq = by_size["sequential"]
        flag = "" if small / large <= 1.2 and seq["large"] / seq["small"] <= 1.2 else "  > 1.2"
        print(f"{page:<24} | {small:>9.1f} {p50s:>7.2f} {by_size['small_bytes'] // 1024:>5} | "
              f"{large:>9.1f} {p50l:>7.2f} {by_size['large_bytes'] // 1024:>5} | "
              f"{small / large:>11.2f} | {seq['small']:>6.1f} {seq['large']:>6.1f} "
              f"{seq['large'] / seq['small']:>5.2f}{flag}")
        errors = [r for size in ("small", "large") for r in by_size[size]
                  if r["non2xx"] or r["socket_errors"]]
        for r in errors:
            print(f"    WARNING {page}: {r['non2xx']} non-2xx, {r['socket_errors']}")
    print("(median of the runs; small/large = how many times fewer requests/s at the large "
          "size; seq p50 = one request at a time, small then large, and large/small)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--sequential", type=int, default=100,
                        help="requests one at a time per page and size (default 100)")
    parser.add_argument("--large-posts", type=int, default=LARGE["posts"])
    parser.add_argument("--workdir", help="keep (and reuse) the SQLite databases here")
    args = parser.parse_args(argv)
    args.small = dict(SMALL)
    scale = args.large_posts / LARGE["posts"]
    args.large = {"posts": args.large_posts, "members": max(200, int(LARGE["members"] * scale)),
                  "spaces": max(5, int(LARGE["spaces"] * scale))}
    try:
        ensure_wrk()
        workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="kring-scale-"))
        workdir.mkdir(parents=True, exist_ok=True)
        outcomes = {}
        for backend in args.backends.split(","):
            if backend == "postgresql":
                from tests.pg import Cluster, find_bindir

                bindir = find_bindir()
                if bindir is None:
                    print("PostgreSQL binaries not found: skipping postgresql", file=sys.stderr)
                    continue
                cluster = Cluster(bindir)
                cluster.start()
                try:
                    outcomes[backend] = measure(backend, args, workdir, cluster)
                finally:
                    cluster.stop()
            else:
                outcomes[backend] = measure(backend, args, workdir)
            report(backend, outcomes[backend])
        results = ROOT / "bench" / "results"
        results.mkdir(exist_ok=True)
        out = results / f"scale-{time.strftime('%Y%m%d-%H%M%S')}.json"
        out.write_text(json.dumps(outcomes, indent=1))
        print(f"\nwritten to {out.relative_to(ROOT)}")
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
