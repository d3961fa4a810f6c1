"""Use cases of the facilitators' line: a member writes to the facilitators, a lead writes to
a member (starting the line if need be), and a reader's position moves on. Every message is
rendered through app/markup.py; the recipients get a content-free notification."""
from __future__ import annotations

from sqlalchemy import select, update

from app import policy
from app.database import DOUBLE_SUBMIT_WINDOW, lock_row, transactional, utcnow
from app.errors import require
from app.extensions import db
from app.line.models import LineConversation, LineMessage, LineRead
from app.notify import service as notifications
from app.notify.rhythm_kinds import LINE_MESSAGE
from app.notify.models import Notification
from app.policy import Actor
from app.spaces.models import COFACILITATOR, FACILITATOR, Membership, Space
from app.text import clean_body, render_or_refuse
from app.upsert import upsert


@transactional
def write_to_facilitators(actor: Actor, space: Space, *, body: str) -> LineMessage:
    """A member's message on their own line; every reader of the line hears of it."""
    require(policy.can_open_line(actor, space))
    member = actor.membership(space.id)
    return _write(space, member, author=member, body=body)


@transactional
def write_to_member(actor: Actor, space: Space, member: Membership, *, body: str) -> LineMessage:
    """A lead's message to a member: the member hears of it. Colleagues see it on the line
    (and its unread marker) without a notification of their own."""
    require(member.space_id == space.id and policy.can_write_line_to(actor, member))
    return _write(space, member, author=actor.membership(space.id), body=body)


def _write(space: Space, member: Membership, *, author: Membership, body: str) -> LineMessage:
    body = clean_body(body)
    body_html = render_or_refuse(body)
    now = utcnow()
    # One line per member, whoever writes first; two first messages at once share it.
    upsert(LineConversation, keys={"membership_id": member.id},
           values={"space_id": space.id, "started_by_id": author.id, "created_at": now,
                   "message_count": 0, "last_message_id": 0})
    conversation_id = db.session.scalar(
        select(LineConversation.id).where(LineConversation.membership_id == member.id))
    # Under the line's row lock: a twin submit arriving a moment later finds the first one.
    count = lock_row(LineConversation.message_count, conversation_id)
    repeat = db.session.scalar(select(LineMessage).where(
        LineMessage.conversation_id == conversation_id, LineMessage.author_id == author.id,
        LineMessage.body == body, LineMessage.created_at > now - DOUBLE_SUBMIT_WINDOW))
    if repeat is not None:
        return repeat
    message = LineMessage(space_id=space.id, conversation_id=conversation_id,
                          author_id=author.id, body=body, body_html=body_html, created_at=now)
    db.session.add(message)
    db.session.flush()
    db.session.execute(update(LineConversation).where(LineConversation.id == conversation_id)
                       .values(message_count=count + 1, last_message_id=message.id,
                               last_message_at=now))
    _mark_read(conversation_id, author.id, space.id, message.id)  # writing means having read
    notifications.notify(space, _recipients(space, member, author), kind=LINE_MESSAGE,
                         about_id=member.id)
    return message


def _recipients(space: Space, member: Membership, author: Membership) -> list[Membership]:
    if author.id != member.id:
        usable = member.ended_at is None and not member.is_suspended(utcnow())
        return [member] if usable else []
    roles = [FACILITATOR, COFACILITATOR] if space.line_for_cofacilitators else [FACILITATOR]
    return list(db.session.scalars(select(Membership).where(
        Membership.space_id == space.id, Membership.role.in_(roles),
        Membership.usable_at(utcnow()))))


def _mark_read(conversation_id: int, membership_id: int, space_id: int, upto: int) -> None:
    upsert(LineRead, keys={"conversation_id": conversation_id, "membership_id": membership_id},
           values={"space_id": space_id, "last_read_id": upto}, keep_greatest="last_read_id")


@transactional
def mark_read(actor: Actor, conversation: LineConversation, member: Membership, *,
              upto: int) -> None:
    """Bookkeeping of the reader's own position (written on viewing the line, like the
    forum's read position), and their notifications about this line are read. Written with
    statements: it runs best-effort, in a session of its own."""
    own = actor.membership(conversation.space_id)
    if conversation.membership_id != member.id or own is None:
        return
    if not (own.id == member.id or policy.can_read_line_of(actor, member)):
        return
    me = own.id
    _mark_read(conversation.id, me, conversation.space_id, min(upto, conversation.last_message_id))
    db.session.execute(update(Notification).where(
        Notification.membership_id == me, Notification.kind == LINE_MESSAGE,
        Notification.about_id == conversation.membership_id, Notification.read_at.is_(None))
        .values(read_at=utcnow()))
