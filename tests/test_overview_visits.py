"""A member's last visit (Membership.last_seen_on): kept to the day, written by the first
successful space page of the day with one UPDATE and by no later page that day, shown only
on the facilitators' overview."""
from __future__ import annotations

import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from app.database import utcnow
from app.extensions import db
from app.spaces.models import Membership
from tests.conftest import QueryCounter, login
from tests.overview import set_membership


def _seen(world, person):
    with world.ctx():
        return db.session.get(Membership, person.membership_id).last_seen_on


def _today() -> date:
    return utcnow().astimezone(ZoneInfo("Europe/Amsterdam")).date()


def _visit_updates(app, client, path) -> tuple[int, int]:
    """(status, UPDATEs of memberships) for one request."""
    with app.app_context():
        engine = db.engine
    with QueryCounter(engine) as counter:
        status = client.get(path).status_code
    return status, sum(1 for s in counter.statements
                       if s.lstrip().upper().startswith("UPDATE MEMBERSHIPS"))


def test_first_page_of_the_day_records_the_visit_to_the_day(app, client, world):
    slug, lead = world.space()
    anouk = world.member(slug, lead, name="Anouk")
    assert _seen(world, anouk) is None
    login(client, anouk)
    assert _visit_updates(app, client, f"/s/{slug}/") == (200, 1)
    seen = _seen(world, anouk)
    assert seen == _today()
    assert type(seen) is date  # a day, never a moment


def test_later_pages_that_day_write_nothing(app, client, world):
    slug, lead = world.space()
    anouk = world.member(slug, lead, name="Anouk")
    thread = world.thread(slug, lead)
    login(client, anouk)
    client.get(f"/s/{slug}/")
    for path in (f"/s/{slug}/", f"/s/{slug}/t/{thread}", f"/s/{slug}/members",
                 f"/s/{slug}/library", f"/s/{slug}/agreement"):
        assert _visit_updates(app, client, path) == (200, 0), path


def test_the_next_day_the_first_page_writes_once_more(app, client, world, clock):
    slug, lead = world.space()
    anouk = world.member(slug, lead, name="Anouk")
    login(client, anouk)
    client.get(f"/s/{slug}/")
    first = _seen(world, anouk)
    clock.move(timedelta(days=1))
    assert _visit_updates(app, client, f"/s/{slug}/members") == (200, 1)
    assert _visit_updates(app, client, f"/s/{slug}/") == (200, 0)
    assert _seen(world, anouk) == first + timedelta(days=1)


def test_a_refused_page_records_no_visit(app, client, world):
    slug, lead = world.space()
    anouk = world.member(slug, lead, name="Anouk")
    login(client, anouk)
    assert _visit_updates(app, client, f"/s/{slug}/overview") == (403, 0)
    assert _visit_updates(app, client, f"/s/{slug}/t/999999") == (404, 0)
    assert _seen(world, anouk) is None


def test_a_visit_counts_for_its_own_space_only(app, client, world):
    slug, lead = world.space()
    other_slug, other_lead = world.space()
    anouk = world.member(slug, lead, name="Anouk")
    token = world.invite_token(other_slug, other_lead, email=anouk.email)
    elsewhere = world.accept(token, display_name="Anouk", email_user=anouk)
    login(client, anouk)
    client.get(f"/s/{other_slug}/")
    assert _seen(world, elsewhere) == _today()
    assert _seen(world, anouk) is None


def test_two_first_visits_racing_leave_one_day(app, world):
    """Two first pages of the day at once: both actors were loaded before either wrote; the
    conditional UPDATE makes the second a no-op and the day is stored once."""
    from app.spaces import visits

    slug, lead = world.space()
    anouk = world.member(slug, lead, name="Anouk")
    with world.ctx():
        first, second = world.actor(anouk.user_id), world.actor(anouk.user_id)
        space = world.space_obj(slug)
        assert visits.needs_visit(first, space) and visits.needs_visit(second, space)
        visits.record_visit(first, space, seen_on=first.today)
        visits.record_visit(second, space, seen_on=second.today)
        db.session.expire_all()
        assert not visits.needs_visit(world.actor(anouk.user_id), space)
    assert _seen(world, anouk) == _today()


def test_overview_shows_each_members_last_visit_by_the_day(app, client, world):
    slug, lead = world.space()
    today = _today()
    people = {name: world.member(slug, lead, name=name)
              for name in ("Anouk", "Bram", "Cas", "Daan")}
    set_membership(world, people["Anouk"], last_seen_on=today)
    set_membership(world, people["Bram"], last_seen_on=today - timedelta(days=1))
    set_membership(world, people["Cas"], last_seen_on=today - timedelta(days=9))
    login(client, lead)
    html = re.sub(r"\s+", " ", client.get(f"/s/{slug}/overview").get_data(as_text=True))

    def visit(name):
        card = html.split(f'id="member-{people[name].membership_id}"')[1]
        return card.split("Laatste bezoek</dt> <dd>")[1].split("</dd>")[0]

    assert visit("Anouk") == "Vandaag"
    assert visit("Bram") == "Gisteren"
    assert visit("Cas").startswith("9 dagen geleden (")
    assert visit("Daan") == "Nog niet"


def test_members_never_see_each_others_visits(app, world):
    slug, lead = world.space()
    anouk = world.member(slug, lead, name="Anouk")
    bram = world.member(slug, lead, name="Bram")
    thread = world.thread(slug, bram, title="Van Bram")
    reader = app.test_client()
    login(reader, anouk)
    pages = (f"/s/{slug}/", f"/s/{slug}/members", f"/s/{slug}/t/{thread}")

    def seen_by_anouk():
        return [re.sub(r'name="csrf_token"[^>]*>|value="[^"]{40,}"|nonce="[^"]*"', "",
                       reader.get(path).get_data(as_text=True)) for path in pages]

    seen_by_anouk()  # her own first reads change her own unread markers
    before = seen_by_anouk()
    visitor = app.test_client()
    login(visitor, bram)
    visitor.get(f"/s/{slug}/")
    assert _seen(world, bram) == _today()
    assert seen_by_anouk() == before
    assert all("Laatste bezoek" not in page for page in before)
    assert reader.get(f"/s/{slug}/overview").status_code == 403
