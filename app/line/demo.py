"""The demo's lines with the facilitators (app/demo_content.toml [[line]]): written through
the real services, then dated over the past days, the newest message still unread."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from app.extensions import db
from app.line import service
from app.line.models import LineConversation, LineMessage
from app.notify.rhythm_kinds import LINE_MESSAGE
from app.notify.models import Notification


def seed_line(content: dict, space, actors: dict, members: dict, now: datetime) -> None:
    """`actors`: person key → Actor; `members`: person key → Membership."""
    for index, spec in enumerate(content.get("line", [])):
        member = members[spec["member"]]
        moment = now - timedelta(days=4 - index, hours=3)
        for message in spec["messages"]:
            if message["author"] == spec["member"]:
                written = service.write_to_facilitators(actors[message["author"]], space,
                                                        body=message["body"].strip())
            else:
                written = service.write_to_member(actors[message["author"]], space, member,
                                                  body=message["body"].strip())
            db.session.execute(update(LineMessage).where(LineMessage.id == written.id)
                               .values(created_at=moment))
            db.session.execute(update(Notification).where(
                Notification.kind == LINE_MESSAGE, Notification.about_id == member.id,
                Notification.created_at > moment).values(created_at=moment))
            moment += timedelta(hours=5)
        db.session.execute(update(LineConversation).where(
            LineConversation.id == select(LineMessage.conversation_id)
            .where(LineMessage.id == written.id).scalar_subquery())
            .values(created_at=now - timedelta(days=4 - index, hours=3),
                    last_message_at=moment - timedelta(hours=5)))
