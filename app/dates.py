"""The one way Kring shows a moment or a day: "3 dec. 2026, 20:15" / "3 Dec 2026, 20:15" and
"3 dec. 2026", in the reader's language and Kring's time zone; never seconds. Machines get
the same moment in UTC with its zone (`<time datetime="2026-12-03T19:15:42Z">`)."""
from __future__ import annotations

from datetime import date, datetime, timezone

from flask_babel import format_date, format_datetime

MOMENT = "d MMM y, HH:mm"
DAY = "d MMM y"


def format_moment(value: datetime | None) -> str:
    """A stored UTC moment as the reader sees it (Jinja filter `datetime`)."""
    return format_datetime(value, MOMENT) if value is not None else ""


def format_day(value: date | None) -> str:
    """A calendar day (a rental date) without a time (Jinja filter `date`)."""
    return format_date(value, DAY) if value is not None else ""


def machine_moment(value: datetime | None) -> str:
    """A moment for a `datetime` attribute (Jinja filter `machine`): UTC with the zone said
    ("Z"), whole seconds. A naive value is taken as the UTC the database stores."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_sortable_moment(value: datetime | None) -> str:
    """A moment for exports that spreadsheets sort ("2026-12-03 20:15"), in Kring's zone."""
    return format_datetime(value, "yyyy-MM-dd HH:mm") if value is not None else ""


def format_short_day(value: datetime) -> str:
    """A meeting's day on the group's clock: "di 14 jan." (with the year when it is not
    this year's)."""
    from app.database import utcnow

    this_year = format_date(utcnow(), "y") == format_date(value, "y")
    return format_datetime(value, "EEE d MMM" if this_year else "EEE d MMM y")


def format_span(start: datetime, end: datetime) -> str:
    """A meeting's time: "di 14 jan. 19:30–21:00"; past midnight the end names its day."""
    same_day = format_date(start, "yMd") == format_date(end, "yMd")
    end_text = format_datetime(end, "HH:mm") if same_day else \
        f"{format_short_day(end)} {format_datetime(end, 'HH:mm')}"
    return f"{format_short_day(start)} {format_datetime(start, 'HH:mm')}–{end_text}"


def format_day_month(value: date) -> str:
    """A day without its year, for short labels such as a chart's weeks: "14 jan."."""
    return format_date(value, "d MMM")


def format_approximate(value: datetime, now: datetime) -> str:
    """Roughly when ("vandaag, rond 14:00", "gisteren, rond 09:30", "3 dec. 2026"): for
    times that are approximate on purpose, such as a session's last use. The clock time is
    rounded to the half hour."""
    from datetime import timedelta

    from flask_babel import gettext as _
    from flask_babel import to_user_timezone

    local, today = to_user_timezone(value), to_user_timezone(now).date()
    rounded = (local + timedelta(minutes=15)).replace(minute=0, second=0, microsecond=0)
    if local.minute + 15 >= 30 and local.minute + 15 < 60:
        rounded = rounded.replace(minute=30)
    around = rounded.strftime("%H:%M")
    if local.date() == today:
        return _("today, around %(time)s", time=around)
    if local.date() == today - timedelta(days=1):
        return _("yesterday, around %(time)s", time=around)
    return format_day(local.date())
