"""Helpers for the departure tests: meetings as rows (the meetings pages are another
slice), a group with a facilitator and members, and reading what a page or the database
holds about someone's leaving."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from markupsafe import escape
from sqlalchemy import select

from app.database import utcnow
from app.extensions import db
from app.forum.models import Thread
from app.meetings.models import Meeting
from app.notify.models import Notification
from app.spaces.models import Membership, Space
from tests.conftest import Person, csrf_token, login

ZONE = ZoneInfo("Europe/Amsterdam")


def tr(app, msgid: str, **values) -> str:
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale("nl"):
        return str(escape(gettext(msgid, **values)))


def client_of(app, person: Person):
    client = app.test_client()
    login(client, person)
    return client


def meeting(world, slug: str, *, starts_at: datetime | None = None,
            starts_in: timedelta = timedelta(days=2), minutes: int = 90,
            cancelled: bool = False, topic: str = "") -> int:
    """A meeting row of the space (created directly, as the meetings pages would)."""
    start = starts_at or (utcnow() + starts_in).replace(second=0, microsecond=0)
    with world.ctx():
        row = Meeting(space_id=world.space_obj(slug).id, starts_at=start,
                      ends_at=start + timedelta(minutes=minutes), zone="Europe/Amsterdam",
                      topic=topic, cancelled_at=utcnow() if cancelled else None)
        db.session.add(row)
        db.session.commit()
        return row.id


def set_space(world, slug: str, **values) -> None:
    with world.ctx():
        space = world.space_obj(slug)
        for name, value in values.items():
            setattr(space, name, value)
        db.session.commit()


def membership(world, person: Person) -> Membership:
    with world.ctx():
        row = db.session.get(Membership, person.membership_id)
        db.session.expunge(row)
        return row


def threads_titled(world, slug: str, title: str) -> list[Thread]:
    with world.ctx():
        rows = list(db.session.scalars(select(Thread).join(Space).where(
            Space.slug == slug, Thread.title == title).order_by(Thread.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def notifications_of(world, person: Person) -> list[Notification]:
    with world.ctx():
        rows = list(db.session.scalars(select(Notification).where(
            Notification.user_id == person.user_id).order_by(Notification.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


@dataclass
class Group:
    slug: str
    lead: Person
    member: Person  # the one who leaves
    other: Person


def group(world, *, name: str = "Marieke") -> Group:
    slug, lead = world.space()
    member = world.member(slug, lead, name=name)
    other = world.member(slug, lead, name="Joost")
    return Group(slug, lead, member, other)


def plan(client, slug: str, membership_id: int, meeting_id) -> object:
    path = f"/s/{slug}/members/{membership_id}/departure"
    token = csrf_token(client, f"/s/{slug}/members")
    return client.post(path, data={"csrf_token": token, "meeting": str(meeting_id)})


def choose(client, slug: str, choice: str):
    token = csrf_token(client, f"/s/{slug}/members")
    return client.post(f"/s/{slug}/departure", data={"csrf_token": token, "choice": choice})
