"""The audit pages: a space's facilitators read that space's events with people under their
names in that space (never an email, never another space); operators read everything with
account ids (emails of operators only); filters and the window pager work without
JavaScript; the CSV holds the filtered rows with formula starts defused; the number of
statements does not grow with the rows."""
from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta, timezone

import pytest

from app.audit import events
from app.audit.models import AuditEvent
from app.audit.queries import PER_PAGE
from app.extensions import db
from app.spaces import members
from app.spaces.models import Membership
from tests.conftest import QueryCounter, login

ADDRESS = "203.0.113.77"


def _sid(world, slug):
    with world.ctx():
        return world.space_obj(slug).id


def _change_role(app, world, lead, member, role="moderator"):
    with app.test_request_context(environ_base={"REMOTE_ADDR": ADDRESS}):
        members.change_role(world.actor(lead.user_id),
                            db.session.get(Membership, member.membership_id), role=role)


def _add(app, n: int, **fields) -> None:
    """n events straight into the table (the pager and the CSV escaping need many or odd
    rows; the services' own events are tested in tests/test_audit_events.py)."""
    with app.app_context():
        now = datetime.now(timezone.utc)
        for k in range(n):
            db.session.add(AuditEvent(**{"event": events.ROLE_CHANGED,
                                         "at": now - timedelta(minutes=k), "ip_prefix": "",
                                         "detail": "", **fields}))
        db.session.commit()


def _table(html: str) -> str:
    match = re.search(r'<table class="log audit">.*?</table>', html, re.S)
    return match.group(0) if match else ""


@pytest.fixture
def two_groups(app, world):
    slug_a, lead_a = world.space()
    member_a = world.member(slug_a, lead_a, name="Anouk")
    slug_b, lead_b = world.space()
    member_b = world.member(slug_b, lead_b, name="Bram uit B")
    _change_role(app, world, lead_a, member_a)
    _change_role(app, world, lead_b, member_b)
    return (slug_a, lead_a, member_a), (slug_b, lead_b, member_b)


# --- a space's page ---------------------------------------------------------------------------

def test_facilitator_sees_own_space_events_under_display_names(app, client, world, two_groups):
    (slug_a, lead_a, member_a), (_slug_b, _lead_b, member_b) = two_groups
    login(client, lead_a)
    response = client.get(f"/s/{slug_a}/audit")
    assert response.status_code == 200
    table = _table(response.get_data(as_text=True))
    assert "Rol gewijzigd" in table and "Anouk" in table and f"Begeleider {slug_a}" in table
    assert "voor: Deelnemer; na: Moderator" in table
    assert "203.0.113.0/24" in table and ADDRESS not in table
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">', table)
    assert "@" not in table  # names only, never an email
    assert "Bram uit B" not in table


def test_facilitator_never_sees_another_space_events(app, client, world, two_groups):
    (slug_a, lead_a, _m), (slug_b, lead_b, member_b) = two_groups
    login(client, lead_a)
    html = client.get(f"/s/{slug_a}/audit?event=role_changed").get_data(as_text=True)
    assert _table(html).count("<tr>") == 1 + 1  # the header and A's one role change
    csv_body = client.get(f"/s/{slug_a}/audit.csv").get_data(as_text=True)
    assert "Bram uit B" not in csv_body and f"Begeleider {slug_b}" not in csv_body
    assert client.get(f"/s/{slug_b}/audit").status_code == 404
    assert client.get(f"/s/{slug_b}/audit.csv").status_code == 404


def test_someone_who_is_not_in_the_space_is_not_named(app, client, world):
    """An invitation to an address with an account elsewhere: the facilitator learns nothing
    of that account (no email, no name from another space)."""
    slug_a, lead_a = world.space()
    slug_b, lead_b = world.space()
    elsewhere = world.member(slug_b, lead_b, name="Naam in B")
    world.invite_token(slug_a, lead_a, email=elsewhere.email)
    login(client, lead_a)
    table = _table(client.get(f"/s/{slug_a}/audit").get_data(as_text=True))
    assert "iemand buiten de groep" in table
    assert "Naam in B" not in table and elsewhere.email not in table


@pytest.mark.parametrize("role", ["member", "moderator", "cofacilitator"])
def test_members_and_co_facilitators_may_not_read_the_audit_trail(app, client, world, role):
    slug, lead = world.space()
    person = world.member(slug, lead, role=role)
    login(client, person)
    assert client.get(f"/s/{slug}/audit").status_code == 403
    assert client.get(f"/s/{slug}/audit.csv").status_code == 403
    assert "/audit" not in client.get(f"/s/{slug}/").get_data(as_text=True)


def test_facilitator_finds_the_audit_trail_in_the_space_menu(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    assert f'href="/s/{slug}/audit"' in client.get(f"/s/{slug}/").get_data(as_text=True)


def test_audit_trail_stays_readable_after_the_rental_ends(app, client, world):
    from app.admin import service as admin

    slug, lead = world.space()
    with world.ctx():
        admin.end_rental(world.actor(world.operator.user_id), world.space_obj(slug))
    login(client, lead)
    table = _table(client.get(f"/s/{slug}/audit").get_data(as_text=True))
    assert "Huur beëindigd" in table and "platformbeheerder" in table


# --- filters and the pager --------------------------------------------------------------------

def test_filters_by_event_and_period(app, client, world, two_groups):
    (slug_a, lead_a, _m), _b = two_groups
    login(client, lead_a)
    today = datetime.now(timezone.utc).date()
    only_roles = _table(client.get(f"/s/{slug_a}/audit?event=role_changed").get_data(as_text=True))
    assert "Rol gewijzigd" in only_roles and "Uitnodiging verstuurd" not in only_roles
    later = (today + timedelta(days=2)).isoformat()
    html = client.get(f"/s/{slug_a}/audit?since={later}").get_data(as_text=True)
    assert "Er zijn geen gebeurtenissen die passen." in html and not _table(html)
    earlier, tomorrow = (today - timedelta(days=2)).isoformat(), today + timedelta(days=1)
    assert "Rol gewijzigd" in _table(client.get(  # tomorrow: Amsterdam may be a day ahead
        f"/s/{slug_a}/audit?since={earlier}&until={tomorrow.isoformat()}").get_data(as_text=True))


@pytest.mark.parametrize("query", ["since=gisteren", "event=login", "event=bestaat-niet",
                                   "since=2026-12-10&until=2026-12-01"])
def test_bad_filter_says_why_at_the_field_with_status_400(app, client, world, query):
    slug, lead = world.space()
    login(client, lead)
    for path in (f"/s/{slug}/audit?{query}", f"/s/{slug}/audit.csv?{query}"):
        response = client.get(path)
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert 'class="error"' in html and 'aria-invalid="true"' in html


def test_pager_shows_a_window_of_pages_and_no_total(app, client, world):
    slug, lead = world.space()
    _add(app, PER_PAGE * 5, space_id=_sid(world, slug), actor_user_id=lead.user_id)
    login(client, lead)
    first = client.get(f"/s/{slug}/audit?event=role_changed").get_data(as_text=True)
    assert _table(first).count("<tr>") == PER_PAGE + 1
    pages = re.findall(r"page=(\d+)", first)
    assert sorted(set(map(int, pages))) == [2, 3, 4]  # two pages on, then "Older" to page 4
    third = client.get(f"/s/{slug}/audit?event=role_changed&page=3").get_data(as_text=True)
    assert sorted(set(map(int, re.findall(r"page=(\d+)", third)))) == [1, 2, 4, 5]
    last = client.get(f"/s/{slug}/audit?event=role_changed&page=5").get_data(as_text=True)
    assert _table(last).count("<tr>") == PER_PAGE + 1 and "page=6" not in last
    beyond = client.get(f"/s/{slug}/audit?event=role_changed&page=9")
    assert beyond.status_code == 200 and "Terug naar de nieuwste" in beyond.get_data(as_text=True)


# --- the operators' page ----------------------------------------------------------------------

def test_operator_sees_platform_and_space_events_with_account_numbers(app, client, world, two_groups):
    (slug_a, lead_a, member_a), (slug_b, _lead_b, member_b) = two_groups
    login(client, world.operator)
    response = client.get("/admin/audit")
    assert response.status_code == 200
    table = _table(response.get_data(as_text=True))
    assert slug_a in table and slug_b in table
    assert f"#{member_a.user_id}" in table and f"#{member_b.user_id}" in table
    assert "Platformbeheerder gemaakt" in table
    # Members as account numbers only: the operator never learns who is in which group.
    assert member_a.email not in table and lead_a.email not in table
    assert "Anouk" not in table
    assert world.operator.email in table  # an operator (staff) with the email


def test_operator_filters_on_one_space(app, client, world, two_groups):
    (slug_a, _lead_a, member_a), (_slug_b, _lead_b, member_b) = two_groups
    login(client, world.operator)
    sid = _sid(world, slug_a)
    table = _table(client.get(f"/admin/audit?space={sid}&event=role_changed").get_data(as_text=True))
    assert f"#{member_a.user_id}" in table and f"#{member_b.user_id}" not in table
    assert client.get("/admin/audit?space=abc").status_code == 400


def test_only_operators_open_the_platform_audit_trail(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit.csv").status_code == 403
    anonymous = app.test_client()
    assert anonymous.get("/admin/audit").status_code == 302


def test_admin_pages_link_to_the_audit_trail(app, client, world):
    slug, _lead = world.space()
    login(client, world.operator)
    assert 'href="/admin/audit"' in client.get("/admin/spaces").get_data(as_text=True)
    sid = _sid(world, slug)
    assert f'href="/admin/audit?space={sid}"' in client.get(
        f"/admin/spaces/{slug}").get_data(as_text=True)


# --- CSV --------------------------------------------------------------------------------------

def _csv_rows(body: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body)))


def test_csv_holds_the_filtered_rows(app, client, world, two_groups):
    (slug_a, lead_a, _m), _b = two_groups
    login(client, lead_a)
    response = client.get(f"/s/{slug_a}/audit.csv?event=role_changed")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    table = _csv_rows(response.get_data(as_text=True))
    assert len(table) == 2
    assert table[1][3] == "role_changed" and table[1][5] == f"Begeleider {slug_a}"
    assert table[1][6] == "Anouk" and table[1][7] == "203.0.113.0/24"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", table[1][1])


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_defuses_cells_a_spreadsheet_would_run(app, client, world, start):
    slug, lead = world.space()
    hostile = f"{start}HYPERLINK(\"http://evil.example\")"
    member = world.member(slug, lead, name=f"{start}1+2 naam" if start not in "\t\r" else "Lid x")
    _change_role(app, world, lead, member)
    _add(app, 1, space_id=_sid(world, slug), detail=hostile)
    login(client, lead)
    space_rows = _csv_rows(client.get(f"/s/{slug}/audit.csv").get_data(as_text=True))
    cells = [cell for row in space_rows[1:] for cell in row]
    assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in cells)
    if start not in "\t\r":
        assert f"'{start}1+2 naam" in cells
    login(client, world.operator)
    platform_rows = _csv_rows(client.get("/admin/audit.csv").get_data(as_text=True))
    assert f"'{hostile}" in [cell for row in platform_rows for cell in row]


# --- statements -------------------------------------------------------------------------------

# The space's page: the door of every space page (user, memberships, space; the menu's
# unread count), the page's events, the count of at most two pages after it, the names of
# everyone on it (one query). The operators': user, memberships, events, the window count,
# the spaces (filter and names), the operators' emails. The CSVs without the window count
# (and the space's without the menu).
PINNED = {"space audit": 6, "space audit csv": 4, "platform audit": 6, "platform audit csv": 5}


def _count(app, client, path):
    client.get(path)
    with app.app_context():
        engine = db.engine
    with QueryCounter(engine) as counter:
        assert client.get(path).status_code == 200
    return counter.count


def test_audit_pages_take_a_fixed_number_of_statements_whatever_the_rows(app, world):
    slug, lead = world.space()
    sid = _sid(world, slug)
    lead_client, operator_client = app.test_client(), app.test_client()
    login(lead_client, lead)
    login(operator_client, world.operator)
    paths = {"space audit": (lead_client, f"/s/{slug}/audit"),
             "space audit csv": (lead_client, f"/s/{slug}/audit.csv"),
             "platform audit": (operator_client, "/admin/audit"),
             "platform audit csv": (operator_client, "/admin/audit.csv")}
    counts = []
    for grow in (0, 3 * PER_PAGE):
        people = [world.member(slug, lead, name=f"Lid {grow} {k}") for k in range(3)]
        for k in range(grow):
            _add(app, 1, space_id=sid, actor_user_id=lead.user_id,
                 subject_user_id=people[k % 3].user_id)
        counts.append({page: _count(app, c, path) for page, (c, path) in paths.items()})
    assert counts[0] == counts[1] == PINNED, counts
