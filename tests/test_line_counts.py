"""The line's pages take a pinned number of SQL statements, the same with one short line and
with many members and long lines (unread markers and positions come from one join, not a
query per member)."""
from __future__ import annotations

from app.extensions import db
from app.line import service
from app.spaces.models import Membership
from tests.conftest import QueryCounter, login

# page -> statements per request (after a warm-up visit that may write a read position):
# the user, the actor with memberships and spaces, the space, the unread notification count,
# then the page's own: the list (members, lines and the reader's positions in one), or the
# line (member, line and position in one; then its messages with their authors).
PINNED = {"lines list": 4, "line of a member": 5, "own line": 5}


def _fill(world, slug, lead, *, members: int, messages: int):
    people = [world.member(slug, lead, name=f"Deelnemer {n}") for n in range(members)]
    with world.ctx():
        space = world.space_obj(slug)
        for n, person in enumerate(people):
            if n % 3 == 2:
                continue  # some members have no line yet
            actor = world.actor(person.user_id)
            lead_actor = world.actor(lead.user_id)
            for m in range(messages):
                service.write_to_facilitators(actor, space, body=f"Bericht {m} van {n}")
                service.write_to_member(lead_actor, space,
                                        db.session.get(Membership, person.membership_id),
                                        body=f"Antwoord {m} aan {n}")
    return people[0]


def _count(app, client, path: str) -> int:
    client.get(path)
    with app.app_context():
        engine = db.engine
    with QueryCounter(engine) as counter:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return counter.count


def _measure(app, world, *, members: int, messages: int) -> dict[str, int]:
    slug, lead = world.space(seat_limit=80)
    first = _fill(world, slug, lead, members=members, messages=messages)
    leads, member = app.test_client(), app.test_client()
    login(leads, lead)
    login(member, first)
    return {"lines list": _count(app, leads, f"/s/{slug}/line"),
            "line of a member": _count(app, leads, f"/s/{slug}/line/{first.membership_id}"),
            "own line": _count(app, member, f"/s/{slug}/line")}


def test_line_pages_take_a_pinned_number_of_statements_with_little_and_much_data(app, world):
    small = _measure(app, world, members=1, messages=1)
    large = _measure(app, world, members=10, messages=26)  # 52 messages a line: two pages
    problems = [f"{page}: {small[page]} with little data, {large[page]} with much, "
                f"pinned {PINNED[page]}" for page in PINNED
                if not small[page] == large[page] == PINNED[page]]
    assert not problems, "\n".join(problems)
