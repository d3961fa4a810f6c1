#!/usr/bin/env python3
"""A large Kring database for benchmarks: by default 500 spaces, 20,000 members and about
1,000,000 posts, with one space ("groot") holding 20,000 conversations, one of 5,000 posts,
a reader with 400,000 notifications, reactions on a third of all posts and a library.

The real services write one of everything first (a space with its agreement, members, a
conversation, a reply, a reaction, a notification, a library item); every other row is a copy
of those rows with its own ids, names, texts and times, written in bulk (executemany on
SQLite, COPY on PostgreSQL): the same columns the services fill, one password hash for all.
Smaller sizes keep the shape, scaled (bench/scale.py seeds 10,000 posts next to 1,000,000).

Usage: .venv/bin/python bench/seed_large.py DATABASE_URL [--posts N] [--members N]
       [--spaces N] [--quiet]   (the CLI migrates the database first; seed() expects that)
Import: from bench.seed_large import seed; info = seed(url, posts=10_000, members=200, spaces=5)
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.forum.models import POSTS_PER_PAGE  # noqa: E402
from bench.bulk import Progress, writer_for  # noqa: E402
from bench.seed_rows import BODIES, BulkRows  # noqa: E402

PASSWORD = "bench-password-123"
READER_EMAIL = "lezer@example.org"
LEAD_EMAIL = "begeleider@example.org"
SLUG = "groot"


def shape(posts: int, members: int, spaces: int) -> dict:
    """How many of everything, scaled from the full size (1 M posts) down."""
    big_members = min(200, max(8, members // 100))
    return {
        "long": min(5000, max(100, posts // 20)),  # the long conversation's posts
        "normal": 50,  # one page, the thread page benchmark's
        "big_threads": min(20_000, max(10, posts // 50)),  # conversations in "groot"
        "big_posts_each": 5,
        "notifications": min(400_000, posts * 2 // 5),  # the reader's
        "library": min(2000, max(20, posts // 500)),  # items in "groot"'s library
        "big_members": big_members,
        "members_each": max(4, (members - big_members) // max(1, spaces - 1)),
    }


def _worksheet():
    """A one-page PDF as a browser would send it: the file attached to the template reply
    (the copies are rows only; their files are not on disk, which no page reads)."""
    import io

    from PIL import Image
    from werkzeug.datastructures import FileStorage

    out = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 30, 30)).save(out, "PDF")
    return FileStorage(stream=io.BytesIO(out.getvalue()), filename="werkblad.pdf")


def _services(app) -> dict:
    """One of everything through the real services; returns the ids of the rows to copy."""
    from app.accounts import service as accounts
    from app.accounts.models import User
    from app.extensions import db
    from app.forum import service as forum
    from app.forum.models import Post, Thread
    from app.library import service as library
    from app.notify.models import Notification
    from app.spaces import invitations, service as spaces_service
    from app.spaces.models import AgreementAcceptance, Space
    from app.spaces.queries import load_actor

    with app.app_context():
        def actor(user_id):
            return load_actor(db.session.get(User, user_id))
        operator = accounts.make_operator(email="beheer@example.org", password=PASSWORD)
        space, token = spaces_service.create_space(
            actor(operator.id), name="Grip op je geld", slug=SLUG, theme="Geld",
            description="Een groep over grip op je geldzaken.", renter="Welzijn Bench",
            rental_start=date.today(), rental_end=date.today() + timedelta(days=365),
            seat_limit=1000, facilitator_email=LEAD_EMAIL)
        space_id = space.id
        lead, lead_m = invitations.accept_invitation(None, token=token, display_name="Marieke",
                                                     accepts_agreement=True, password=PASSWORD)
        _inv, raw = invitations.invite(actor(lead.id), db.session.get(Space, space_id),
                                       email=READER_EMAIL, role="member")
        reader, reader_m = invitations.accept_invitation(
            None, token=raw, display_name="Lezer", accepts_agreement=True, password=PASSWORD)
        ids = {"space": space_id, "lead_user": lead.id, "lead": lead_m.id,
               "reader_user": reader.id, "reader": reader_m.id}
        thread = forum.start_thread(actor(lead.id), db.session.get(Space, space_id),
                                    kind="discussion", title="Welkom", body=BODIES[0])
        post = forum.reply(actor(reader.id), db.session.get(Thread, thread.id), body=BODIES[1],
                           files=[_worksheet()])
        forum.set_reaction(actor(lead.id), db.session.get(Post, post.id), kind="support", on=True)
        item = library.add_item(actor(lead.id), db.session.get(Space, space_id), kind="link",
                                file=None, title="Budgetcoach", url="https://example.org/budget",
                                category="tips", from_leads=True)
        scalar = db.session.scalar
        ids.update(
            thread=thread.id, post=post.id, library=item.id,
            agreement=scalar(db.select(AgreementAcceptance.agreement_id).where(
                AgreementAcceptance.membership_id == reader_m.id)),
            acceptance=scalar(db.select(AgreementAcceptance.id).where(
                AgreementAcceptance.membership_id == reader_m.id)),
            notification=scalar(db.select(Notification.id).where(
                Notification.user_id == lead.id, Notification.post_id == post.id)),
            reaction=scalar(db.text("SELECT id FROM reactions WHERE post_id = :p"), {"p": post.id}),
            upload=scalar(db.text("SELECT id FROM uploads WHERE post_id = :p"), {"p": post.id}),
            read_state=scalar(db.text("SELECT id FROM read_states WHERE membership_id = :m"),
                              {"m": reader_m.id}))
        db.session.remove()
    return ids


def _write(w, ids: dict, size: dict, posts: int, spaces: int) -> dict:
    """Everything else, in bulk. Returns the ids the benchmarks address."""
    bulk = BulkRows(w, ids, size)
    bulk.conversations(bulk.people(spaces), posts)
    reactions, notifications, files = bulk.reactions(), bulk.reader(), bulk.uploads()
    bulk.library()
    return {"slug": SLUG, "long_thread": bulk.thread0,
            "long_pages": -(-size["long"] // POSTS_PER_PAGE), "normal_thread": bulk.thread0 + 1,
            "reader_email": READER_EMAIL, "password": PASSWORD, "posts": bulk.posts + 2,
            "threads": len(bulk.specs) + 1, "reactions": reactions, "files": files,
            "notifications": notifications}


def seed(database_url: str, *, posts: int = 1_000_000, members: int = 20_000,
         spaces: int = 500, progress: bool = True) -> dict:
    """Fill a database already migrated (flask db upgrade) and empty. Returns what a
    benchmark needs to address it: slug, thread ids, the reader's login, counts, seconds."""
    from app import create_app
    from app.extensions import db

    started = time.monotonic()
    uploads = tempfile.mkdtemp(prefix="kring-seed-uploads-")  # the template's one file
    app = create_app("default", DATABASE_URL=database_url, UPLOAD_FOLDER=uploads)
    ids = _services(app)
    shutil.rmtree(uploads, ignore_errors=True)
    with app.app_context():
        raw = db.engine.raw_connection()
        connection = raw.driver_connection
        w = writer_for(connection, db.engine.dialect.name, Progress(progress))
        try:
            info = _write(w, ids, shape(posts, members, spaces), posts, spaces)
            w.finish()
        finally:
            raw.close()
            db.engine.dispose()
    info["seconds"] = round(time.monotonic() - started, 1)
    return info


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--spaces", type=int, default=500)
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    with create_app("default", DATABASE_URL=args.database_url).app_context():
        upgrade()
        db.engine.dispose()
    info = seed(args.database_url, posts=args.posts, members=args.members, spaces=args.spaces,
                progress=not args.quiet)
    print(info)
    return 0


if __name__ == "__main__":
    sys.exit(main())
