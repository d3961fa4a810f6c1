"""Joining and leaving an open group: the welcome thread for a newcomer, the last meeting a
facilitator sets with a member (with the farewell thread planned for its end), the member's
choice of name after leaving, and the worker round that ends memberships after leaves_on."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select

from app import policy
from app.accounts.models import User
from app.database import lock_row, transactional, utcnow
from app.errors import ServiceError, require
from app.extensions import db
from app.forum import schedule
from app.forum import service as forum
from app.forum.models import DISCUSSION, Thread
from app.forum.planned import opening_post
from app.meetings.models import Meeting
from app.policy import Actor
from app.spaces.departure_models import Departure
from app.spaces.ending import end_memberships
from app.spaces.models import (
    FACILITATOR, MEMBER, MODERATOR, OPEN_GROUP, Invitation, Membership, Space,
)

# Who counts towards the group's size and gets a welcome: the participants, not the leads.
PARTICIPANTS = (MEMBER, MODERATOR)
# The leaving member's choice of how their posts show after leaving.
KEEP_NAME = "keep"
FORMER = "former"


def _group_language():
    """Thread texts are the group's, written in its language whoever's request runs."""
    return force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "nl"))


def _leaving_day(meeting: Meeting, ends_at: datetime | None = None):
    """The local day the last meeting ends: a meeting that runs past midnight keeps the
    member in the group until its farewell thread has opened."""
    return (ends_at or meeting.ends_at).astimezone(ZoneInfo(meeting.zone)).date()


# --- welcome ----------------------------------------------------------------------------------

def _welcomer(space: Space, invitation: Invitation) -> Actor | None:
    """The author of a welcome thread: the facilitator who sent the invitation, else the
    facilitator longest in the group (the group knows them; Kring itself never speaks in a
    thread). None when no facilitator can post now."""
    from app.spaces.queries import load_actor

    leads = db.session.scalars(
        select(Membership).where(Membership.space_id == space.id, Membership.role == FACILITATOR,
                                 Membership.usable_at(utcnow()))
        .order_by((Membership.user_id == invitation.invited_by_id).desc(),
                  Membership.joined_at, Membership.id)).all()
    for lead in leads:
        actor = load_actor(db.session.get(User, lead.user_id))
        if policy.can_start_thread(actor, space, DISCUSSION):
            return actor
    return None


def _under_way(space: Space) -> bool:
    """A group is under way once its first meeting has started: who joins before that
    starts with everyone else, who joins after it is a newcomer."""
    return db.session.scalar(
        select(Meeting.id).where(Meeting.space_id == space.id, Meeting.cancelled_at.is_(None),
                                 Meeting.starts_at <= utcnow()).limit(1)) is not None


def welcome_newcomer(space: Space, membership: Membership,
                     invitation: Invitation) -> Thread | None:
    """Open the welcome thread for someone who just joined an open group that is under way
    (called by accept_invitation, in its transaction). The newcomer is named with an "@",
    so they hear about it; the others hear of the newcomer with a link to it."""
    if (space.group_kind != OPEN_GROUP or membership.role not in PARTICIPANTS
            or not _under_way(space)):
        return None
    welcomer = _welcomer(space, invitation)
    if welcomer is None:
        return None
    name = membership.display_name
    with _group_language():
        title = _("Welcome, %(name)s!", name=name)
        body = _("@%(name)s is new in the group. Welcome! Here everyone can say hello, and "
                 "%(name)s can tell a little about themselves, as much as they like.", name=name)
    return forum.start_thread(welcomer, space, kind=DISCUSSION, title=title[:200], body=body)


# --- the last meeting -------------------------------------------------------------------------

def _refused_meeting() -> ServiceError:
    return ServiceError(_("Choose one of the group's coming meetings."), "meeting")


def _coming_meeting(membership: Membership, meeting_id: int | None) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id) if meeting_id else None
    if (meeting is None or meeting.space_id != membership.space_id
            or meeting.cancelled_at is not None or meeting.ends_at <= utcnow()):
        raise _refused_meeting()
    return meeting


def _planned_farewell(departure: Departure) -> Thread | None:
    """The farewell thread while it still waits for its moment."""
    if departure.farewell_thread_id is None:
        return None
    thread = db.session.get(Thread, departure.farewell_thread_id)
    return thread if thread is not None and thread.publish_at is not None else None


def _plan_farewell(actor: Actor, membership: Membership, meeting: Meeting,
                   departure: Departure) -> None:
    """The farewell thread opens when the last meeting ends: planned now, by the
    facilitator who set the meeting. An existing plan moves along instead."""
    thread = _planned_farewell(departure)
    space = actor.membership(membership.space_id).space
    try:
        if thread is not None:
            # Whichever facilitator moves the last meeting moves the farewell with it.
            schedule.check_publish_at(actor, space, meeting.ends_at)
            thread.publish_at = meeting.ends_at
            opening_post(thread).publish_at = meeting.ends_at
            return
        name = membership.display_name
        with _group_language():
            title = _("Farewell to %(name)s", name=name)
            body = _("The last meeting of @%(name)s is over. Here the group can say goodbye, "
                     "and %(name)s can too.", name=name)
        thread = forum.start_thread(actor, space, kind=DISCUSSION, title=title[:200],
                                    body=body, publish_at=meeting.ends_at)
    except ServiceError as exc:  # the meeting ends after the space closes, or too far ahead
        raise ServiceError(exc.message, "meeting") from None
    departure.farewell_thread_id = thread.id


@transactional
def plan_departure(actor: Actor, membership: Membership, *, meeting_id: int | None) -> Departure:
    """Set a member's last meeting: their membership ends after the day it ends
    (leaves_on), and the farewell thread opens when it ends. Setting another meeting moves
    both; the same meeting again (a double submit) changes nothing."""
    require(policy.can_plan_departure(actor, membership))
    meeting = _coming_meeting(membership, meeting_id)
    # Under the member's row lock: two submits at once plan one farewell thread, not two.
    lock_row(Membership.role, membership.id)
    departure = db.session.scalar(select(Departure).where(
        Departure.membership_id == membership.id))
    if departure is None:
        departure = Departure(space_id=membership.space_id, membership_id=membership.id)
        db.session.add(departure)
    elif departure.meeting_id == meeting.id and membership.leaves_on == _leaving_day(meeting):
        return departure
    departure.meeting_id = meeting.id
    departure.planned_by_id = actor.membership(membership.space_id).id
    departure.planned_at = utcnow()
    membership.leaves_on = _leaving_day(meeting)
    _plan_farewell(actor, membership, meeting, departure)
    return departure


def follow_meeting(meeting: Meeting, *, ends_at: datetime) -> None:
    """A last meeting moves (app/meetings/rhythm.py calls this, in its transaction): the
    leaving day and the still-planned farewell move with it. A cancelled last meeting
    changes nothing here: the member still leaves on that day unless a facilitator sets
    another meeting or withdraws the departure."""
    rows = db.session.execute(
        select(Departure, Membership).join(Membership, Membership.id == Departure.membership_id)
        .where(Departure.meeting_id == meeting.id, Departure.space_id == meeting.space_id,
               Membership.ended_at.is_(None))).all()
    for departure, membership in rows:
        membership.leaves_on = _leaving_day(meeting, ends_at)
        thread = _planned_farewell(departure)
        if thread is not None:
            thread.publish_at = ends_at
            opening_post(thread).publish_at = ends_at


@transactional
def withdraw_departure(actor: Actor, membership: Membership) -> None:
    """The member stays after all: no leaving day, and the farewell thread, if it has not
    opened yet, is dropped (once open it belongs to the group and stays)."""
    require(policy.can_plan_departure(actor, membership))
    lock_row(Membership.role, membership.id)
    departure = db.session.scalar(select(Departure).where(
        Departure.membership_id == membership.id))
    membership.leaves_on = None
    if departure is None:
        return
    thread = _planned_farewell(departure)
    db.session.delete(departure)
    if thread is not None:  # never published: it goes entirely, as a cancelled plan does
        db.session.execute(delete(Thread).where(Thread.id == thread.id,
                                                Thread.publish_at.is_not(None)))


@transactional
def choose_name_after_leaving(actor: Actor, space: Space, *, choice: str) -> None:
    """The leaving member's own choice (KEEP_NAME or FORMER): after the membership ends
    their posts, reactions and material show their display name, or "oud-deelnemer"
    (Membership.shown_name). Choosing again simply sets it again."""
    require(policy.can_choose_name_after_leaving(actor, space))
    if choice not in (KEEP_NAME, FORMER):
        raise ServiceError(_("Choose one of the two."), "choice")
    actor.membership(space.id).anonymous_after_leaving = choice == FORMER


# --- the worker round -------------------------------------------------------------------------

def end_due_memberships(now: datetime | None = None) -> int:
    """End every membership whose leaving day (local) lies before today, through the one
    way a membership ends (app/spaces/ending.py: one conditional UPDATE, so two workers
    never end one membership twice): the member no longer enters the group; their posts
    stay, under the name they chose. Returns how many ended."""
    now = now or utcnow()
    today = now.astimezone(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()
    ended = end_memberships(Membership.leaves_on < today, at=now)  # notes go with them
    db.session.commit()
    return len(ended)
