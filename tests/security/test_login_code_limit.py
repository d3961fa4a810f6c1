"""The login's second step is rate-limited per account (ASVS 5.0 V6.3.1): wrong codes use up
RATELIMIT_LOGIN_CODE, then even the right code waits, with 429 and Retry-After."""
from __future__ import annotations

from tests.conftest import PASSWORD, csrf_token
from tests.security.test_rate_limits import OTHER, assert_refused
from tests.test_accounts import post_login


def _code(client, token: str, code: str):
    return client.post("/login/code", data={"csrf_token": token, "code": code},
                       environ_overrides={"REMOTE_ADDR": OTHER})


def test_wrong_codes_at_the_login_step_are_limited_per_account(app, world):
    from tests.second_factor import enrol, totp_code

    app.config["RATELIMIT_LOGIN_CODE"] = "2 per 5 minutes"
    person = world.user()
    enrol(app, person.user_id)
    client = app.test_client()
    response = post_login(client, person.email, PASSWORD, ip=OTHER)
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/code")
    token = csrf_token(client, "/login/code")
    for wrong in ("000000", "999999"):
        assert _code(client, token, wrong).status_code == 400
    html = assert_refused(_code(client, token, totp_code(person.email)))
    assert 'name="code"' in html  # the code form again, to use after the wait
