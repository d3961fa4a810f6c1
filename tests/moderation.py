"""Helpers for the moderation tests: a group with a moderator and members, flags, claims and
resolutions through the real services, and small readers that return plain values."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.forum.models import Post
from app.moderation.models import Flag, ModerationCase, ModerationLog
from app.notify.models import Notification, OutboxMessage
from tests.conftest import Person, csrf_token, login
from tests.mail import rendered


@dataclass
class Group:
    slug: str
    space_id: int
    lead: Person  # facilitator
    moderator: Person
    author: Person  # a plain member whose post is flagged
    members: list[Person]  # plain members who flag
    thread_id: int
    post_id: int  # the author's reply


def group(world, *, flaggers: int = 3, post="Een bericht dat gemeld wordt") -> Group:
    slug, lead = world.space()
    moderator = world.member(slug, lead, role="moderator", name="Moderator Mo")
    author = world.member(slug, lead, name="Schrijver Sam")
    members = [world.member(slug, lead, name=f"Melder {i}") for i in range(flaggers)]
    thread_id = world.thread(slug, lead, title="Een gesprek", body="Eerste bericht")
    post_id = world.reply(slug, thread_id, author, post)
    with world.ctx():
        space_id = world.space_obj(slug).id
    return Group(slug, space_id, lead, moderator, author, members, thread_id, post_id)


def flag(world, person: Person, post_id: int, reason: str = "hurtful", note: str = "") -> int:
    from app.moderation import flags

    with world.ctx():
        return flags.flag_post(world.actor(person.user_id), db.session.get(Post, post_id),
                               reason=reason, note=note).id


def case_id_of(world, post_id: int) -> int | None:
    with world.ctx():
        return db.session.scalar(select(ModerationCase.id).where(
            ModerationCase.post_id == post_id).order_by(ModerationCase.id.desc()))


def case(world, case_id: int) -> ModerationCase:
    """A detached copy of the case row (read inside a context, used outside)."""
    with world.ctx():
        row = db.session.get(ModerationCase, case_id)
        db.session.expunge(row)
        return row


def post(world, post_id: int) -> Post:
    with world.ctx():
        row = db.session.get(Post, post_id)
        db.session.expunge(row)
        return row


def claim(world, person: Person, case_id: int) -> None:
    from app.moderation import cases

    with world.ctx():
        cases.claim_case(world.actor(person.user_id), db.session.get(ModerationCase, case_id))


def resolve(world, person: Person, case_id: int, **fields) -> None:
    from app.moderation import resolve as service

    with world.ctx():
        service.resolve_case(world.actor(person.user_id), db.session.get(ModerationCase, case_id),
                             **fields)


def flags_of(world, post_id: int) -> list[tuple[int, str, str]]:
    """(flagger membership id, reason, state) of every flag on the post."""
    with world.ctx():
        return [tuple(r) for r in db.session.execute(select(
            Flag.flagger_id, Flag.reason, Flag.state).where(Flag.post_id == post_id)
            .order_by(Flag.id))]


def log_actions(world, space_id: int) -> list[str]:
    with world.ctx():
        return list(db.session.scalars(select(ModerationLog.action).where(
            ModerationLog.space_id == space_id).order_by(ModerationLog.id)))


MODERATION_KINDS = ("flag_urgent", "flag_new", "flag_reminder", "flag_handled", "post_hidden",
                    "mod_warning", "claim_expired")


def kinds_for(world, person: Person) -> list[str]:
    """The moderation notifications this person got, oldest first."""
    with world.ctx():
        return list(db.session.scalars(select(Notification.kind).where(
            Notification.user_id == person.user_id, Notification.kind.in_(MODERATION_KINDS))
            .order_by(Notification.id)))


def mails_to(world, person: Person) -> list[str]:
    """Subject, text and HTML of every mail queued for this person."""
    with world.ctx():
        mails = [rendered(m) for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_addr == person.email)
            .order_by(OutboxMessage.id))]
        return ["\n".join((m.subject, m.body_text, m.body_html)) for m in mails]


def as_(client, person: Person):
    """Log the client in as `person` and return a function that POSTs with a CSRF token."""
    login(client, person)
    token = csrf_token(client, "/")

    def post_(path: str, **data):
        return client.post(path, data={"csrf_token": token, **data})

    return post_
