"""Local time and repetition: a moment typed on the group's clock to UTC (refusing the hour
the clock skips in March, taking the first of the hour it repeats in October), and a series
expanded with dateutil's rrule on the wall clock of its zone, so 19:30 stays 19:30 across the
changes to and from summer time."""
from __future__ import annotations

from itertools import islice
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil.rrule import MONTHLY, WEEKLY, rrule
from flask_babel import gettext as _

from app.errors import ServiceError
from app.meetings.models import FORTNIGHTLY, MONTHLY as MONTHLY_KIND, WEEKLY as WEEKLY_KIND

ZONE = "Europe/Amsterdam"
# A series plans at most this many meetings at once (two years of weekly meetings).
MAX_SESSIONS = 104
# A monthly series repeats on the day of the month; the 29th to 31st are missing in some months.
MONTHLY_LAST_DAY = 28

_RULES = {WEEKLY_KIND: (WEEKLY, 1), FORTNIGHTLY: (WEEKLY, 2), MONTHLY_KIND: (MONTHLY, 1)}


def local_moment(day: date, at: time, zone: str = ZONE, *, field: str = "start_time") -> datetime:
    """A day and a time on the group's clock as an aware UTC moment. A time that does not
    exist on that day (the clocks go forward) is refused at the field; an ambiguous one (the
    clocks go back) is the first of the two."""
    tz = ZoneInfo(zone)
    local = datetime.combine(day, at.replace(second=0, microsecond=0), tzinfo=tz)  # fold=0
    moment = local.astimezone(timezone.utc)
    if moment.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ServiceError(_("That time does not exist on that day (the clocks go forward). "
                             "Choose another time."), field)
    return moment


def on_wall_clock(naive_local: datetime, zone: str) -> datetime:
    """A wall-clock time in the zone as UTC. A repetition that lands in the skipped hour
    moves forward by the hour the clock skips (as a calendar would)."""
    tz = ZoneInfo(zone)
    return naive_local.replace(tzinfo=tz).astimezone(timezone.utc)


def to_local(moment: datetime, zone: str = ZONE) -> datetime:
    return moment.astimezone(ZoneInfo(zone))


def expand(first_starts_at: datetime, frequency: str, zone: str = ZONE, *,
           count: int | None = None, last_day: date | None = None) -> list[datetime]:
    """The UTC starts of a series: the first start's local hour on every repetition, after
    `count` meetings or up to and including `last_day` (local), at most MAX_SESSIONS."""
    if frequency not in _RULES:
        raise ServiceError(_("Choose how often the meetings repeat."), "frequency")
    freq, interval = _RULES[frequency]
    start = to_local(first_starts_at, zone).replace(tzinfo=None)
    until = datetime.combine(last_day, time.max) if last_day is not None else None
    if until is not None:
        rule = rrule(freq, interval=interval, dtstart=start, until=until)
    else:
        rule = rrule(freq, interval=interval, dtstart=start,
                     count=min(count or MAX_SESSIONS, MAX_SESSIONS))
    return [on_wall_clock(occurrence, zone) for occurrence in islice(rule, MAX_SESSIONS)]


def shifted(moment: datetime, days: int, at: time, zone: str = ZONE) -> datetime:
    """The same meeting `days` later on the local calendar, at local time `at` (for "this
    and following": every meeting moves by whole days and takes the new hour)."""
    local_day = to_local(moment, zone).date() + timedelta(days=days)
    return on_wall_clock(datetime.combine(local_day, at), zone)
