#!/usr/bin/env python3
"""Benchmark: searching one space among many, in-process (the search statement itself, the
way /s/<slug>/search runs it), on a throwaway SQLite file or a throwaway PostgreSQL cluster.

It creates the spaces and their members through the real services, then inserts threads and
short posts in bulk (the index triggers fill the search index as they would on posting),
and times a rare word, a common word, two words, page 5 and a three-letter prefix, each the
median of --repeat runs, with the query plans of the rare word and the prefix.

Usage: .venv/bin/python bench/search.py [--backend sqlite|postgresql] [--posts 100000]
       [--spaces 50] [--repeat 20]"""
from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SYLLABLES = ["ge", "ver", "be", "fiets", "geld", "huis", "werk", "kind", "school", "hulp",
             "zorg", "tijd", "dag", "week", "praat", "schuld", "bank", "brief", "moe", "blij",
             "lopen", "zien", "doen", "gaan", "eten", "slaap", "rust", "vriend", "ouder", "baan"]
COMMON = ["ik", "het", "was", "vandaag", "weer", "moeilijk", "goed", "groep", "gesprek"]


def vocabulary(size: int, rng: random.Random) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))))
    return sorted(words)


def seed(app, posts: int, spaces: int, rng: random.Random) -> tuple[int, str]:
    """Spaces with a facilitator each; posts spread over threads of 50 in every space.
    Returns the id and slug of the space to search (the first)."""
    from sqlalchemy import insert, text

    from app.extensions import db
    from app.forum.models import Post, Thread
    from tests.conftest import World

    world = World(app)
    made = [world.space() for _ in range(spaces)]
    with app.app_context():
        ids = [(world.space_obj(slug).id, lead.membership_id) for slug, lead in made]
        words = vocabulary(5000, rng)
        per_space = posts // spaces
        started, done = time.perf_counter(), 0
        for space_id, author in ids:
            threads = db.session.execute(insert(Thread).returning(Thread.id), [
                {"space_id": space_id, "title": f"Gesprek {n}", "author_id": author,
                 "post_count": 50} for n in range(-(-per_space // 50))]).scalars().all()
            batch = []
            for n in range(per_space):
                body = " ".join([rng.choice(COMMON)] + rng.sample(words, 10))
                if n % 1000 == 0:
                    body += " zeldzaamheid"
                batch.append({"space_id": space_id, "thread_id": threads[n // 50],
                              "number": n % 50 + 1, "author_id": author, "body": body,
                              "body_html": ""})
            db.session.execute(insert(Post), batch)
            db.session.commit()
            done += per_space
            rate = done / (time.perf_counter() - started)
            print(f"\r  seeded {done:,} posts ({rate:,.0f}/s)", end="", flush=True)
        print()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
    return ids[0][0], made[0][0]


def timed(app, space_id: int, terms: list[str], page: int, repeat: int) -> tuple[float, int]:
    from app.extensions import db
    from app.search.queries import search_statement
    from app.spaces.models import Space

    with app.app_context():
        space = db.session.get(Space, space_id)
        times, rows = [], 0
        for _ in range(repeat):
            started = time.perf_counter()
            rows = len(db.session.execute(search_statement(space, terms, page)).all())
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times), rows


def plan(app, space_id: int, terms: list[str]) -> str:
    from app.extensions import db
    from app.search.queries import search_statement
    from app.spaces.models import Space

    with app.app_context():
        compiled = search_statement(db.session.get(Space, space_id), terms, 1).compile(db.engine)
        connection = db.session.connection()
        if db.engine.dialect.name == "postgresql":
            return "\n".join(r[0] for r in connection.exec_driver_sql(
                "EXPLAIN (ANALYZE, BUFFERS) " + compiled.string, compiled.params))
        params = tuple(compiled.params[name] for name in compiled.positiontup)
        return "\n".join(r[-1] for r in connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + compiled.string, params))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--spaces", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    from app import create_app
    from app.extensions import db

    folder = Path(tempfile.mkdtemp(prefix="kring-search-"))
    cluster = None
    if args.backend == "postgresql":
        from tests.pg import Cluster, find_bindir

        cluster = Cluster(find_bindir())
        cluster.start()
        url = cluster.create_database("kring_bench")
    else:
        url = f"sqlite:///{folder / 'kring.db'}"
    try:
        app = create_app("test", DATABASE_URL=url, UPLOAD_FOLDER=str(folder / "uploads"))
        with app.app_context():
            db.create_all()
        print(f"{args.backend}: {args.posts:,} posts in {args.spaces} spaces")
        space_id, _slug = seed(app, args.posts, args.spaces, random.Random(12))
        cases = {"rare word": (["zeldzaamheid"], 1), "common word": (["vandaag"], 1),
                 "two words": (["geld", "werk"], 1), "common word, page 5": (["vandaag"], 5),
                 "prefix": (["fie"], 1)}
        for name, (terms, page) in cases.items():
            median, rows = timed(app, space_id, terms, page, args.repeat)
            print(f"  {name:22} {median:8.2f} ms median of {args.repeat} ({rows} rows)")
        for name in ("rare word", "prefix"):
            print(f"plan of the {name}:\n{plan(app, space_id, cases[name][0])}")
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)  # a 1 M-post SQLite file is ~0.5 GB


if __name__ == "__main__":
    main()
