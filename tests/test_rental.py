"""The rental period means something: a space opens on its start date, is read-only after its
end date, and the platform operator changes, extends and ends rentals and looks after the
first facilitator's invitation at /admin/spaces/<slug> without seeing anything of the group."""
from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from babel.dates import format_date
from sqlalchemy import select

from app import policy
from app.dates import DAY
from app.extensions import db
from app.notify.models import OutboxMessage
from app.spaces.models import Invitation, Membership, Space
from tests.conftest import PASSWORD, QueryCounter, csrf_token, login
from tests.mail import inbox, mail_app, rendered_mail, run_deliver, text_part  # noqa: F401  (fixtures)

TODAY = date.today()


def _set_dates(world, slug: str, start: date, end: date) -> None:
    with world.ctx():
        space = world.space_obj(slug)
        space.rental_start, space.rental_end = start, end
        db.session.commit()


def _end(world, slug: str) -> None:
    _set_dates(world, slug, TODAY - timedelta(days=90), TODAY - timedelta(days=1))


def _not_started(world, slug: str) -> None:
    _set_dates(world, slug, TODAY + timedelta(days=14), TODAY + timedelta(days=200))


def _dutch(day: date) -> str:
    return format_date(day, DAY, locale="nl")


def _client(app, person):
    client = app.test_client()
    login(client, person)
    return client


def _html(response) -> str:
    return response.get_data(as_text=True)


def _space(world, slug: str) -> Space:
    with world.ctx():
        space = world.space_obj(slug)
        db.session.expunge(space)
        return space


# --- the rulebook -------------------------------------------------------------------------

def _actor_in(state_dates: tuple[date, date], role: str = "facilitator") -> tuple:
    start, end = state_dates
    space = Space(id=1, rental_start=start, rental_end=end, members_can_start_threads=True)
    membership = SimpleNamespace(id=1, space_id=1, role=role, ended_at=None, space=space,
                                 is_suspended=lambda now: False)
    user = SimpleNamespace(is_operator=False, email="x@example.org")
    return policy.Actor(user=user, memberships={1: membership}, today=TODAY), space


@pytest.mark.parametrize("role", ["member", "moderator", "cofacilitator", "facilitator"])
def test_after_the_end_date_every_permission_but_reading_and_leaving_is_refused(role):
    actor, _space_ = _actor_in((TODAY - timedelta(days=30), TODAY - timedelta(days=1)), role)
    granted = {p for p in policy.PERMISSIONS if policy.allowed(actor, p, 1)}
    # Reading includes the moderation queue and log for those who had them.
    # Everyone still sees the meetings that were held.
    reading = {"view_space", "leave_space", "view_meetings"}
    if role != "member":
        reading.add("view_queue")
    if role == "facilitator":
        # The facilitators keep their log, who came to which meeting, and their notes.
        reading |= {"read_moderation_log", "view_attendance", "keep_notes",
                    "read_evaluation_answers"}
        # In the grace period before the purge they still read the audit trail and make a
        # copy of the whole space (app/retention).
        reading |= {"view_audit", "export_space"}
    if role in ("cofacilitator", "facilitator"):
        # The leads still read a statement's counts, who answered an assignment, the
        # sessions' script, the facilitators' line and the participation overview (the last
        # two for co-facilitators only where the space allows it: app/policy/line.py).
        reading |= {"view_statement_results", "view_assignment_responses", "read_script",
                    "read_line", "view_overview"}
    assert granted == reading


@pytest.mark.parametrize("role", ["member", "facilitator"])
def test_before_the_start_date_only_leaving_is_allowed(role):
    actor, _space_ = _actor_in((TODAY + timedelta(days=1), TODAY + timedelta(days=30)), role)
    granted = {p for p in policy.PERMISSIONS if policy.allowed(actor, p, 1)}
    assert granted == {"leave_space"}


def test_the_first_and_last_rental_days_are_open():
    for dates in [(TODAY, TODAY + timedelta(days=3)), (TODAY - timedelta(days=3), TODAY)]:
        actor, space = _actor_in(dates)
        assert space.rental_state(TODAY) == "open"
        assert policy.can_edit_space(actor, space) and policy.can_invite_member(actor, space)
        assert not policy.space_is_closed(actor, space)


def test_the_local_day_decides_not_the_utc_day():
    from datetime import datetime, timezone

    # 23:30 UTC on 31 December is already 1 January in Amsterdam.
    late = datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc)
    assert policy.Actor(user=None, now=late).today == date(2027, 1, 1)


# --- members before the start and after the end --------------------------------------------

def test_space_that_has_not_opened_shows_when_it_opens_not_its_content(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    world.thread(slug, lead, title="Voorbereid gesprek", body="Nog geheim")
    _not_started(world, slug)
    for person in (lead, member):
        client = _client(app, person)
        response = client.get(f"/s/{slug}/")
        body = _html(response)
        assert response.status_code == 403
        assert f"opent op {_dutch(TODAY + timedelta(days=14))}" in body
        assert "Voorbereid gesprek" not in body and "Nog geheim" not in body
        # Every page of the space meets the same door.
        assert "Voorbereid gesprek" not in _html(client.get(f"/s/{slug}/members"))


def test_member_can_leave_a_space_that_has_not_opened(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    _not_started(world, slug)
    client = _client(app, member)
    assert client.get(f"/s/{slug}/leave").status_code == 200
    response = client.post(f"/s/{slug}/leave", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 302
    with world.ctx():
        assert db.session.get(Membership, member.membership_id).ended_at is not None


def test_first_facilitator_can_join_before_the_space_opens(app, world):
    operator = world.user(operator=True)
    with world.ctx():
        from app.spaces import service as spaces

        _space_, raw = spaces.create_space(
            world.actor(operator.user_id), name="Later", slug="later", theme="", description="",
            renter="Welzijn", rental_start=TODAY + timedelta(days=5),
            rental_end=TODAY + timedelta(days=50), seat_limit=5,
            facilitator_email="lead-later@example.org")
    lead = world.accept(raw, display_name="Begeleider")
    response = _client(app, lead).get("/s/later/")
    assert response.status_code == 403
    assert "opent op" in _html(response)


def test_ended_space_can_be_read_with_a_calm_banner_on_every_page(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread = world.thread(slug, lead, title="Oud gesprek", body="Wat we deelden")
    _end(world, slug)
    client = _client(app, member)
    banner = f"Deze groepsruimte is gesloten sinds {_dutch(TODAY)}"
    for path in (f"/s/{slug}/", f"/s/{slug}/t/{thread}?page=1", f"/s/{slug}/members",
                 f"/s/{slug}/agreement"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert banner in _html(response), path
    page = _html(client.get(f"/s/{slug}/t/{thread}?page=1"))
    assert "Wat we deelden" in page
    # Forms and buttons are gone because the templates ask the rulebook.
    assert f"/s/{slug}/t/{thread}/reply" not in page and "/react" not in page
    assert f"/s/{slug}/t/new" not in _html(client.get(f"/s/{slug}/"))
    assert f"/s/{slug}/members/me/name" not in _html(client.get(f"/s/{slug}/members"))
    lead_home = _html(_client(app, lead).get(f"/s/{slug}/"))
    assert f"/s/{slug}/invite" not in lead_home and f"/s/{slug}/settings" not in lead_home


def test_open_space_shows_no_closed_banner(app, world):
    slug, lead = world.space()
    assert "gesloten sinds" not in _html(_client(app, lead).get(f"/s/{slug}/"))


def test_nobody_joins_an_ended_space_with_an_old_invitation(app, world):
    slug, lead = world.space()
    raw = world.invite_token(slug, lead, email="laat@example.org")
    _end(world, slug)
    client = app.test_client()
    response = client.post(f"/invite/{raw}", data={
        "csrf_token": csrf_token(client, f"/invite/{raw}"), "password": PASSWORD,
        "display_name": "Laatkomer", "accept": "y"})
    assert response.status_code == 400
    assert "gesloten" in _html(response)
    with world.ctx():
        assert db.session.scalar(select(Membership.id).where(
            Membership.display_name == "Laatkomer")) is None


# --- the operator's list -------------------------------------------------------------------

def test_operator_sees_each_spaces_rental_state(app, world):
    ended, _l1 = world.space("afgelopen")
    later, _l2 = world.space("straks")
    world.space("lopend")
    _end(world, ended)
    _not_started(world, later)
    page = _html(_client(app, world.operator).get("/admin/spaces"))
    rows = {slug: re.search(rf'/admin/spaces/{slug}".*?</tr>', page, re.S).group(0)
            for slug in ("afgelopen", "straks", "lopend")}
    assert "Afgelopen" in rows["afgelopen"]
    assert "Nog niet begonnen" in rows["straks"]
    assert "Open" in rows["lopend"]


def _count(app, client, path: str) -> int:
    client.get(path)  # warm-up
    with app.app_context():
        engine = db.engine
    with QueryCounter(engine) as counter:
        response = client.get(path)
    assert response.status_code == 200, path
    return counter.count


def test_admin_pages_use_a_fixed_number_of_statements(app, world, record_property):
    slug, lead = world.space()
    world.member(slug, lead)
    client = _client(app, world.operator)
    one = {"list": _count(app, client, "/admin/spaces"),
           "detail": _count(app, client, f"/admin/spaces/{slug}")}
    for _n in range(12):
        other, other_lead = world.space()
        world.member(other, other_lead)
    client = _client(app, world.operator)
    many = {"list": _count(app, client, "/admin/spaces"),
            "detail": _count(app, client, f"/admin/spaces/{slug}")}
    record_property("admin_statements", {"1": one, "13": many})
    print(f"\nSQL statements on the admin pages, 1 space: {one}, 13 spaces: {many}")
    # The user, their memberships (none), the spaces with their seat counts; the detail page
    # adds the first facilitator's invitation and how its mail stands.
    assert one == many == {"list": 3, "detail": 5}


# --- changing a rental ---------------------------------------------------------------------

def _rental_form(world, slug: str, **changes) -> dict:
    space = _space(world, slug)
    data = {"name": space.name, "theme": space.theme, "description": space.description,
            "renter": space.renter, "rental_start": space.rental_start.isoformat(),
            "rental_end": space.rental_end.isoformat(), "seat_limit": str(space.seat_limit)}
    data.update(changes)
    return data


def _post(client, path: str, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, "/admin/spaces"), **data})


def test_operator_changes_name_theme_description_renter_dates_and_seats(app, world):
    slug, _lead = world.space()
    client = _client(app, world.operator)
    start, end = TODAY - timedelta(days=3), TODAY + timedelta(days=100)
    response = _post(client, f"/admin/spaces/{slug}", **_rental_form(
        world, slug, name="Nieuwe naam", theme="Rouw", description="Samen verder",
        renter="Stichting Anders", rental_start=start.isoformat(), rental_end=end.isoformat(),
        seat_limit="12"))
    assert response.status_code == 302
    space = _space(world, slug)
    assert (space.name, space.theme, space.description, space.renter) == (
        "Nieuwe naam", "Rouw", "Samen verder", "Stichting Anders")
    assert (space.rental_start, space.rental_end, space.seat_limit) == (start, end, 12)
    assert space.slug == slug


def test_seat_limit_never_drops_below_the_seats_in_use(app, world):
    slug, lead = world.space()
    world.member(slug, lead)
    world.member(slug, lead)
    client = _client(app, world.operator)
    response = _post(client, f"/admin/spaces/{slug}",
                     **_rental_form(world, slug, seat_limit="2", name="Bewaarde naam"))
    body = _html(response)
    assert response.status_code == 400
    assert re.search(r'id="seat_limit-error">.*3 plaatsen zijn in gebruik', body, re.S)
    assert 'value="Bewaarde naam"' in body  # the text typed is kept
    assert _space(world, slug).seat_limit == 50
    # Exactly the seats in use is fine.
    assert _post(client, f"/admin/spaces/{slug}",
                 **_rental_form(world, slug, seat_limit="3")).status_code == 302
    assert _space(world, slug).seat_limit == 3


def test_seats_in_use_are_counted_under_the_spaces_row_lock(app, world):
    """The lock joining takes (a no-op UPDATE of the space row: SQLite ignores SELECT ... FOR
    UPDATE) comes before the count, so no join can commit between the count and the limit."""
    from sqlalchemy import event

    slug, lead = world.space()
    client = _client(app, world.operator)
    data = {"csrf_token": csrf_token(client, "/admin/spaces"), **_rental_form(world, slug, seat_limit="9")}
    statements: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()).lower())

    with world.ctx():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        assert client.post(f"/admin/spaces/{slug}", data=data).status_code == 302
    finally:
        event.remove(engine, "before_cursor_execute", note)
    lock = next(i for i, s in enumerate(statements)
                if s.startswith("update spaces set seat_limit=spaces.seat_limit"))
    counted = next(i for i, s in enumerate(statements)
                   if s.startswith("select count(*)") and "from memberships" in s)
    assert lock < counted
    assert _space(world, slug).seat_limit == 9


@pytest.mark.parametrize("field, value, message", [
    ("rental_end", (TODAY - timedelta(days=400)).isoformat(), "moet na het begin liggen"),
    ("rental_end", "geen datum", None),
    ("seat_limit", "1", None),
    ("name", "   ", "verplicht"),
    ("renter", "R" * 201, "Maximaal 200"),
])
def test_operator_gets_a_message_at_the_field_for_a_refused_change(app, world, field, value,
                                                                   message):
    slug, _lead = world.space()
    client = _client(app, world.operator)
    response = _post(client, f"/admin/spaces/{slug}",
                     **_rental_form(world, slug, **{field: value}, theme="Bewaard thema"))
    body = _html(response)
    assert response.status_code == 400
    error = re.search(rf'id="{field}-error">(.*?)</div>', body, re.S)
    assert error, body
    if message:
        assert message in error.group(1)
    assert 'value="Bewaard thema"' in body
    space = _space(world, slug)
    assert space.theme == "Thema" and space.name == f"Groep {slug}"


def test_unknown_slug_is_not_found_on_every_admin_page(app, world):
    world.space()
    client = _client(app, world.operator)
    assert client.get("/admin/spaces/bestaat-niet").status_code == 404
    for tail in ("", "/extend", "/end", "/first-facilitator", "/first-facilitator/resend",
                 "/first-facilitator/withdraw"):
        assert _post(client, f"/admin/spaces/bestaat-niet{tail}").status_code == 404, tail


# --- extending and ending ------------------------------------------------------------------

def test_operator_ends_a_rental_and_the_space_is_read_only_from_today(app, world):
    slug, lead = world.space()
    thread = world.thread(slug, lead)
    client = _client(app, world.operator)
    response = _post(client, f"/admin/spaces/{slug}/end", **{"end-confirm": "y"})
    assert response.status_code == 302
    assert _space(world, slug).rental_end == TODAY - timedelta(days=1)
    assert "Afgelopen" in _html(client.get(f"/admin/spaces/{slug}"))
    lead_client = _client(app, lead)
    reply = lead_client.post(f"/s/{slug}/t/{thread}/reply", data={
        "csrf_token": csrf_token(lead_client, "/"), "body": "Nog iets"})
    assert reply.status_code == 403
    assert f"gesloten sinds {_dutch(TODAY)}" in _html(lead_client.get(f"/s/{slug}/"))


def test_ending_asks_for_a_ticked_box(app, world):
    slug, _lead = world.space()
    client = _client(app, world.operator)
    response = _post(client, f"/admin/spaces/{slug}/end")
    assert response.status_code == 400
    assert 'id="end-confirm-error"' in _html(response)
    assert _space(world, slug).rental_state(TODAY) == "open"


def test_ending_a_rental_that_has_not_started_keeps_a_valid_period(app, world):
    slug, _lead = world.space()
    _not_started(world, slug)
    assert _post(_client(app, world.operator), f"/admin/spaces/{slug}/end",
                 **{"end-confirm": "y"}).status_code == 302
    space = _space(world, slug)
    assert space.rental_start <= space.rental_end < TODAY
    assert space.rental_state(TODAY) == "ended"


def test_ending_an_ended_rental_is_refused_with_a_message(app, world):
    slug, _lead = world.space()
    _end(world, slug)
    response = _post(_client(app, world.operator), f"/admin/spaces/{slug}/end",
                     **{"end-confirm": "y"})
    assert response.status_code == 400
    assert "al afgelopen" in _html(response)
    assert _space(world, slug).rental_end == TODAY - timedelta(days=1)


def test_operator_extends_an_ended_rental_and_the_group_writes_again(app, world):
    slug, lead = world.space()
    _end(world, slug)
    new_end = TODAY + timedelta(days=30)
    client = _client(app, world.operator)
    assert _post(client, f"/admin/spaces/{slug}/extend",
                 **{"extend-rental_end": new_end.isoformat()}).status_code == 302
    assert _space(world, slug).rental_end == new_end
    lead_client = _client(app, lead)
    response = lead_client.post(f"/s/{slug}/t/new", data={
        "csrf_token": csrf_token(lead_client, "/"), "kind": "discussion", "title": "Weer open",
        "body": "Fijn"})
    assert response.status_code == 302


@pytest.mark.parametrize("days", [0, -5])
def test_extending_needs_a_later_end_date(app, world, days):
    slug, _lead = world.space()
    current = _space(world, slug).rental_end
    response = _post(_client(app, world.operator), f"/admin/spaces/{slug}/extend",
                     **{"extend-rental_end": (current + timedelta(days=days)).isoformat()})
    assert response.status_code == 400
    assert re.search(r'id="extend-rental_end-error">.*na het huidige einde', _html(response), re.S)
    assert _space(world, slug).rental_end == current


def test_extending_to_a_day_that_has_passed_is_refused(app, world):
    slug, _lead = world.space()
    _set_dates(world, slug, TODAY - timedelta(days=90), TODAY - timedelta(days=10))
    response = _post(_client(app, world.operator), f"/admin/spaces/{slug}/extend",
                     **{"extend-rental_end": (TODAY - timedelta(days=2)).isoformat()})
    assert response.status_code == 400
    assert _space(world, slug).rental_end == TODAY - timedelta(days=10)


# --- the first facilitator's invitation ----------------------------------------------------

def _first_space(world, app, email: str = "eerste@example.org") -> tuple[str, object]:
    """A space whose first facilitator has not accepted yet; returns (slug, operator client)."""
    operator = world.user(operator=True)
    client = _client(app, operator)
    response = client.post("/admin/spaces", data={
        "csrf_token": csrf_token(client, "/admin/spaces"), "name": "Nieuwe groep",
        "slug": "nieuw", "theme": "", "description": "", "renter": "Welzijn",
        "rental_start": TODAY.isoformat(), "rental_end": (TODAY + timedelta(days=60)).isoformat(),
        "seat_limit": "10", "facilitator_email": email})
    assert response.status_code == 302
    return "nieuw", client


def _links_to(world, email: str) -> list[str]:
    bodies = [m.body_text for m in rendered_mail(world.app, OutboxMessage.to_addr == email)]
    return [re.search(r"(/invite/[\w-]+)", body).group(1) for body in bodies]


def _invitations(world, email: str) -> list[Invitation]:
    with world.ctx():
        rows = db.session.scalars(select(Invitation).where(Invitation.email == email)
                                  .order_by(Invitation.id)).all()
        db.session.expunge_all()
        return rows


def test_operator_sees_that_the_first_facilitator_has_not_accepted_yet(app, world):
    slug, client = _first_space(world, app)
    page = _html(client.get(f"/admin/spaces/{slug}"))
    invitation = _invitations(world, "eerste@example.org")[0]
    assert "Nog niet geaccepteerd" in page
    assert "eerste@example.org" in page
    assert "geldig tot" in page
    assert "/invite/" not in page
    assert invitation.expires_at > invitation.created_at


def _mail_state(page: str) -> tuple[str, str]:
    """The state and the text of the email line of the first facilitator's invitation."""
    match = re.search(r'<dd class="mail-state" data-state="(\w+)">(.*?)</dd>', page, re.S)
    assert match, page
    return match.group(1), " ".join(match.group(2).split())


FAILED_HINT = "kon niet worden bezorgd"


def test_operator_sees_that_the_invitation_mail_is_queued(app, world):
    slug, client = _first_space(world, app)
    page = _html(client.get(f"/admin/spaces/{slug}"))
    state, text = _mail_state(page)
    assert state == "queued" and text == "in de wachtrij"
    assert FAILED_HINT not in page and "/invite/" not in page


def test_operator_sees_that_the_invitation_mail_was_sent(mail_app, world, inbox):
    slug, client = _first_space(world, mail_app)
    assert run_deliver(mail_app)["sent"] == 1
    page = _html(client.get(f"/admin/spaces/{slug}"))
    state, text = _mail_state(page)
    assert state == "sent" and text == "verstuurd"
    assert FAILED_HINT not in page
    link = re.search(r"http://kring\.test(/invite/\S+)", text_part(inbox.received[0].message))
    assert link and link.group(1) not in page and "/invite/" not in page


def test_operator_sees_that_the_invitation_mail_failed_with_a_hint(mail_app, world, inbox):
    inbox.refuse = {"onbekend@example.org": "550 5.1.1 no such user"}
    slug, client = _first_space(world, mail_app, email="onbekend@example.org")
    assert run_deliver(mail_app)["dead"] == 1
    page = _html(client.get(f"/admin/spaces/{slug}"))
    state, text = _mail_state(page)
    assert state == "failed" and text.startswith("mislukt")
    assert "Kijk of het adres klopt" in text and FAILED_HINT in text
    assert "/invite/" not in page
    # A new link to the right address: its mail is queued again.
    response = _post(client, f"/admin/spaces/{slug}/first-facilitator",
                     **{"first-email": "juist@example.org"})
    assert response.status_code == 302
    assert _mail_state(_html(client.get(f"/admin/spaces/{slug}")))[0] == "queued"


def test_operator_sees_that_the_first_facilitator_accepted(app, world):
    slug, client = _first_space(world, app)
    link = _links_to(world, "eerste@example.org")[0]
    world.accept(link.rsplit("/", 1)[1], display_name="Marieke Geheim")
    page = _html(client.get(f"/admin/spaces/{slug}"))
    assert "Geaccepteerd" in page
    assert "Marieke Geheim" not in page
    assert "Een nieuwe link sturen" not in page  # nothing to resend


def test_resending_sends_a_fresh_link_and_the_old_one_stops_working(app, world):
    slug, client = _first_space(world, app)
    response = _post(client, f"/admin/spaces/{slug}/first-facilitator/resend")
    assert response.status_code == 302
    old, new = _links_to(world, "eerste@example.org")
    assert old != new
    page = _html(client.get(f"/admin/spaces/{slug}"))
    assert old not in page and new not in page and "/invite/" not in page
    assert app.test_client().get(old).status_code == 410
    assert app.test_client().get(new).status_code == 200
    first, second = _invitations(world, "eerste@example.org")
    assert first.revoked_at is not None and second.revoked_at is None
    assert second.role == "facilitator"


def test_withdrawing_kills_the_link_and_another_address_can_be_invited(app, world):
    slug, client = _first_space(world, app)
    assert _post(client, f"/admin/spaces/{slug}/first-facilitator/withdraw").status_code == 302
    [old] = _links_to(world, "eerste@example.org")
    assert app.test_client().get(old).status_code == 410
    assert "Ingetrokken" in _html(client.get(f"/admin/spaces/{slug}"))
    response = _post(client, f"/admin/spaces/{slug}/first-facilitator",
                     **{"first-email": "tweede@example.org"})
    assert response.status_code == 302
    [new] = _links_to(world, "tweede@example.org")
    assert app.test_client().get(new).status_code == 200
    page = _html(client.get(f"/admin/spaces/{slug}"))
    assert "tweede@example.org" in page and "Nog niet geaccepteerd" in page


def test_inviting_another_address_withdraws_the_open_invitation(app, world):
    slug, client = _first_space(world, app)
    _post(client, f"/admin/spaces/{slug}/first-facilitator", **{"first-email": "ander@example.org"})
    [old] = _links_to(world, "eerste@example.org")
    assert app.test_client().get(old).status_code == 410


def test_withdrawing_twice_is_refused_with_a_message(app, world):
    slug, client = _first_space(world, app)
    _post(client, f"/admin/spaces/{slug}/first-facilitator/withdraw")
    response = _post(client, f"/admin/spaces/{slug}/first-facilitator/withdraw")
    assert response.status_code == 400  # said on the page itself, in the error summary
    assert re.search(r'<div class="errors" role="alert"[^>]*>.*niets om in te trekken',
                     _html(response), re.S)


def test_resending_after_acceptance_is_refused(app, world):
    slug, client = _first_space(world, app)
    world.accept(_links_to(world, "eerste@example.org")[0].rsplit("/", 1)[1],
                 display_name="Begeleider")
    response = _post(client, f"/admin/spaces/{slug}/first-facilitator/resend")
    assert response.status_code == 400
    assert len(_links_to(world, "eerste@example.org")) == 1
    assert "al geaccepteerd" in _html(response)


def test_a_bad_address_for_the_first_facilitator_is_refused_at_the_field(app, world):
    slug, client = _first_space(world, app)
    response = _post(client, f"/admin/spaces/{slug}/first-facilitator",
                     **{"first-email": "geen@@adres"})
    assert response.status_code == 400
    assert 'id="first-email-error"' in _html(response)
    assert 'value="geen@@adres"' in _html(response)
    assert len(_invitations(world, "eerste@example.org")) == 1


def test_operator_does_not_see_invitations_that_facilitators_send(app, world):
    slug, lead = world.space()
    world.invite_token(slug, lead, email="co-leider@example.org", role="facilitator")
    page = _html(_client(app, world.operator).get(f"/admin/spaces/{slug}"))
    assert "co-leider@example.org" not in page
    assert f"lead-{slug}@example.org" in page  # the operator's own invitation


# --- nobody else gets in -------------------------------------------------------------------

ADMIN_POSTS = ["", "/extend", "/end", "/first-facilitator", "/first-facilitator/resend",
               "/first-facilitator/withdraw"]


def _snapshot():
    return {t.name: db.session.execute(select(t).order_by(*t.primary_key.columns)).all()
            for t in db.metadata.sorted_tables}


@pytest.mark.parametrize("who", ["member", "facilitator", "anonymous"])
def test_only_the_operator_uses_the_admin_pages(app, world, who):
    slug, lead = world.space()
    member = world.member(slug, lead)
    client = app.test_client()
    if who != "anonymous":
        login(client, member if who == "member" else lead)
    token = csrf_token(client, "/")
    data = {"csrf_token": token, "name": "Overgenomen", "renter": "X",
            "rental_start": TODAY.isoformat(), "rental_end": TODAY.isoformat(), "seat_limit": "2",
            "extend-rental_end": (TODAY + timedelta(days=900)).isoformat(), "end-confirm": "y",
            "first-email": "indringer@example.org"}
    with world.ctx():
        before = _snapshot()
    responses = [client.get("/admin/"), client.get("/admin/spaces"),
                 client.get(f"/admin/spaces/{slug}")]
    responses += [client.post(f"/admin/spaces/{slug}{tail}", data=data) for tail in ADMIN_POSTS]
    for response in responses:
        if who == "anonymous":
            # Sent to the login page, as every page that needs an account does.
            assert response.status_code == 302
            assert "/login" in response.headers["Location"]
        else:
            assert response.status_code == 403
        assert "Welzijn Test" not in _html(response)
    with world.ctx():
        assert _snapshot() == before


def test_my_groups_says_which_group_opens_later_and_which_has_closed(app, world):
    person = world.user()
    early, early_lead = world.space("vroeg")
    late, late_lead = world.space("laat")
    for slug, lead in ((early, early_lead), (late, late_lead)):
        world.accept(world.invite_token(slug, lead, email=person.email), display_name="Ik",
                     email_user=person)
    _end(world, early)
    _not_started(world, late)
    page = _html(_client(app, person).get("/"))
    assert f"Gesloten sinds {_dutch(TODAY)}" in page
    assert f"Opent op {_dutch(TODAY + timedelta(days=14))}" in page
