"""Builds the Dutch demo space through the real services (so it obeys every rule), then
spreads its timestamps over the past weeks so it looks lived in. Idempotent; reset_demo()
removes the demo space and accounts and builds them afresh."""
from __future__ import annotations

import io
import tomllib
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import delete, select, update

from app.accounts import service as accounts
from app.database import transactional, utcnow
from app.extensions import db
from app.forum import seeding, statements
from app.forum import service as forum
from app.forum.models import Post
from app.evaluation.demo import seed_care
from app.intake.demo import seed_intake
from app.library.demo import seed_library
from app.line.demo import seed_line
from app.meetings.attendance_demo import seed_attendance
from app.meetings.demo import seed_meetings
from app.accounts.models import User
from app.notify.kinds import LIBRARY_ITEM
from app.notify.rhythm_kinds import LINE_MESSAGE
from app.notify.models import Notification, OutboxMessage
from app.notify.outbox import discard_queued_mail
from app.policy import Actor
from app.spaces import agreements, invitations, service as spaces
from app.spaces.departure_demo import seed_departure
from app.spaces.models import Membership, Space
from app.uploads import lifecycle
from app.uploads.models import Upload

# The space, agreement, people and conversations: Dutch text, kept as data beside this module.
CONTENT = tomllib.loads(Path(__file__).with_name("demo_content.toml").read_text("utf-8"))
DEMO_PASSWORD = "welkom-bij-kring"
OPERATOR_EMAIL = "beheer@example.org"
# A demo member opens Kring to a handful of new things, not to everything ever said.
UNREAD_KEPT = 5


def demo_logins() -> list[tuple[str, str, str]]:
    """(email, password, who) for the README and the console."""
    people = [(OPERATOR_EMAIL, DEMO_PASSWORD, "platform operator")]
    for person in CONTENT["people"].values():
        people.append((person["email"], DEMO_PASSWORD, f"{person['role']}: {person['display_name']}"))
    return people


def _actor(user, membership: Membership | None = None) -> Actor:
    memberships = {membership.space_id: membership} if membership else {}
    return Actor(user=user, memberships=memberships)


@transactional
def seed_demo() -> bool:
    """Create the demo space unless it exists. Returns True when something was created."""
    if db.session.scalar(select(Space.id).where(Space.slug == CONTENT["space"]["slug"])):
        return False
    operator = accounts.find_user_by_email(OPERATOR_EMAIL) or accounts.make_operator(
        email=OPERATOR_EMAIL, password=DEMO_PASSWORD)
    today = date.today()
    lead = CONTENT["people"]["facilitator"]
    space, token = spaces.create_space(
        _actor(operator), **CONTENT["space"], rental_start=today - timedelta(days=30),
        rental_end=today + timedelta(days=335), facilitator_email=lead["email"])
    members: dict[str, Membership] = {}
    users = {}

    def join(key: str, raw_token: str) -> None:
        person = CONTENT["people"][key]
        existing = accounts.find_user_by_email(person["email"])
        user, membership = invitations.accept_invitation(
            existing, token=raw_token, display_name=person["display_name"],
            accepts_agreement=True, password=DEMO_PASSWORD)
        users[key], members[key] = user, membership

    join("facilitator", token)
    facilitator = _actor(users["facilitator"], members["facilitator"])
    agreements.update_agreement(facilitator, space, body=CONTENT["agreement"].strip())
    for key, person in CONTENT["people"].items():
        if key == "facilitator":
            continue
        _invitation, raw = invitations.invite(facilitator, space, email=person["email"],
                                              role=person["role"])
        join(key, raw)

    now = utcnow()
    total = len(CONTENT["threads"])
    for index, spec in enumerate(CONTENT["threads"]):
        # Oldest thread three weeks ago, newest a few hours ago; replies an hour or more apart.
        started = now - timedelta(days=21) + timedelta(hours=index * (21 * 24 - 6) / total)
        first, *replies = spec["posts"]
        author = spec["author"]
        due = spec.get("due_in_days")
        thread = seeding.start_thread(
            _actor(users[author], members[author]), space, kind=spec["kind"],
            title=spec["title"], body=first["body"], labels=spec.get("positions"),
            due_day=(today + timedelta(days=due)).isoformat() if due is not None else "",
            files=_attachments(first))
        for key, position in spec.get("choices", {}).items():
            statements.take_position(_actor(users[key], members[key]), thread, position=position)
        stamps = [started]
        for post in replies:
            author = post["author"]
            quoted = None
            if "quote" in post:  # "citeer": the number of an earlier post of this thread
                quoted = db.session.scalar(select(Post).where(
                    Post.thread_id == thread.id, Post.number == post["quote"]))
            forum.reply(_actor(users[author], members[author]), thread, body=post["body"],
                        files=_attachments(post), quote=quoted)
            stamps.append(min(now, stamps[-1] + timedelta(hours=1 + len(post["body"]) % 7)))
        posts = db.session.scalars(select(Post).where(Post.thread_id == thread.id)
                                   .order_by(Post.number)).all()
        for post, stamp in zip(posts, stamps):
            post.created_at = stamp
        thread.created_at, thread.last_post_at = stamps[0], stamps[-1]
    actors = {key: _actor(users[key], members[key]) for key in users}
    seed_library(CONTENT, space, actors, now)
    seed_meetings(CONTENT, space, facilitator, today)
    seed_attendance(CONTENT, space, actors, members, now)
    seed_care(CONTENT, space, actors, members)
    seed_line(CONTENT, space, actors, members, now)
    seed_intake(CONTENT, space, actors["facilitator"], now)
    for spec in CONTENT.get("planned", ()):  # seen by the facilitators only, until its time
        author = spec["author"]
        forum.start_thread(_actor(users[author], members[author]), space, kind=spec["kind"],
                           title=spec["title"], body=spec["body"].strip(),
                           publish_at=(now + timedelta(hours=spec["in_hours"])).replace(
                               second=0, microsecond=0))
    # Last visits for the participation overview (app/overview): from today to a fortnight ago.
    for days, key in enumerate(key for key in members if key.startswith("m")):
        members[key].last_seen_on = today - timedelta(days=3 * days)
    seed_departure(CONTENT, space, {key: _actor(users[key], members[key]) for key in users}, now)
    _date_notifications(space, joined_at=now - timedelta(days=21, hours=2))
    # The invitations were accepted on the spot and the history is made up: nobody is to be
    # mailed about it (the queue is inserted at commit, so it is dropped before that).
    discard_queued_mail()
    return True


def _attachments(post: dict) -> list:
    """The post's demo files: a text file from the content, or a bar chart drawn here."""
    from PIL import Image, ImageDraw
    from werkzeug.datastructures import FileStorage

    found = []
    for spec in post.get("attachments", []):
        if "text" in spec:
            data = spec["text"].lstrip("\n").encode("utf-8")
        else:
            values, (width, height) = spec["chart"], (560, 280)
            image = Image.new("RGB", (width, height), "white")
            draw, step = ImageDraw.Draw(image), width // len(values)
            for n, value in enumerate(values):
                top = height - 20 - (height - 40) * value // max(values)
                draw.rectangle((n * step + 12, top, (n + 1) * step - 12, height - 20),
                               fill=(46, 125, 110))
            out = io.BytesIO()
            image.save(out, "PNG")
            data = out.getvalue()
        found.append(FileStorage(io.BytesIO(data), filename=spec["name"]))
    return found


def _demo_emails() -> list[str]:
    return [OPERATOR_EMAIL, *(p["email"] for p in CONTENT["people"].values())]


def _date_notifications(space: Space, *, joined_at) -> None:
    """Notifications carry the time of the post they are about (a join: before the first
    thread), count as already mailed, and only each member's newest few stay unread."""
    db.session.flush()
    post_time = select(Post.created_at).where(Post.id == Notification.post_id).scalar_subquery()
    in_space = Notification.space_id == space.id
    db.session.execute(update(Notification).where(in_space, Notification.post_id.is_not(None))
                       .values(created_at=post_time), execution_options={"synchronize_session": False})
    dated_already = (LIBRARY_ITEM, LINE_MESSAGE)  # by app/library/demo.py and app/line/demo.py
    db.session.execute(update(Notification).where(in_space, Notification.post_id.is_(None),
                                                  Notification.kind.not_in(dated_already))
                       .values(created_at=joined_at), execution_options={"synchronize_session": False})
    db.session.execute(update(Notification).where(in_space).values(mailed_at=Notification.created_at),
                       execution_options={"synchronize_session": False})
    for (membership_id,) in db.session.execute(
            select(Membership.id).where(Membership.space_id == space.id)):
        newest = select(Notification.id).where(Notification.membership_id == membership_id) \
            .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(UNREAD_KEPT)
        db.session.execute(update(Notification).where(
            Notification.membership_id == membership_id, Notification.read_at.is_(None),
            Notification.id.not_in(newest)).values(read_at=Notification.created_at),
            execution_options={"synchronize_session": False})


@transactional
def reset_demo() -> None:
    """Remove the demo space (its content goes with it) and the demo accounts, then seed the
    demo again: a fresh start after trying things out."""
    demo = select(Space.id).where(Space.slug == CONTENT["space"]["slug"]).scalar_subquery()
    for key in db.session.scalars(select(Upload.storage_key).where(Upload.space_id == demo)):
        lifecycle.delete_after_commit(key)  # the files go with the space's rows
    db.session.execute(delete(Space).where(Space.slug == CONTENT["space"]["slug"]))
    db.session.execute(delete(User).where(User.email.in_(_demo_emails())))
    # Mail still waiting for the old demo accounts (a reset link asked for, say) goes with them.
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.to_addr.in_(_demo_emails())))
    db.session.expunge_all()
    seed_demo()
