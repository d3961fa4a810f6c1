"""Helpers for the planned-content tests: plan a thread or reply through the forms, read
notifications and queued mail, publish due items."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from markupsafe import escape
from sqlalchemy import func, select

from app.database import utcnow
from app.extensions import db
from app.forum.publish import publish_due
from app.notify.models import Notification
from app.notify.outbox import OutboxMessage
from tests.conftest import csrf_token, login

ZONE = ZoneInfo("Europe/Amsterdam")


def tr(app, msgid: str, **values) -> str:
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale("nl"):
        return str(escape(gettext(msgid, **values)))


def client_of(app, person):
    client = app.test_client()
    login(client, person)
    return client


def ahead(minutes: int) -> datetime:
    """A whole minute this far ahead (forms take minutes, not seconds)."""
    return (utcnow() + timedelta(minutes=minutes)).replace(second=0, microsecond=0)


def local(moment: datetime) -> dict[str, str]:
    local = moment.astimezone(ZONE)
    return {"publish_date": local.strftime("%Y-%m-%d"), "publish_time": local.strftime("%H:%M")}


def plan_thread(client, slug, when: dict, *, title="Huiswerk week 2", body="Lees het stuk.",
                 kind="announcement"):
    token = csrf_token(client, f"/s/{slug}/t/new")
    return client.post(f"/s/{slug}/t/new", data={
        "csrf_token": token, "kind": kind, "title": title, "body": body, **when})


def plan_reply(client, slug, thread_id, when: dict, body="Morgen verder, @iedereen."):
    token = csrf_token(client, f"/s/{slug}/t/{thread_id}?page=1")
    return client.post(f"/s/{slug}/t/{thread_id}/reply",
                       data={"csrf_token": token, "body": body, **when})


def thread_id_of(response) -> int:
    return int(re.search(r"/t/(\d+)", response.headers["Location"]).group(1))


def notes(app, *, thread_id=None, post_id=None) -> list[Notification]:
    with app.app_context():
        query = select(Notification)
        if thread_id is not None:
            query = query.where(Notification.thread_id == thread_id)
        if post_id is not None:
            query = query.where(Notification.post_id == post_id)
        return list(db.session.scalars(query))


def mails_to(app, address: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.to_addr == address))


def space_id_of(app, slug) -> int:
    from app.spaces.models import Space

    with app.app_context():
        return db.session.scalar(select(Space.id).where(Space.slug == slug))


def mail_directly(app, person, *, space_id: int) -> None:
    """This member wants a mail at once for new seeded content (the default is the digest)."""
    from app.notify.models import NotificationSettings

    with app.app_context():
        settings = NotificationSettings.defaults(person.membership_id, space_id)
        settings.facilitator = "direct"
        db.session.add(settings)
        db.session.commit()


def publish(app, now=None) -> int:
    with app.app_context():
        return publish_due(now)
