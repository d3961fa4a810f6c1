"""Helpers for the participation overview's tests: meetings, attendance and away periods
written as rows (the meetings and attendance services are other slices), and moving a
member's activity back in time."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update

from app.database import utcnow
from app.extensions import db
from app.forum.models import Post, Thread
from app.meetings.models import Attendance, AwayPeriod, Meeting
from app.spaces.models import Membership, Space


def space_id(world, slug: str) -> int:
    with world.ctx():
        return world.space_obj(slug).id


def set_space(world, slug: str, **values) -> None:
    with world.ctx():
        db.session.execute(update(Space).where(Space.slug == slug).values(**values))
        db.session.commit()


def set_membership(world, person, **values) -> None:
    with world.ctx():
        db.session.execute(update(Membership).where(Membership.id == person.membership_id)
                           .values(**values))
        db.session.commit()


def meeting(world, slug: str, *, hours_from_now: float, topic: str = "",
            cancelled: bool = False) -> int:
    """A 90-minute meeting starting `hours_from_now` (negative: in the past)."""
    with world.ctx():
        starts = utcnow() + timedelta(hours=hours_from_now)
        row = Meeting(space_id=world.space_obj(slug).id, starts_at=starts,
                      ends_at=starts + timedelta(minutes=90), topic=topic,
                      cancelled_at=utcnow() if cancelled else None)
        db.session.add(row)
        db.session.commit()
        return row.id


def attendance(world, slug: str, meeting_id: int, person, *, outcome: str | None = None,
               cancelled: bool = False, reason: str = "") -> None:
    with world.ctx():
        db.session.add(Attendance(space_id=world.space_obj(slug).id, meeting_id=meeting_id,
                                  membership_id=person.membership_id, outcome=outcome,
                                  cancelled_at=utcnow() if cancelled else None, reason=reason))
        db.session.commit()


def away(world, slug: str, person, first_day: date, last_day: date, reason: str = "") -> None:
    with world.ctx():
        db.session.add(AwayPeriod(space_id=world.space_obj(slug).id,
                                  membership_id=person.membership_id, first_day=first_day,
                                  last_day=last_day, reason=reason))
        db.session.commit()


def age_post(world, post_id: int, *, days: float) -> None:
    """Make a post (and its thread's activity, for an opening post) `days` old."""
    with world.ctx():
        when = utcnow() - timedelta(days=days)
        post = db.session.get(Post, post_id)
        post.created_at = when
        if post.number == 1:
            thread = db.session.get(Thread, post.thread_id)
            thread.created_at = thread.last_post_at = when
        db.session.commit()


def age_thread(world, thread_id: int, *, hours: float) -> None:
    with world.ctx():
        when = utcnow() - timedelta(hours=hours)
        db.session.execute(update(Thread).where(Thread.id == thread_id)
                           .values(created_at=when, last_post_at=when))
        db.session.execute(update(Post).where(Post.thread_id == thread_id)
                           .values(created_at=when))
        db.session.commit()


def age_member(world, person, *, days: float) -> None:
    """Joined `days` ago (silence is counted from joining for someone who never wrote)."""
    set_membership(world, person, joined_at=utcnow() - timedelta(days=days))
