"""The intake pages take a pinned number of SQL statements, the same with one registration
and with many (the list is one query; the public page one)."""
from __future__ import annotations

import json

from app.database import utcnow
from app.extensions import db
from app.intake.models import STATUSES, Registration
from tests.conftest import QueryCounter, login
from tests.intake import open_interest_page

PINNED = {
    "registrations": 4,  # the door (user, actor with the spaces) + the list in one query
    "registration": 5,  # + the registration, + the interest page (the decline text)
    "intake setup": 4,
    "interest page": 1,  # the page and its space in one query; no session, no user
    "sent": 1,
}


def _registrations(world, slug: str, n: int) -> int:
    with world.ctx():
        space_id, now = world.space_obj(slug).id, utcnow()
        rows = [Registration(space_id=space_id, name=f"Kandidaat {i}",
                             email=f"k{i}@example.org", status=STATUSES[i % 5],
                             answers=json.dumps([["Waarom?", f"Antwoord {i}"]]),
                             created_at=now, mailed_at=now, confirm_by=now, confirmed_at=now)
                for i in range(n)]
        db.session.add_all(rows)
        db.session.commit()
        return rows[0].id


def _count(app, client, path: str) -> int:
    client.get(path)
    with app.app_context():
        engine = db.engine
    with QueryCounter(engine) as counter:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return counter.count


def _measure(app, world, n: int) -> dict[str, int]:
    slug, lead = world.space()
    key = open_interest_page(world, slug, lead)
    first = _registrations(world, slug, n)
    client = app.test_client()
    login(client, lead)
    anonymous = app.test_client()
    return {
        "registrations": _count(app, client, f"/s/{slug}/intake"),
        "registration": _count(app, client, f"/s/{slug}/intake/{first}"),
        "intake setup": _count(app, client, f"/s/{slug}/intake/setup"),
        "interest page": _count(app, anonymous, f"/aanmelden/{key}"),
        "sent": _count(app, anonymous, f"/aanmelden/{key}/verstuurd"),
    }


def test_intake_pages_take_a_pinned_number_of_statements_with_few_and_many_rows(app, world):
    small, large = _measure(app, world, 1), _measure(app, world, 40)
    problems = [f"{page}: {small[page]} with one registration, {large[page]} with 40, "
                f"pinned {PINNED[page]}" for page in PINNED
                if not small[page] == large[page] == PINNED[page]]
    assert not problems, "\n".join(problems)
