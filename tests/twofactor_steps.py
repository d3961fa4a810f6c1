"""Steps shared by the two-step login tests: confirm identity, read the setup page, set up,
and the password step of the login."""
from __future__ import annotations

import re

import pyotp

from tests.conftest import PASSWORD, csrf_token, reauth

RECOVERY = re.compile(r"<code>((?:[a-z2-9]{6}-){3}[a-z2-9]{6})</code>")


def confirmed(client) -> None:
    """As if the user confirmed their password a moment ago (/account/confirm)."""
    reauth(client)


def setup_secret(client) -> str:
    page = client.get("/account/2fa/setup")
    assert page.status_code == 200, page.status_code
    match = re.search(r'<code class="secret"[^>]*>([A-Z2-7 ]+)</code>', page.get_data(as_text=True))
    assert match
    return match.group(1).replace(" ", "")


def confirm_password(client, next_: str = "/account/2fa/setup") -> None:
    """Through the real confirmation page: the password again."""
    token = csrf_token(client, f"/account/confirm?next={next_}")
    response = client.post("/account/confirm", data={"csrf_token": token, "password": PASSWORD,
                                                     "next": next_})
    assert response.headers["Location"] == next_, response.status_code


def set_up(client, *, confirm_with_password: bool = False) -> tuple[str, list[str]]:
    """Set up two-step login through the pages; (secret, recovery codes)."""
    if confirm_with_password:
        confirm_password(client)
    else:
        confirmed(client)
    secret = setup_secret(client)
    response = client.post("/account/2fa/setup", data={
        "csrf_token": csrf_token(client, "/account/2fa/setup"),
        "code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200, response.status_code
    codes = RECOVERY.findall(response.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def password_step(client, email: str, password: str = PASSWORD, **kwargs):
    data = {"csrf_token": csrf_token(client, "/login"), "email": email, "password": password}
    return client.post("/login", data=data, **kwargs)


def code_step(client, code: str, **kwargs):
    return client.post("/login/code", data={"csrf_token": csrf_token(client, "/login/code"),
                                            "code": code}, **kwargs)
