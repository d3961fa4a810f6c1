"""Two-step login for a member who chooses it: set up with a QR code drawn here, ten
recovery codes shown once and kept hashed, renew them, switch it off, all behind re-auth."""
from __future__ import annotations

import pyotp
from sqlalchemy import func, select

from app.accounts.models import User
from app.accounts.security_models import RecoveryCode, TwoFactor
from app.accounts.twofactor import normalise_code, unseal
from app.audit.models import AuditEvent
from app.extensions import db
from app.tokens import hash_token
from tests.conftest import csrf_token, login
from tests.twofactor_steps import confirmed, set_up, setup_secret


def _member(world):
    slug, lead = world.space()
    return world.member(slug, lead)


def _events(app, user_id):
    with app.app_context():
        return db.session.scalars(select(AuditEvent.event).where(
            AuditEvent.subject_user_id == user_id).order_by(AuditEvent.id)).all()


def test_setup_asks_for_the_password_unless_the_login_was_just_now(app, world, client, clock):
    from datetime import timedelta

    login(client, _member(world))
    assert client.get("/account/2fa/setup").status_code == 200  # logged in a moment ago
    clock.move(timedelta(minutes=11))
    response = client.get("/account/2fa/setup")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/confirm?next=/account/2fa/setup")


def test_setup_page_draws_the_qr_code_here_and_shows_the_key_as_text(app, world, client):
    member = _member(world)
    login(client, member)
    confirmed(client)
    page = client.get("/account/2fa/setup")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<svg' in html and 'class="qr"' in html  # inline SVG, no image from anywhere
    assert "data:" not in html and "http" not in html.split('<figure class="qr">')[1].split("</figure>")[0]
    secret = setup_secret(client)
    assert len(secret) == 32
    assert setup_secret(client) == secret  # the same key until it is confirmed
    assert "Content-Security-Policy" in page.headers and "img-src 'self'" in page.headers["Content-Security-Policy"]
    with app.app_context():  # nothing is stored before a code confirms the app
        assert db.session.get(TwoFactor, member.user_id) is None


def test_member_sets_up_two_step_login_and_gets_ten_recovery_codes_once(app, world, client):
    member = _member(world)
    login(client, member)
    secret, codes = set_up(client)
    assert len(set(codes)) == 10
    with app.app_context():
        user = db.session.get(User, member.user_id)
        factor = db.session.get(TwoFactor, member.user_id)
        stored = db.session.scalars(select(RecoveryCode.code_hash).where(
            RecoveryCode.user_id == member.user_id)).all()
        assert user.two_factor_on and factor.confirmed_at is not None
        assert unseal(factor.secret) == secret and secret not in factor.secret
        assert sorted(stored) == sorted(hash_token(normalise_code(c)) for c in codes)
    overview = client.get("/account/2fa").get_data(as_text=True)
    assert "10" in overview and not any(code in overview for code in codes)
    assert _events(app, member.user_id) == ["2fa_enabled"]


def test_a_wrong_code_keeps_the_setup_page_with_the_message_at_the_field(app, world, client):
    member = _member(world)
    login(client, member)
    confirmed(client)
    secret = setup_secret(client)
    wrong = "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"
    response = client.post("/account/2fa/setup", data={
        "csrf_token": csrf_token(client, "/account/2fa/setup"), "code": wrong})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="code-error"' in html and f'value="{wrong}"' in html
    assert setup_secret(client) == secret  # the app already scanned keeps working
    for bad in ["", "12 34", "abcdef", "\u0661\u0662\u0663\u0664\u0665\u0666", "9" * 500]:
        response = client.post("/account/2fa/setup", data={
            "csrf_token": csrf_token(client, "/account/2fa/setup"), "code": bad})
        assert response.status_code == 400, bad
    with app.app_context():
        assert not db.session.get(User, member.user_id).two_factor_on
        assert db.session.get(TwoFactor, member.user_id) is None


def test_renewing_recovery_codes_asks_for_the_password_and_replaces_every_old_code(app, world, client, clock):
    from datetime import timedelta

    member = _member(world)
    login(client, member)
    _secret, old = set_up(client)
    clock.move(timedelta(minutes=11))  # the confirmation has lapsed
    response = client.post("/account/2fa/codes", data={"csrf_token": csrf_token(client, "/account")})
    assert response.headers["Location"].startswith("/account/confirm")
    confirmed(client)
    response = client.post("/account/2fa/codes",
                           data={"csrf_token": csrf_token(client, "/account/2fa/codes")})
    from tests.twofactor_steps import RECOVERY
    new = RECOVERY.findall(response.get_data(as_text=True))
    assert response.status_code == 200 and len(new) == 10 and not set(new) & set(old)
    with app.app_context():
        stored = set(db.session.scalars(select(RecoveryCode.code_hash).where(
            RecoveryCode.user_id == member.user_id)))
    assert stored == {hash_token(normalise_code(c)) for c in new}
    assert _events(app, member.user_id) == ["2fa_enabled", "recovery_renewed"]


def test_member_can_switch_it_off_after_confirming_and_nothing_is_left(app, world, client):
    member = _member(world)
    login(client, member)
    set_up(client)
    assert "/account/2fa/disable" in client.get("/account/2fa").get_data(as_text=True)
    response = client.post("/account/2fa/disable",
                           data={"csrf_token": csrf_token(client, "/account/2fa/disable")})
    assert response.status_code == 302
    with app.app_context():
        assert not db.session.get(User, member.user_id).two_factor_on
        assert db.session.get(TwoFactor, member.user_id) is None
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0
    assert client.get("/account").status_code == 200  # this browser stays logged in
    assert _events(app, member.user_id) == ["2fa_enabled", "2fa_disabled"]


def test_a_lead_cannot_switch_it_off_only_move_it_to_a_new_app(app, world, client):
    _slug, lead = world.space()
    login(client, lead)
    confirmed(client)
    overview = client.get("/account/2fa").get_data(as_text=True)
    assert "/account/2fa/disable" not in overview and "/account/2fa/setup" in overview
    assert client.get("/account/2fa/disable").headers["Location"] == "/account/2fa"
    response = client.post("/account/2fa/disable",
                           data={"csrf_token": csrf_token(client, "/account/2fa")})
    assert response.headers["Location"] == "/account/2fa"
    with app.app_context():
        assert db.session.get(User, lead.user_id).two_factor_on
    # Moving to a new app: the new secret replaces the old one once a code confirms it.
    with app.app_context():
        old_secret = unseal(db.session.get(TwoFactor, lead.user_id).secret)
    assert "nieuwe telefoon" in client.get("/account/2fa/setup").get_data(as_text=True)
    new_secret, _codes = set_up(client)
    with app.app_context():
        assert unseal(db.session.get(TwoFactor, lead.user_id).secret) == new_secret != old_secret
        assert db.session.get(User, lead.user_id).two_factor_on
    assert _events(app, lead.user_id)[-1] == "2fa_enabled"


def test_two_factor_pages_speak_dutch(app, world, client):
    member = _member(world)
    login(client, member)
    confirmed(client)
    html = client.get("/account/2fa/setup").get_data(as_text=True)
    assert "Inloggen in twee stappen" in html
    assert "Inloggen in twee stappen" in client.get("/account").get_data(as_text=True)


def test_demo_leads_are_led_through_the_setup_at_first_login_and_members_are_not(app):
    from app.demo import DEMO_PASSWORD
    from tests.twofactor_steps import password_step

    result = app.test_cli_runner().invoke(args=["kring", "seed-demo"])
    assert result.exit_code == 0 and "two-step login" in result.output
    lead, member = app.test_client(), app.test_client()
    assert password_step(lead, "begeleider@example.org", DEMO_PASSWORD).status_code == 302
    assert lead.get("/").headers["Location"] == "/account/2fa/setup"
    set_up(lead)
    assert lead.get("/").status_code == 200
    assert password_step(member, "deelnemer1@example.org", DEMO_PASSWORD).status_code == 302
    assert member.get("/").status_code == 200
    # A fresh demo starts without the factor set up while trying it out.
    assert app.test_cli_runner().invoke(args=["kring", "seed-demo", "--reset"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TwoFactor)) == 0


def test_recovery_codes_carry_at_least_112_bits_because_only_a_plain_hash_is_kept():
    import math

    from app.accounts import twofactor_service as service

    bits = service.RECOVERY_CODE_LENGTH * math.log2(len(service._RECOVERY_ALPHABET))
    assert bits >= 112
    code = service._new_recovery_code()
    assert len(normalise_code(code)) == service.RECOVERY_CODE_LENGTH
