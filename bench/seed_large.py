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
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bulk import Progress, writer_for  # noqa: E402

PASSWORD = "bench-password-123"
READER_EMAIL = "lezer@example.org"
LEAD_EMAIL = "begeleider@example.org"
SLUG = "groot"
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
KINDS = ("support", "thanks", "recognise", "strong", "laugh")
UNREAD = 150  # the reader's newest notifications left unread: the header says "99+"


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
        post = forum.reply(actor(reader.id), db.session.get(Thread, thread.id), body=BODIES[1])
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
            read_state=scalar(db.text("SELECT id FROM read_states WHERE membership_id = :m"),
                              {"m": reader_m.id}))
        db.session.remove()
    return ids


def _bodies() -> list[tuple[str, str]]:
    """(Markdown, HTML) of each body; a post's own line "(bericht N)" is appended to both,
    checked here against the real renderer."""
    from app.text import render_or_refuse

    pairs = [(body, render_or_refuse(body)) for body in BODIES]
    for body, html in pairs:
        assert render_or_refuse(body + "\n\n(bericht 7)") == html + "<p>(bericht 7)</p>\n"
    return pairs


def _write(w, ids: dict, size: dict, posts: int, spaces: int) -> dict:
    """Everything else, in bulk. Returns the ids the benchmarks address."""
    from app.spaces.names import name_key

    when = w.when
    start = datetime.now(timezone.utc) - timedelta(days=365)
    big = ids["space"]
    t = {name: w.template(name, ids[key]) for name, key in (
        ("spaces", "space"), ("users", "reader_user"), ("memberships", "reader"),
        ("agreement_acceptances", "acceptance"), ("agreements", "agreement"),
        ("threads", "thread"), ("posts", "post"), ("reactions", "reaction"),
        ("read_states", "read_state"), ("notifications", "notification"),
        ("library_items", "library"))}

    # Spaces, their agreements, users and memberships (the first of each space leads it).
    space_ids = [big] + list(range(w.next_id("spaces"), w.next_id("spaces") + spaces - 1))
    w.write("spaces", t["spaces"], ("id", "slug", "name"),
            ((s, f"groep-{s}", f"Groep {s}") for s in space_ids[1:]), spaces - 1)
    first_agreement = w.next_id("agreements")
    agreement_of = {big: ids["agreement"], **{s: first_agreement + n
                                             for n, s in enumerate(space_ids[1:])}}
    w.write("agreements", t["agreements"], ("id", "space_id"),
            ((agreement_of[s], s) for s in space_ids[1:]), spaces - 1)
    per_space = [(big, size["big_members"] - 2)] + [(s, size["members_each"])
                                                   for s in space_ids[1:]]
    total = sum(n for _s, n in per_space)
    user0, member0 = w.next_id("users"), w.next_id("memberships")
    w.write("users", t["users"], ("id", "email"),
            ((user0 + n, f"lid{user0 + n}@example.org") for n in range(total)), total)
    members_of: dict[int, list[int]] = {big: [ids["lead"], ids["reader"]]}
    rows, n = [], 0
    for space_id, count in per_space:
        for k in range(count):
            lead = space_id != big and k == 0
            name = f"Deelnemer {n}"
            rows.append((member0 + n, space_id, user0 + n, "facilitator" if lead else "member",
                         name, name_key(name)))
            members_of.setdefault(space_id, []).append(member0 + n)
            n += 1
    w.write("memberships", t["memberships"],
            ("id", "space_id", "user_id", "role", "display_name", "name_key"), rows, total)
    accept0 = w.next_id("agreement_acceptances")
    w.write("agreement_acceptances", t["agreement_acceptances"],
            ("id", "space_id", "membership_id", "agreement_id"),
            ((accept0 + k, r[1], r[0], agreement_of[r[1]]) for k, r in enumerate(rows)), total,
            label="acceptances")

    # Conversations: in "groot" the long one, the normal one, then many short ones; the
    # other spaces share the remaining posts in conversations of about twenty.
    specs = [(big, size["long"]), (big, size["normal"])]
    specs += [(big, size["big_posts_each"])] * (size["big_threads"] - 2)
    rest = max(0, posts - sum(n for _s, n in specs) - 2)
    for k, space_id in enumerate(space_ids[1:]):
        share = rest // (spaces - 1) + (1 if k < rest % (spaces - 1) else 0)
        specs += [(space_id, 20)] * (share // 20) + ([(space_id, share % 20)] if share % 20 else [])
    thread0, post0 = w.next_id("threads"), w.next_id("posts")
    step = timedelta(seconds=365 * 86400 / max(1, len(specs)))
    thread_rows, first_post, post_id = [], [], post0
    for k, (space_id, count) in enumerate(specs):
        opened = start + k * step
        people = members_of[space_id]
        thread_rows.append((thread0 + k, space_id, people[k % len(people)], f"Gesprek {k}",
                            when(opened), when(opened + timedelta(minutes=count - 1)), count))
        first_post.append(post_id)
        post_id += count
    w.write("threads", t["threads"], ("id", "space_id", "author_id", "title", "created_at",
                                      "last_post_at", "post_count"), thread_rows, len(specs))
    bodies, total_posts = _bodies(), post_id - post0

    def post_rows():
        for k, (space_id, count) in enumerate(specs):
            people, opened = members_of[space_id], start + k * step
            for number in range(1, count + 1):
                body, html = bodies[(k + number) % len(bodies)]
                yield (first_post[k] + number - 1, space_id, thread0 + k, number,
                       people[(k + number) % len(people)], f"{body}\n\n(bericht {number})",
                       f"{html}<p>(bericht {number})</p>\n", when(opened + timedelta(minutes=number - 1)))
    w.write("posts", t["posts"], ("id", "space_id", "thread_id", "number", "author_id", "body",
                                  "body_html", "created_at"), post_rows(), total_posts)

    def reaction_rows():
        rid = w.next_id("reactions")
        for k, (space_id, count) in enumerate(specs):
            people = members_of[space_id]
            for number in range(1, count + 1, 3):  # a third of the posts, 1 to 3 reactions
                for r in range(1 + (k + number) % 3):
                    yield (rid, space_id, first_post[k] + number - 1,
                           people[(k + number + r + 1) % len(people)], KINDS[(number + r) % 5])
                    rid += 1
    reactions = sum(1 + (k + n) % 3 for k, (_s, c) in enumerate(specs) for n in range(1, c + 1, 3))
    w.write("reactions", t["reactions"], ("id", "space_id", "post_id", "membership_id", "kind"),
            reaction_rows(), reactions)

    # The reader: has read every other conversation of "groot" (the tabs count the rest),
    # and 400,000 notifications about replies there, all but the newest UNREAD read.
    big_threads = [k for k, (s, _c) in enumerate(specs) if s == big]
    read0 = w.next_id("read_states")
    w.write("read_states", t["read_states"], ("id", "space_id", "thread_id", "membership_id",
                                              "last_read_number"),
            ((read0 + n, big, thread0 + k, ids["reader"], specs[k][1])
             for n, k in enumerate(big_threads[1::2])), len(big_threads[1::2]), label="read states")
    count = size["notifications"]
    note0, seen = w.next_id("notifications"), when(start + timedelta(days=365))

    def notification_rows():
        for n in range(count):
            k = big_threads[n % len(big_threads)]
            at = when(start + timedelta(seconds=n * 365 * 86400 / count))
            yield (note0 + n, big, ids["reader_user"], ids["reader"], "reply", thread0 + k,
                   first_post[k], members_of[big][0], at, None if n >= count - UNREAD else seen, at)
    w.write("notifications", t["notifications"],
            ("id", "space_id", "user_id", "membership_id", "kind", "thread_id", "post_id",
             "about_id", "created_at", "read_at", "mailed_at"), notification_rows(), count)
    item0 = w.next_id("library_items")
    w.write("library_items", t["library_items"], ("id", "title", "url", "created_at"),
            ((item0 + n, f"Materiaal {n}", f"https://example.org/m/{n}",
              when(start + timedelta(hours=n))) for n in range(size["library"])),
            size["library"], label="library")
    return {"slug": SLUG, "long_thread": thread0, "long_pages": -(-size["long"] // 50),
            "normal_thread": thread0 + 1, "reader_email": READER_EMAIL, "password": PASSWORD,
            "posts": total_posts + 2, "threads": len(specs) + 1, "reactions": reactions,
            "notifications": count}


def seed(database_url: str, *, posts: int = 1_000_000, members: int = 20_000,
         spaces: int = 500, progress: bool = True) -> dict:
    """Fill a database already migrated (flask db upgrade) and empty. Returns what a
    benchmark needs to address it: slug, thread ids, the reader's login, counts, seconds."""
    from app import create_app
    from app.extensions import db

    started = time.monotonic()
    app = create_app("default", DATABASE_URL=database_url)
    ids = _services(app)
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
