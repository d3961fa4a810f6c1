"""The member-management forms on the members page (role, deny access, give access again,
remove) and leaving the group: a refusal re-renders the page with 400, the error at the
field of that member's row, the summary linking to it, the input kept and nothing changed.
Also: every <time datetime> is a machine-readable UTC moment with its zone."""
from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from app.extensions import db
from app.spaces.models import Membership
from tests.conftest import QueryCounter, csrf_token, login
from tests.test_forms import assert_error_at_field

YESTERDAY = (date.today() - timedelta(days=1)).isoformat()


@pytest.fixture
def group(app, world):
    """A facilitator, a second facilitator and two members."""
    slug, lead = world.space()
    other_lead = world.member(slug, lead, name="Kees", role="facilitator")
    sanne = world.member(slug, lead, name="Sanne")
    joost = world.member(slug, lead, name="Joost")
    return {"slug": slug, "lead": lead, "other_lead": other_lead, "sanne": sanne, "joost": joost}


def _client(app, person):
    client = app.test_client()
    login(client, person)
    return client


def _post(client, slug: str, path: str, **data):
    token = csrf_token(client, f"/s/{slug}/members")
    return client.post(path, data={"csrf_token": token, **data})


def _state(app, membership_id: int) -> tuple:
    with app.app_context():
        m = db.session.get(Membership, membership_id)
        return m.role, m.suspended_at, m.suspended_until, m.ended_at


# name: (whose row, action, data, refused field, text kept on the page, reason in Dutch)
REFUSALS = {
    "suspension date in the past": ("sanne", "suspend", {"until": YESTERDAY}, "until",
                                    f'value="{YESTERDAY}"', "datum in de toekomst"),
    "suspension date that is no date": ("sanne", "suspend", {"until": "morgen"}, "until",
                                        'value="morgen"', None),
    "removal without the ticked box": ("sanne", "remove", {}, "confirm", None, "Zet een vinkje"),
    "a role that is not offered": ("sanne", "role", {"role": "admin"}, "role", None,
                                   "Kies een van de rollen"),
    "changing one's own role": ("lead", "role", {"role": "member"}, "role",
                                '<option selected value="member">', "je eigen rol"),
    "denying oneself access": ("lead", "suspend", {"until": ""}, "until", None, "jezelf"),
    "removing oneself": ("lead", "remove", {"confirm": "1"}, "confirm", "checked", "jezelf"),
}


@pytest.mark.parametrize("name", REFUSALS)
def test_a_refused_member_form_answers_400_at_the_field_of_that_members_row(app, group, name):
    whose, action, data, field, kept, reason = REFUSALS[name]
    target = group[whose].membership_id
    before = _state(app, target)
    response = _post(_client(app, group["lead"]), group["slug"],
                     f"/s/{group['slug']}/members/{target}/{action}", **data)
    assert response.status_code == 400, name
    page = response.get_data(as_text=True)
    assert_error_at_field(page, f"{field}-{target}")
    field_tag = re.search(rf'<(?:input|select)[^>]*\bid="{field}-{target}"[^>]*>', page).group(0)
    if kept and kept.startswith("value"):
        assert kept in field_tag, field_tag
    elif kept == "checked":
        assert "checked" in field_tag, field_tag
    elif kept:
        assert kept in page
    error = re.search(rf'<div class="error" id="{field}-{target}-error">(.*?)</div>', page, re.S).group(1)
    if reason:
        assert reason in error, error
    assert re.search(rf'<details class="manage" open>\s*<summary>[^<]*{group[whose].name}', page)
    assert _state(app, target) == before  # nothing changed


def test_a_refused_row_form_leaves_the_other_rows_blank_and_every_id_is_unique(app, group):
    slug, sanne, joost = group["slug"], group["sanne"].membership_id, group["joost"].membership_id
    response = _post(_client(app, group["lead"]), slug, f"/s/{slug}/members/{sanne}/suspend",
                     until=YESTERDAY)
    page = response.get_data(as_text=True)
    other = re.search(rf'<input[^>]*\bid="until-{joost}"[^>]*>', page).group(0)
    assert "aria-invalid" not in other and not re.search(r'value="[^"]', other)
    assert f'id="until-{joost}-error"' not in page
    assert len(re.findall(r'<div class="errors" role="alert"', page)) == 1  # one summary, at the top
    assert page.index('class="errors"') < page.index('<ul class="members">')
    ids = Counter(re.findall(r'\bid="([^"]+)"', page))
    assert not [i for i, n in ids.items() if n > 1], ids.most_common(3)
    for row in (sanne, joost):
        for field in ("role", "until", "confirm"):
            assert f'<label for="{field}-{row}"' in page


def test_the_member_forms_still_do_their_work_and_return_to_the_members_page(app, group):
    slug, lead = group["slug"], group["lead"]
    client = _client(app, lead)
    sanne, joost = group["sanne"].membership_id, group["joost"].membership_id
    base = f"/s/{slug}/members"
    in_a_week = (date.today() + timedelta(days=7)).isoformat()
    for path, data in ((f"{base}/{sanne}/role", {"role": "moderator"}),
                       (f"{base}/{sanne}/suspend", {"until": in_a_week}),
                       (f"{base}/{sanne}/unsuspend", {}),
                       (f"{base}/{joost}/suspend", {"until": ""}),
                       (f"{base}/{joost}/remove", {"confirm": "1"})):
        response = _post(client, slug, path, **data)
        assert response.status_code == 302, path
        assert response.headers["Location"].endswith(base), path
    role, suspended_at, _until, ended_at = _state(app, sanne)
    assert (role, suspended_at, ended_at) == ("moderator", None, None)
    assert _state(app, joost)[3] is not None


def test_managing_someone_else_without_the_right_is_still_forbidden(app, group):
    slug, sanne = group["slug"], group["sanne"].membership_id
    response = _post(_client(app, group["joost"]), slug, f"/s/{slug}/members/{sanne}/role",
                     role="facilitator")
    assert response.status_code == 403
    assert _state(app, sanne)[0] == "member"


def test_leaving_as_the_last_facilitator_is_refused_on_the_leave_page_with_400(app, world):
    slug, lead = world.space()
    world.member(slug, lead, name="Sanne")
    client = _client(app, lead)
    token = csrf_token(client, f"/s/{slug}/leave")
    response = client.post(f"/s/{slug}/leave", data={"csrf_token": token})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    summary = re.search(r'<div class="errors" role="alert"[^>]*>(.*?)</div>', page, re.S).group(1)
    assert "enige begeleider" in summary
    assert f'action="/s/{slug}/leave"' in page or '<form method="post">' in page  # still the leave page
    assert _state(app, lead.membership_id)[3] is None


def test_a_refused_member_form_takes_a_pinned_number_of_statements_whatever_the_group_size(app, world):
    counts = []
    for members in (2, 15):
        slug, lead = world.space()
        people = [world.member(slug, lead) for _ in range(members)]
        client = _client(app, lead)
        token = csrf_token(client, f"/s/{slug}/members")
        path = f"/s/{slug}/members/{people[0].membership_id}/remove"
        with app.app_context():
            engine = db.engine
        with QueryCounter(engine) as counter:
            response = client.post(path, data={"csrf_token": token})
        assert response.status_code == 400
        counts.append(counter.count)
    # The refusal rolls the transaction back, so the page reloads what it shows: a fixed 10.
    assert counts == [9, 9], counts


# --- <time datetime="..."> --------------------------------------------------------------------

MACHINE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def test_time_attributes_on_the_thread_page_are_utc_moments_with_their_zone(app, world):
    from app.forum.models import Post

    slug, lead = world.space()
    thread = world.thread(slug, lead, title="Tijden")
    world.reply(slug, thread, lead, "Een antwoord")
    with app.app_context():
        db.session.execute(update(Post).where(Post.thread_id == thread).values(
            created_at=datetime(2026, 12, 3, 19, 15, 42, 123456, tzinfo=timezone.utc)))
        db.session.commit()
    client = _client(app, lead)
    for path in (f"/s/{slug}/t/{thread}?page=1", f"/s/{slug}/", "/notifications"):
        page = client.get(path).get_data(as_text=True)
        for value in re.findall(r'<time datetime="([^"]*)"', page):
            assert MACHINE_TIME.fullmatch(value), (path, value)
    page = client.get(f"/s/{slug}/t/{thread}?page=1").get_data(as_text=True)
    # 19:15 UTC, shown as 20:15 in Amsterdam: the attribute says the same moment, with "Z".
    assert len(re.findall(r'<time datetime="2026-12-03T19:15:42Z">3 dec\.? 2026, 20:15</time>', page)) == 2


def test_the_machine_filter_says_utc_for_aware_and_naive_moments(app):
    from app.dates import machine_moment

    amsterdam = timezone(timedelta(hours=1))
    assert machine_moment(datetime(2026, 12, 3, 20, 15, 42, tzinfo=amsterdam)) == "2026-12-03T19:15:42Z"
    assert machine_moment(datetime(2026, 12, 3, 19, 15, 42, 999999)) == "2026-12-03T19:15:42Z"
    assert machine_moment(None) == ""
