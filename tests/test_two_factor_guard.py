"""Two-step login is mandatory for operators, facilitators, co-facilitators and moderators:
until they set it up, every request leads to the setup page, whatever the route; members
are only offered it. The rule itself is pure (app/policy/twofactor.py)."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.policy import Actor, must_set_up_second_factor, must_use_second_factor
from app.spaces.models import COFACILITATOR, FACILITATOR, MEMBER, MODERATOR
from tests.conftest import csrf_token
from tests.twofactor_steps import confirmed, set_up

SETUP = "/account/2fa/setup"
# Reachable before setting up: the setup itself, the password confirmation it may ask for,
# logging out, the language choice, static files and the health check.
OPEN = {"twofactor.setup", "accounts.confirm_identity", "accounts.logout", "accounts.language",
        "static", "healthz", "help.crisis", "privacy.privacy"}


def _actor(*roles, operator=False, two_factor=False):
    user = SimpleNamespace(is_operator=operator, two_factor_on=two_factor)
    memberships = {n: SimpleNamespace(role=role, space_id=n) for n, role in enumerate(roles)}
    return Actor(user=user, memberships=memberships)


@pytest.mark.parametrize("roles, operator, must", [
    ((), False, False), ((MEMBER,), False, False), ((MEMBER, MEMBER), False, False),
    ((MODERATOR,), False, True), ((COFACILITATOR,), False, True), ((FACILITATOR,), False, True),
    ((MEMBER, MODERATOR), False, True), ((), True, True), ((MEMBER,), True, True),
])
def test_who_must_use_a_second_factor(roles, operator, must):
    assert must_use_second_factor(_actor(*roles, operator=operator)) is must
    assert must_set_up_second_factor(_actor(*roles, operator=operator)) is must
    assert not must_set_up_second_factor(_actor(*roles, operator=operator, two_factor=True))
    assert not must_use_second_factor(Actor(user=None))


def _lead_without_second_factor(app, world, client):
    """A facilitator logged in the way the login form leaves them (no second factor yet)."""
    from app.accounts.models import User
    from app.accounts.sessions import begin_session
    from app.extensions import db

    slug, lead = world.space()
    with app.app_context():
        key = begin_session(db.session.get(User, lead.user_id), user_agent="", ip="127.0.0.1")
    with client.session_transaction() as session:
        session["_user_id"] = key
        session["_fresh"] = True
    return slug, lead


def _sample_url(rule, slug: str) -> str:
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if hasattr(converter, "items"):  # <any(a, b):kind>
            values[name] = sorted(converter.items)[0]
        elif converter.__class__.__name__ in ("IdConverter", "IntegerConverter"):
            values[name] = 1
        else:
            values[name] = slug if name == "slug" else "x"
    return rule.build(values, append_unknown=False)[1]


def _row_counts(app):
    from app.extensions import db

    with app.app_context():
        return {table.name: db.session.scalar(select(func.count()).select_from(table))
                for table in db.metadata.sorted_tables}


def test_a_lead_without_a_second_factor_reaches_nothing_but_the_setup(app, world, client):
    slug, lead = _lead_without_second_factor(app, world, client)
    confirmed(client)
    token = csrf_token(client, SETUP)
    before = _row_counts(app)
    walked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in OPEN:
            continue
        url = _sample_url(rule, slug)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {"csrf_token": token} if method != "GET" else None
            response = client.open(url, method=method, data=data)
            assert response.status_code == 303, (rule.endpoint, method, response.status_code)
            assert response.headers["Location"] == SETUP, (rule.endpoint, method)
            walked += 1
    assert walked > 100
    assert _row_counts(app) == before  # nothing acted, nothing was written


def test_the_open_routes_are_exactly_the_listed_ones(app):
    from app.accounts.twofactor_views import OPEN_BEFORE_SETUP

    assert OPEN_BEFORE_SETUP == OPEN
    assert OPEN <= {rule.endpoint for rule in app.url_map.iter_rules()}


def test_help_and_privacy_stay_open_to_a_lead_before_the_setup(app, world, client):
    """Nobody is ever kept from where to get help now, nor from what Kring keeps."""
    _lead_without_second_factor(app, world, client)
    for path in ("/hulp", "/privacy"):
        assert client.get(path).status_code == 200, path


def test_the_setup_page_tells_the_lead_calmly_why(app, world, client):
    _lead_without_second_factor(app, world, client)
    confirmed(client)
    page = client.get(SETUP)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Daarom log je voortaan in met twee stappen" in html or "twee stappen" in html


def test_after_setting_up_the_lead_acts_again(app, world, client):
    slug, _lead = _lead_without_second_factor(app, world, client)
    assert client.get(f"/s/{slug}/").headers["Location"] == SETUP
    set_up(client)
    assert client.get(f"/s/{slug}/").status_code in (200, 302)
    assert client.get("/account").status_code == 200


def test_a_lead_who_logs_in_with_the_form_lands_on_the_setup_without_a_second_password(app, world, client):
    from tests.twofactor_steps import password_step

    _slug, lead = world.space()
    response = password_step(client, lead.email)
    assert response.status_code == 302
    assert client.get("/").headers["Location"] == SETUP
    assert client.get(SETUP).status_code == 200  # the password a moment ago counts


def test_a_member_is_offered_it_and_never_stopped(app, world, client):
    slug, lead = world.space()
    member = world.member(slug, lead)
    from tests.conftest import login

    login(client, member)
    assert client.get("/").status_code == 200
    assert client.get(f"/s/{slug}/agreement").status_code == 200


def test_a_member_made_moderator_is_led_to_the_setup_at_the_next_request(app, world, client):
    from app.extensions import db
    from app.spaces.models import Membership
    from tests.conftest import login

    slug, lead = world.space()
    member = world.member(slug, lead)
    login(client, member)
    assert client.get("/").status_code == 200
    with app.app_context():
        db.session.get(Membership, member.membership_id).role = MODERATOR
        db.session.commit()
    assert client.get("/").headers["Location"] == SETUP


@pytest.mark.parametrize("path, page", [("/account", "account"), ("/", "my groups"),
                                        ("/notifications", "notifications")])
def test_the_guard_costs_no_statement_for_a_member_or_a_set_up_lead(app, world, path, page):
    from app.extensions import db
    from tests.conftest import QueryCounter, login
    from tests.test_statement_counts import PINNED

    slug, lead = world.space()
    member = world.member(slug, lead)
    for person in (member, lead):  # a member without 2FA (the guard reads the memberships)
        client = app.test_client()
        login(client, person)
        client.get(path)
        with app.app_context():
            engine = db.engine
        with QueryCounter(engine) as counter:
            assert client.get(path).status_code == 200
        assert counter.count == PINNED[page], (person, counter.statements)


def test_the_fresh_login_counts_for_a_first_setup_only_and_only_for_a_while(app, world, client, clock):
    from datetime import timedelta

    from tests.second_factor import totp_code
    from tests.twofactor_steps import code_step, password_step

    # With a second factor on, replacing the app always asks for the password again.
    member = world.user()
    world.enrol_second_factor(member)
    other = app.test_client()
    password_step(other, member.email)
    assert code_step(other, totp_code(member.email)).status_code == 302
    assert other.get(SETUP).headers["Location"].startswith("/account/confirm")
    # A lead without one goes from the login straight to the setup, for a while.
    _slug, lead = world.space()
    password_step(client, lead.email)
    assert client.get(SETUP).status_code == 200
    clock.move(timedelta(minutes=11))
    assert client.get(SETUP).headers["Location"].startswith("/account/confirm")
