#!/usr/bin/env python3
"""`make bench`: Kring's main pages under load, served by the real server, beside a minimal
one-query reference page in the same run.

Seeds a SQLite database (real migrations and services; bench/seed.py), starts
`python wsgi.py` (waitress, 127.0.0.1, KRING_THREADS=4) and bench/reference_app.py pinned to
one core, and loads them with wrk pinned to the other: the reference page, the thread page
(logged in), the space home, the library, /notifications and posting a reply. Prints
requests/s, p50/p90/p99, errors, SQL statements per request, server RSS and each page as a
percentage of the reference, per run and as min–max (median) over the runs; writes JSON to
bench/results/. See bench/README.md.

Usage: .venv/bin/python bench/run.py [--runs 3] [--duration 10] [--connections 16] [--smoke]"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGETS = ("reference", "reference-kept", "thread", "home", "library", "notifications", "reply")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="rounds over all pages (3)")
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk run (10)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of warm-up per page (3)")
    parser.add_argument("--smoke", action="store_true",
                        help="a few seconds in all: one run of 1 s per page, no warm-up (CI)")
    parser.add_argument("--only", default="", help="comma-separated pages to load (all)")
    parser.add_argument("--kring-root", default="",
                        help="measure another Kring checkout (e.g. `git archive` of a commit)")
    parser.add_argument("--results", default=str(HERE / "results"),
                        help="folder for the JSON (bench/results)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--no-install", action="store_true", help="never apt-get install wrk")
    args = parser.parse_args(argv)
    if args.smoke:
        # Few connections: on a busy CI machine 16 would queue requests past wrk's 2 s timeout.
        args.runs, args.duration, args.warmup = 1, 1, 0
        args.connections = min(args.connections, 4)
    if args.runs < 1 or args.duration <= 0 or args.connections < 1:
        parser.error("--runs, --duration and --connections must be positive")
    return args


def spread(values: list[float], digits: int = 0) -> str:
    return (f"{min(values):.{digits}f}–{max(values):.{digits}f} "
            f"(median {statistics.median(values):.{digits}f})")


def report(results: dict, statements: dict, rss: dict, gc_info: dict | None) -> list[str]:
    """The table: per page the median and spread over runs, and % of the reference."""
    lines = [f"{'page':<14} {'req/s (min–max, median)':>30} {'% of ref':>9} {'% of kept':>9} "
             f"{'p50 ms':>7} "
             f"{'p90 ms':>7} {'p99 ms':>7} {'errors':>6} {'SQL/req':>7}"]
    lines.append("-" * len(lines[0]))
    def share(rps: list[float], of: str) -> str:
        reference = [run["rps"] for run in results.get(of, [])]
        if not reference:
            return ""
        return f"{statistics.median(r / ref * 100 for r, ref in zip(rps, reference)):.0f}%"

    for page, runs in results.items():
        rps = [run["rps"] for run in runs]
        of_ref = share(rps, "reference") if page != "reference" else ""
        of_kept = share(rps, "reference-kept") if not page.startswith("reference") else ""
        median = {key: statistics.median(run[key] for run in runs) for key in ("p50", "p90", "p99")}
        lines.append(f"{page:<14} {spread(rps):>30} {of_ref:>9} {of_kept:>9} {median['p50']:>7.1f} "
                     f"{median['p90']:>7.1f} {median['p99']:>7.1f} "
                     f"{sum(run['errors'] for run in runs):>6} "
                     f"{statements.get(page, ''):>7}")
    lines.append("-" * len(lines[0]))
    lines.append("% of ref: median over runs of (page req/s ÷ reference req/s in the same run); "
                 "p50/p90/p99: medians over runs")
    lines.append("reference: the issue's one-query page (its template compiled per request, as "
                 "render_template_string does); reference-kept: the same page with its template "
                 "compiled once")
    lines.append(f"server RSS after the load: Kring {rss.get('kring', 0):.0f} MiB, "
                 f"reference {rss.get('reference', 0):.0f} MiB")
    if gc_info:
        lines.append(f"GC over {gc_info['requests']} thread pages in-process: "
                     f"{gc_info['collections']} collections ({gc_info['full_collections']} full), "
                     f"longest {gc_info['max_ms']} ms CPU (generation {gc_info['max_generation']}), "
                     f"{gc_info['total_ms_per_request']} ms per request "
                     f"(page {gc_info['cpu_ms_per_request']} ms in-process)")
    return lines


def measure(args, folder: Path) -> dict:
    from inprocess import gc_pauses, statements_per_request
    from loads import run_wrk
    from processes import (BenchError, cores, ensure_wrk, fetch, free_port, kring_server,
                           log_in, reference_server, csrf_in)
    from seed import POSTS, seed

    ensure_wrk(install=not args.no_install)
    server_core, load_core = cores()
    instance = folder / "instance"
    instance.mkdir()
    os.environ["KRING_INSTANCE_PATH"] = str(instance)  # config.py reads it at import
    database_url = f"sqlite:///{folder / 'kring.sqlite3'}"
    print(f"Seeding {database_url} ...", flush=True)
    started = time.monotonic()
    seeded = seed(database_url)
    print(f"  done in {time.monotonic() - started:.1f} s", flush=True)
    statements = statements_per_request(database_url, seeded)
    gc_info = gc_pauses(database_url, seeded, requests=40 if args.smoke else 200)

    servers = []
    try:
        kring = kring_server(database_url=database_url, instance=instance, port=free_port(),
                             log=folder / "kring.log", core=server_core)
        servers.append(kring)
        reference = reference_server(database_url=database_url, thread_id=seeded["thread_id"],
                                     port=free_port(), log=folder / "reference.log",
                                     core=server_core)
        servers.append(reference)
        kring.wait_ready()
        reference.wait_ready()
        where = f"taskset -c {server_core}" if server_core else "not pinned (taskset or 2 cores missing)"
        print(f"Servers: {where}; wrk: -c{args.connections} "
              f"{'taskset -c ' + load_core if load_core else ''}", flush=True)
        reader = log_in(kring.base, seeded["reader"], seeded["password"])
        status, page, _ = fetch(kring.base + seeded["thread"], reader)
        if status != 200 or f'id="p{POSTS}"' not in page or seeded["last_marker"] not in page:
            raise BenchError(f"the thread page answered {status} without post {POSTS}: the "
                             "benchmark would measure the wrong page")
        poster = log_in(kring.base, seeded["poster"], seeded["password"])
        status, page, poster = fetch(kring.base + seeded["reply_thread"], poster)
        post = {"csrf": csrf_in(page, seeded["reply_thread"]),
                "path": seeded["reply_thread"] + "/reply"}
        urls = {"reference": reference.base + "/thread",
                "reference-kept": reference.base + "/thread-kept",
                **{name: kring.base + seeded[name]
                   for name in ("thread", "home", "library", "notifications")},
                "reply": kring.base + seeded["reply_thread"] + "/reply"}
        chosen = [t for t in TARGETS if not args.only or t in args.only.split(",")]

        def load(name: str, duration: float) -> dict:
            return run_wrk(urls[name], cookie=poster if name == "reply" else reader,
                           duration=duration, connections=args.connections, core=load_core,
                           post=post if name == "reply" else None)

        if args.warmup:
            for name in chosen:
                load(name, args.warmup)
        results: dict[str, list[dict]] = {name: [] for name in chosen}
        for run in range(1, args.runs + 1):
            for name in chosen:
                results[name].append(load(name, args.duration))
            print(f"  run {run}/{args.runs}: " + ", ".join(
                f"{name} {results[name][-1]['rps']:.0f}/s" for name in chosen), flush=True)
        rss = {"kring": kring.rss_mib(), "reference": reference.rss_mib()}
        locked = "database is locked" in kring.log_path.read_text(errors="replace")
        for server in servers:
            if server.process.poll() is not None:
                raise BenchError("a server died during the benchmark:\n" + server.tail())
    finally:
        for server in servers:
            server.stop()
    return {"results": results, "statements": statements, "rss_mib": rss, "gc": gc_info,
            "database_locked": locked, "cores": [server_core, load_core],
            "connections": args.connections, "duration": args.duration, "runs": args.runs}


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.kring_root:
        os.environ["BENCH_KRING_ROOT"] = str(Path(args.kring_root).resolve())
    sys.path.insert(0, str(HERE))
    from processes import BenchError

    folder = Path(tempfile.mkdtemp(prefix="kring-bench-"))
    try:
        measured = measure(args, folder)
    except BenchError as exc:
        print(f"\nbench/run.py: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        if args.keep:
            print(f"Kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    lines = report(measured["results"], measured["statements"], measured["rss_mib"],
                   measured["gc"])
    print()
    print("\n".join(lines))
    if measured["database_locked"]:
        print("WARNING: the server logged 'database is locked'")
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out = Path(args.results) / f"{stamp}{'-smoke' if args.smoke else ''}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"when": stamp, "kring_root": os.environ.get("BENCH_KRING_ROOT", ""),
                               **measured}, indent=1))
    print(f"JSON: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
