"""Seeds the benchmark's SQLite database through the real migrations and services: one space,
8 members, a statement thread of 50 posts of about 400 characters (a poll, reactions,
attachments), a second thread to post replies into, library material, notifications."""
from __future__ import annotations

import io
import logging
import os
import struct
import sys
import zlib
from datetime import date, timedelta
from pathlib import Path

# The Kring checkout measured: this one, or another one named by run.py --kring-root.
ROOT = Path(os.environ.get("BENCH_KRING_ROOT") or Path(__file__).resolve().parent.parent)
POSTS = 50
MEMBERS = 8  # the facilitator included
PASSWORD = "bench-password-123"
READER_EMAIL = "lezer@example.org"  # reads the pages
POSTER_EMAIL = "schrijver@example.org"  # posts the replies (keeps the reader's pages still)
SLUG = "bench"
LIBRARY_ITEMS = 12

SENTENCES = [
    "Ik heb deze week eindelijk mijn **post** gesorteerd in drie stapels: betalen, bewaren, weg.",
    "Bij mij helpt het om elke zondag tien minuten te kijken wat er binnenkwam.",
    "Mag ik vragen hoe jullie met *aanmaningen* omgaan? Ik schrik er altijd zo van.",
    "Bellen helpt, ze denken vaak mee over een regeling als je op tijd bent.",
    "Tip van de schuldhulpverlening: zet de vaste lasten op een lijstje op de koelkast.",
    "Dank jullie wel, ik ga het proberen en vertel volgende week hoe het ging.",
    "- rekeningen\n- brieven van de gemeente\n- de rest",
    "> Ik schrik er altijd zo van.\n\nDat had ik ook, het werd minder toen ik het opschreef.",
]


def body_of(number: int, length: int = 400) -> str:
    """About `length` characters of Markdown, different per post."""
    parts, index = [], number
    while sum(len(p) + 2 for p in parts) < length:
        parts.append(SENTENCES[index % len(SENTENCES)])
        index += 3
    return "\n\n".join(parts) + f"\n\n(bericht {number})"


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + b"\x10\x80\x40" * 16 for _ in range(12))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 12, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _file(name: str):
    from werkzeug.datastructures import FileStorage
    return FileStorage(stream=io.BytesIO(_png()), filename=name, content_type="image/png")


def seed(database_url: str, *, progress=print) -> dict:
    """Build the database; returns the paths to load and what the checks look for."""
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade

    from app import create_app
    from app.accounts import service as accounts
    from app.accounts.models import User
    from app.extensions import db
    from app.forum import seeding, service as forum, statements
    from app.forum.models import REACTIONS, Post, Thread
    from app.library import service as library
    from app.spaces import invitations, service as spaces
    from app.spaces.models import Space
    from app.spaces.queries import load_actor

    app = create_app("default", DATABASE_URL=database_url)
    with app.app_context():
        logging.disable(logging.INFO)  # Alembic's line per migration says nothing here
        upgrade()
        logging.disable(logging.NOTSET)

        def actor(user_id: int):
            return load_actor(db.session.get(User, user_id))

        def space():
            return db.session.get(Space, space_id)

        operator = accounts.make_operator(email="beheer@example.org", password=PASSWORD)
        created, token = spaces.create_space(
            actor(operator.id), name="Grip op je geld", slug=SLUG, theme="Geld",
            description="Een besloten groep over grip op je geldzaken.", renter="Welzijn Bench",
            rental_start=date.today(), rental_end=date.today() + timedelta(days=365),
            seat_limit=20, facilitator_email="begeleider@example.org")
        space_id = created.id
        lead, _ = invitations.accept_invitation(None, token=token, display_name="Marieke",
                                                accepts_agreement=True, password=PASSWORD)
        members = [lead.id]
        names = ["Sanne", "Joris", "Fatima", "Kees", "Annelies", "Mohamed", "Petra"]
        emails = [READER_EMAIL] + [f"lid{i}@example.org" for i in range(1, 6)] + [POSTER_EMAIL]
        for name, email in zip(names, emails):
            _inv, raw = invitations.invite(actor(lead.id), space(), email=email, role="member")
            user, _m = invitations.accept_invitation(None, token=raw, display_name=name,
                                                     accepts_agreement=True, password=PASSWORD)
            members.append(user.id)
        reader, poster = members[1], members[-1]
        progress(f"  space '{SLUG}' with {len(members)} members")

        thread = seeding.start_thread(actor(lead.id), space(), kind="statement",
                                      title="Stelling: over geld praat je niet",
                                      body=body_of(1), labels=["Eens", "Oneens", "Weet ik niet"])
        thread_id = thread.id
        for number in range(2, POSTS + 1):
            files = [_file(f"foto-{number}.png")] if number % 10 == 0 else ()
            forum.reply(actor(members[number % (len(members) - 1)]),
                        db.session.get(Thread, thread_id), body=body_of(number), files=files)
        for index, member in enumerate(members[2:6]):
            statements.take_position(actor(member), db.session.get(Thread, thread_id),
                                     position=1 + index % 3)
        posts = db.session.scalars(db.select(Post).where(Post.thread_id == thread_id)
                                   .order_by(Post.number)).all()
        if len(posts) != POSTS:
            raise RuntimeError(f"seeding made {len(posts)} posts instead of {POSTS}")
        kinds, reactions = list(REACTIONS), 0
        for index, post in enumerate(posts):
            for offset in range(index % 4):  # three of four posts get 1–3 reactions
                forum.set_reaction(actor(members[(index + offset + 1) % len(members)]),
                                   db.session.get(Post, post.id),
                                   kind=kinds[(index + offset) % len(kinds)], on=True)
                reactions += 1
        progress(f"  statement thread of {POSTS} posts, {reactions} reactions, "
                 f"{POSTS // 10} attachments")

        reply_thread = forum.start_thread(actor(lead.id), space(), kind="discussion",
                                          title="Hier mag je oefenen met reageren",
                                          body=body_of(0))
        reply_thread_id = reply_thread.id
        for number in range(12):
            forum.start_thread(actor(members[2 + number % 4]), space(), kind="discussion",
                               title=f"Vraag {number + 1} over de post", body=body_of(number))
        for number in range(LIBRARY_ITEMS):
            library.add_item(actor(members[number % len(members)]), space(), kind="link",
                             title=f"Budgettip {number + 1}", description=body_of(number, 120),
                             category="tips", url=f"https://www.nibud.nl/tip-{number + 1}")
        progress(f"  {LIBRARY_ITEMS} library links, 13 more threads")
        db.session.remove()
        db.engine.dispose()
    return {"thread": f"/s/{SLUG}/t/{thread_id}?page=1", "home": f"/s/{SLUG}/",
            "library": f"/s/{SLUG}/library", "notifications": "/notifications",
            "reply_thread": f"/s/{SLUG}/t/{reply_thread_id}", "slug": SLUG,
            "thread_id": thread_id, "reply_thread_id": reply_thread_id,
            "reader": READER_EMAIL, "poster": POSTER_EMAIL, "password": PASSWORD,
            "reader_id": reader, "poster_id": poster, "last_marker": f"(bericht {POSTS})"}
