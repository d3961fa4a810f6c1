"""Reads of the facilitators' line: the leads' list of every member's line with unread
markers, and one line with its messages, each in a fixed number of statements. A member
never learns whether another member's line exists: that is a 404."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from app import policy
from app.errors import Forbidden, NotFound
from app.extensions import db
from app.line.models import LineConversation, LineMessage, LineRead
from app.policy import Actor
from app.policy.line import LINE_OWNERS
from app.spaces.models import Membership, Space

PER_PAGE = 50


@dataclass
class LineRow:
    """One member on the leads' list: their line (None before anyone wrote) and whether it
    holds messages the reader has not seen."""

    member: Membership
    conversation: LineConversation | None
    unread: bool


@dataclass
class Message:
    message: LineMessage
    author: Membership | None  # None: the author's account is gone
    unread: bool


@dataclass
class LinePage:
    member: Membership
    conversation: LineConversation | None
    messages: list[Message]
    last_read_id: int
    page: int
    pages: int

    @property
    def newest_id(self) -> int:
        return self.messages[-1].message.id if self.messages else 0


def _with_line(reader_id: int):
    """Members with their line and the reader's position in it (one statement)."""
    read = aliased(LineRead)
    return (select(Membership, LineConversation, read.last_read_id)
            .outerjoin(LineConversation, LineConversation.membership_id == Membership.id)
            .outerjoin(read, and_(read.conversation_id == LineConversation.id,
                                  read.membership_id == reader_id)))


def lines(actor: Actor, space: Space) -> list[LineRow]:
    """Every member who has or can have a line, the lines with news first."""
    if not policy.can_read_line(actor, space):
        raise Forbidden()
    me = actor.membership(space.id).id
    rows = db.session.execute(
        _with_line(me).where(
            Membership.space_id == space.id, Membership.id != me,
            or_(LineConversation.id.is_not(None),
                and_(Membership.ended_at.is_(None), Membership.role.in_(LINE_OWNERS))))
        .order_by(LineConversation.last_message_at.is_(None),
                  LineConversation.last_message_at.desc(), Membership.display_name))
    return [LineRow(member, conversation,
                    conversation is not None and conversation.last_message_id > (read or 0))
            for member, conversation, read in rows]


def own_line(actor: Actor, space: Space, page: int | None = None) -> LinePage:
    """The member's own line to the facilitators."""
    if not policy.can_have_line(actor, space):
        raise Forbidden()
    member = actor.membership(space.id)
    return _page(actor, space, member.id, page)


def line_of(actor: Actor, space: Space, member_id: int, page: int | None = None) -> LinePage:
    """A member's line as the leads read it. Members asking for another member's line get a
    404 (they may not know it exists); a co-facilitator where the space keeps the line to the
    facilitators gets a 403."""
    if not policy.can_read_line(actor, space):
        if policy.can_have_line(actor, space):
            raise NotFound()
        raise Forbidden()
    result = _page(actor, space, member_id, page)
    if not policy.can_read_line_of(actor, result.member):
        raise NotFound()
    if result.conversation is None and (result.member.role not in LINE_OWNERS
                                        or result.member.ended_at is not None):
        # A colleague among the leads has no line to open; nor has someone who left without
        # one (or erased theirs: app/erasure).
        raise NotFound()
    return result


def _page(actor: Actor, space: Space, member_id: int, page: int | None) -> LinePage:
    row = db.session.execute(_with_line(actor.membership(space.id).id).where(
        Membership.id == member_id, Membership.space_id == space.id)).first()
    if row is None:
        raise NotFound()
    member, conversation, read = row
    read = read or 0
    if conversation is None:
        return LinePage(member, None, [], read, 1, 1)
    pages = max(1, -(-conversation.message_count // PER_PAGE))
    page = pages if page is None else min(max(1, page), pages)
    author = aliased(Membership)
    found = db.session.execute(
        select(LineMessage, author)
        .outerjoin(author, author.id == LineMessage.author_id)
        .where(LineMessage.conversation_id == conversation.id, LineMessage.space_id == space.id)
        .order_by(LineMessage.id).limit(PER_PAGE).offset((page - 1) * PER_PAGE))
    messages = [Message(m, writer, m.id > read) for m, writer in found]
    return LinePage(member, conversation, messages, read, page, pages)
