"""Meetings across the changes to and from summer time: a series keeps its local hour (19:30
stays 19:30 while the UTC hour moves), the hour the clock skips in March is refused at the
field, the hour it repeats in October is the first of the two, and "this and following"
moves meetings to the same local hour on both sides of a change."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from app.database import utcnow
from app.errors import ServiceError
from app.extensions import db
from app.meetings import recurrence
from tests.conftest import csrf_token, login
from tests.meetings import ZONE, fields, local_times, meetings_of

UTC = timezone.utc


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _utc_hours(starts) -> list[str]:
    return [s.astimezone(UTC).strftime("%H:%M") for s in starts]


def _local(starts) -> list[str]:
    return [s.astimezone(ZONE).strftime("%m-%d %H:%M") for s in starts]


def test_weekly_series_keeps_its_local_hour_across_the_march_change():
    first = datetime(2027, 3, 16, 19, 30, tzinfo=ZONE)  # a Tuesday; clocks go forward 28 March
    starts = recurrence.expand(first.astimezone(UTC), "weekly", count=4)
    assert _local(starts) == ["03-16 19:30", "03-23 19:30", "03-30 19:30", "04-06 19:30"]
    assert _utc_hours(starts) == ["18:30", "18:30", "17:30", "17:30"]


def test_weekly_series_keeps_its_local_hour_across_the_october_change():
    first = datetime(2027, 10, 19, 19, 30, tzinfo=ZONE)  # clocks go back 31 October
    starts = recurrence.expand(first.astimezone(UTC), "weekly", count=3)
    assert _local(starts) == ["10-19 19:30", "10-26 19:30", "11-02 19:30"]
    assert _utc_hours(starts) == ["17:30", "17:30", "18:30"]


def test_fortnightly_and_monthly_series_cross_both_changes_at_the_same_local_hour():
    first = datetime(2027, 2, 10, 10, 0, tzinfo=ZONE)
    monthly = recurrence.expand(first.astimezone(UTC), "monthly", count=10)
    assert {s.astimezone(ZONE).strftime("%d %H:%M") for s in monthly} == {"10 10:00"}
    assert set(_utc_hours(monthly)) == {"09:00", "08:00"}
    fortnightly = recurrence.expand(first.astimezone(UTC), "fortnightly",
                                    last_day=date(2027, 11, 30))
    assert {s.astimezone(ZONE).strftime("%H:%M") for s in fortnightly} == {"10:00"}
    assert fortnightly[-1].astimezone(ZONE).date() <= date(2027, 11, 30)
    assert all(b - a in (timedelta(days=14), timedelta(days=14, hours=1),
                         timedelta(days=14, hours=-1)) for a, b in zip(fortnightly, fortnightly[1:]))


def test_a_repetition_in_the_skipped_hour_moves_forward_by_that_hour():
    first = datetime(2027, 3, 21, 2, 30, tzinfo=ZONE)  # Sundays at 02:30
    starts = recurrence.expand(first.astimezone(UTC), "weekly", count=2)
    assert _local(starts) == ["03-21 02:30", "03-28 03:30"]


def test_the_skipped_march_hour_is_refused_and_the_repeated_october_hour_is_the_first(
        sqlite_app):
    with sqlite_app.test_request_context():
        with pytest.raises(ServiceError) as refused:
            recurrence.local_moment(date(2027, 3, 28), time(2, 30), field="start_time")
        assert refused.value.field == "start_time"
        first = recurrence.local_moment(date(2027, 10, 31), time(2, 30))
        assert first == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # still summer time
        assert recurrence.local_moment(date(2027, 10, 31), time(3, 30)) == \
            datetime(2027, 10, 31, 2, 30, tzinfo=UTC)


def test_shifting_a_meeting_across_a_change_keeps_the_local_hour():
    before = datetime(2027, 3, 23, 19, 30, tzinfo=ZONE).astimezone(UTC)
    after = recurrence.shifted(before, 7, time(20, 0))
    assert after.astimezone(ZONE).strftime("%m-%d %H:%M") == "03-30 20:00"
    assert after.astimezone(UTC).strftime("%H:%M") == "18:00"


# --- through the pages, on Kring's clock moved to just before a change ------------------------

def _before_next_change(world, clock, month: int):
    """A space, with Kring's clock three weeks before the next change in `month` (the
    rental around it), and the change day."""
    today = utcnow().date()
    change = _last_sunday(today.year, month)
    if change < today + timedelta(days=30):
        change = _last_sunday(today.year + 1, month)
    moment = datetime.combine(change - timedelta(days=21), time(12), tzinfo=UTC)
    clock.move(moment - utcnow())
    slug, lead = world.space()
    with world.ctx():
        space = world.space_obj(slug)
        space.rental_start, space.rental_end = date(2000, 1, 1), change + timedelta(days=200)
        db.session.commit()
    return slug, lead, change


def _post(app, person, path, data):
    client = app.test_client()
    login(client, person)
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


@pytest.mark.parametrize("month, utc_before, utc_after", [(3, "18:30", "17:30"),
                                                          (10, "17:30", "18:30")])
def test_a_series_planned_through_the_form_keeps_1930_across_the_change(
        app, world, clock, month, utc_before, utc_after):
    slug, lead, change = _before_next_change(world, clock, month)
    first = change - timedelta(days=12)
    response = _post(app, lead, f"/s/{slug}/meetings/new",
                     fields(first, repeat="weekly", session_count="4"))
    assert response.status_code == 302
    meetings = meetings_of(world, slug)
    assert [t[-5:] for t in local_times(meetings)] == ["19:30"] * 4
    assert _utc_hours([m.starts_at for m in meetings]) == [utc_before] * 2 + [utc_after] * 2
    assert {m.ends_at - m.starts_at for m in meetings} == {timedelta(minutes=90)}


def test_the_skipped_hour_on_the_form_is_refused_at_the_field_with_the_text_kept(
        app, world, clock):
    slug, lead, change = _before_next_change(world, clock, 3)
    response = _post(app, lead, f"/s/{slug}/meetings/new",
                     fields(change, start="02:30", end="04:00", topic="Nachtdienst"))
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="start_time-error"' in body and "bestaat niet" in body
    assert "Nachtdienst" in body
    assert meetings_of(world, slug) == []


def test_this_and_following_moves_across_the_change_to_the_same_local_hour(app, world, clock):
    slug, lead, change = _before_next_change(world, clock, 3)
    first = change - timedelta(days=12)  # Tuesdays
    _post(app, lead, f"/s/{slug}/meetings/new", fields(first, repeat="weekly", session_count="4"))
    second = meetings_of(world, slug)[1]
    # From the second meeting on: Wednesdays, 20:00–21:30.
    response = _post(app, lead, f"/s/{slug}/meetings/{second.id}/following",
                     {"start_date": (first + timedelta(days=8)).isoformat(),
                      "start_time": "20:00", "end_time": "21:30", "place": "", "room_url": ""})
    assert response.status_code == 302
    meetings = meetings_of(world, slug)
    assert local_times(meetings) == [
        f"{first} 19:30", *(f"{first + timedelta(days=1 + 7 * n)} 20:00" for n in (1, 2, 3))]
    assert _utc_hours([m.starts_at for m in meetings[1:]]) == ["19:00", "18:00", "18:00"]
