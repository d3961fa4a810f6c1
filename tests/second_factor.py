"""Two-step login in tests: one known authenticator secret for every enrolled test account,
the code an authenticator app would show now, and logging in through the real forms (the
password, then the code where the account asks for one)."""
from __future__ import annotations

import time

import pyotp

# Every account enrolled by World.enrol_second_factor uses this secret, so a test can type
# the code an app would show.
TEST_TOTP_SECRET = "KRINGTESTSECRETAAAAAAAAAAAAAAAAA"
_last_step: dict[str, int] = {}


def enrol(app, user_id: int) -> None:
    """A confirmed second factor with TEST_TOTP_SECRET (idempotent)."""
    from app.accounts.models import User
    from app.accounts.security_models import TwoFactor
    from app.accounts.twofactor import seal
    from app.database import utcnow
    from app.extensions import db

    with app.app_context():
        if db.session.get(TwoFactor, user_id) is None:
            db.session.add(TwoFactor(user_id=user_id, secret=seal(TEST_TOTP_SECRET),
                                     confirmed_at=utcnow(), last_step=0))
        db.session.get(User, user_id).two_factor_on = True
        db.session.commit()


def totp_code(who: str, secret: str = TEST_TOTP_SECRET) -> str:
    """The code an app shows for `secret`, never the same time step twice for `who` (the
    server refuses a replayed code): a second login within 30 seconds takes the next step,
    which the server accepts (a clock may run ahead), and waits when none is left."""
    while True:
        now = int(time.time() // 30)
        step = max(now - 1, _last_step.get(who, 0) + 1)
        if step <= now + 1:
            _last_step[who] = step
            return pyotp.TOTP(secret).at(step * 30)
        time.sleep(1)


def log_in_through_form(page, base: str, email: str, password: str) -> None:
    """Log in with the login form in the browser; type the authenticator code when asked."""
    page.goto(f"{base}/login")
    form = page.locator('form[action$="/login"]')
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    if page.url.startswith(f"{base}/login/code"):
        code_form = page.locator('form[action$="/login/code"]')
        code_form.locator("input[name=code]").fill(totp_code(email))
        code_form.locator("button[type=submit]").click()
        page.wait_for_load_state()
