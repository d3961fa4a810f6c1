"""The private calendar feed as iCalendar text: every meeting of the groups the member may
see, cancelled ones marked CANCELLED. Neutral titles ("Groepsbijeenkomst") by default and
then nothing else about the group; never a room link or anyone's name."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event

from app import policy
from app.accounts.models import User
from app.database import utcnow
from app.extensions import db
from app.meetings.feed_models import CalendarFeed
from app.meetings.models import Meeting
from app.meetings.queries import meetings_between
from app.spaces.models import Space
from app.spaces.queries import load_actor

# How far back and ahead the feed reaches: recent history for context, a year of plans.
PAST = timedelta(days=92)
AHEAD = timedelta(days=400)


def _feed_meetings(user: User) -> list[tuple[Meeting, Space]]:
    """The meetings in the feed, with their spaces (loaded with the actor), in one query:
    those of the user's memberships that may see meetings now, up to a member's last day."""
    actor = load_actor(user)
    memberships = {space_id: m for space_id, m in actor.memberships.items()
                   if policy.can_list_in_calendar(actor, m.space)}
    now = utcnow()
    result = []
    for meeting in meetings_between(memberships, now - PAST, now + AHEAD):
        membership = memberships[meeting.space_id]
        if membership.leaves_on is not None and _local_start(meeting).date() > membership.leaves_on:
            continue
        result.append((meeting, membership.space))
    return result


def _local_start(meeting: Meeting):
    return meeting.starts_at.astimezone(ZoneInfo(meeting.zone))


def _event(meeting: Meeting, space: Space, *, neutral: bool, host: str, stamp) -> Event:
    zone = ZoneInfo(meeting.zone)
    event = Event()
    event.add("uid", f"meeting-{meeting.id}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    if meeting.changed_at is not None:
        event.add("last-modified", meeting.changed_at)
    event.add("status", "CANCELLED" if meeting.cancelled_at is not None else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("class", "PRIVATE")
    if neutral:
        event.add("summary", _("Group meeting"))
        return event
    event.add("summary", f"{space.name}: {meeting.topic}" if meeting.topic else space.name)
    if meeting.place:
        event.add("location", meeting.place)
    return event


def feed_ical(feed: CalendarFeed) -> bytes:
    """The feed's calendar in the member's language."""
    user = db.session.get(User, feed.user_id)
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "kring"
    stamp = utcnow().replace(microsecond=0)
    with force_locale(user.locale):
        calendar = Calendar()
        calendar.add("prodid", "-//Kring//Groepsruimte//NL")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", "Kring")
        for meeting, space in _feed_meetings(user):
            calendar.add_component(_event(meeting, space, neutral=feed.neutral_titles,
                                          host=host, stamp=stamp))
        calendar.add_missing_timezones()
    return calendar.to_ical()
