"""The attendance and calendar pages take a pinned number of SQL statements, the same with
one member and one meeting as with many members, meetings, cancellations, periods away and
records (tests/test_statement_counts.py pins the other pages the same way)."""
from __future__ import annotations

from datetime import date, timedelta

from app.extensions import db
from app.meetings import attendance
from app.meetings.models import Meeting
from app.spaces.models import Membership
from tests.attendance import add_meeting, client_of
from tests.conftest import QueryCounter, csrf_token

PINNED = {
    # Every space page starts with 3: the user, the actor's memberships with their spaces
    # (the space of the URL among them) and the unread count in the menu. Then the meeting, and the list in one query (members with
    # their cancellations and periods away).
    "meeting attendance": 5,
    "absence page": 5,  # the meeting + the member's own status in one query
    # the meetings held, the next ones, the member's attendance rows and periods away
    "my attendance": 7,
    "member attendance": 8,  # + the member looked up in the space
    "away": 4,  # the member's periods away
    "account calendar": 4,  # user, memberships, unread count, the feed
    "calendar feed": 4,  # feed, user, memberships, the meetings with their spaces
}


def _fill(app, world, clock, *, members: int, meetings: int):
    slug, lead = world.space()
    people = [world.member(slug, lead, name=f"Deelnemer {n}") for n in range(members)]
    ids = [add_meeting(world, slug, starts_in=timedelta(hours=1 + 24 * n), topic=f"Thema {n}")
           for n in range(meetings)]
    with world.ctx():
        for n, person in enumerate(people):
            actor = world.actor(person.user_id)
            if n % 2 == 0:
                attendance.send_absence(actor, db.session.get(Meeting, ids[0]), reason="Ziek")
            if n % 3 == 0:
                attendance.mark_away(actor, world.space_obj(slug),
                                     first_day=date.today() + timedelta(days=1),
                                     last_day=date.today() + timedelta(days=3 + n),
                                     reason="Weg")
            db.session.get(Membership, person.membership_id).commitment_sessions = 6
        db.session.commit()
    return slug, lead, people, ids


def _paths(slug, lead, people, ids, token) -> dict[str, tuple[object, str]]:
    return {
        "meeting attendance": ("lead", f"/s/{slug}/meetings/{ids[0]}/attendance"),
        "absence page": ("member", f"/s/{slug}/meetings/{ids[-1]}/absence"),
        "my attendance": ("member", f"/s/{slug}/meetings/mine"),
        "member attendance": ("lead", f"/s/{slug}/members/{people[0].membership_id}/attendance"),
        "away": ("member", f"/s/{slug}/meetings/away"),
        "account calendar": ("member", "/account/calendar"),
        "calendar feed": ("anonymous", f"/calendar/{token}.ics"),
    }


def _measure(app, world, clock, slug, lead, people, ids) -> dict[str, int]:
    import re

    member = client_of(app, people[0])
    page = member.post("/account/calendar/link",
                       data={"csrf_token": csrf_token(member, "/account/calendar")},
                       follow_redirects=True).get_data(as_text=True)
    token = re.search(r"/calendar/([\w-]+)\.ics", page).group(1)
    clients = {"lead": client_of(app, lead), "member": member, "anonymous": app.test_client()}
    with app.app_context():
        engine = db.engine
    counts = {}
    for name, (who, path) in _paths(slug, lead, people, ids, token).items():
        clients[who].get(path)
        with QueryCounter(engine) as counter:
            response = clients[who].get(path)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = counter.count
    return counts


def test_attendance_pages_take_a_pinned_number_of_statements(app, world, clock):
    small = _measure(app, world, clock, *_fill(app, world, clock, members=1, meetings=1))
    large = _measure(app, world, clock, *_fill(app, world, clock, members=12, meetings=20))
    clock.move(timedelta(hours=2))  # after the start: the record form, same count
    after = _measure(app, world, clock, *_fill(app, world, clock, members=12, meetings=20))
    print(f"statements: small {small} large {large} after the start {after}")
    problems = [f"{page}: {small[page]} / {large[page]} / {after[page]}, pinned {PINNED[page]}"
                for page in PINNED
                if not small[page] == large[page] == after[page] == PINNED[page]]
    assert not problems, "\n".join(problems)
