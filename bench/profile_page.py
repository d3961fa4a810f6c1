#!/usr/bin/env python3
"""Where one page's time goes, in-process: seeds the benchmark's database (bench/seed.py),
serves the page `--requests` times through Flask's test client under cProfile and prints the
functions by own and cumulative time. No server, no wrk: for finding work, not for figures.

Usage: .venv/bin/python bench/profile_page.py [--page thread|home|library|notifications]
       [--requests 200] [--sort tottime|cumulative] [--top 40]"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", default="thread")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    folder = Path(tempfile.mkdtemp(prefix="kring-profile-"))
    os.environ["KRING_INSTANCE_PATH"] = str(folder)
    from inprocess import _app_and_client
    from seed import seed

    database_url = f"sqlite:///{folder / 'kring.sqlite3'}"
    seeded = seed(database_url, progress=lambda *a: None)
    _app, client, _engine = _app_and_client(database_url, seeded["reader_id"])
    path = seeded[args.page]
    for _ in range(20):
        assert client.get(path).status_code == 200
    began = time.perf_counter()
    for _ in range(args.requests):
        client.get(path)
    plain = (time.perf_counter() - began) * 1000 / args.requests
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.requests):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())
    print(f"{args.page}: {plain:.2f} ms per request in-process without the profiler")
    return 0


if __name__ == "__main__":
    sys.exit(main())
