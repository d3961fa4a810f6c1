"""Helpers for the export tests: confirm who you are, ask for an export over HTTP, let the
worker build it, download it and read the zip."""
from __future__ import annotations

import io
import re
import zipfile

from sqlalchemy import select

from app.exports.models import DataExport
from app.extensions import db
from app.notify.worker import run_once
from tests.conftest import PASSWORD, csrf_token


def confirm(client, person) -> None:
    """Re-authenticate through the real page: the password again, and an authenticator code
    where the page asks for one (computed from the account's stored secret)."""
    page = client.get("/account/confirm").get_data(as_text=True)
    form = {"csrf_token": csrf_token(client, "/account/confirm"), "password": PASSWORD,
            "next": "/account"}
    if 'name="code"' in page:
        form["code"] = _authenticator_code(client.application, person.user_id)
    response = client.post("/account/confirm", data=form)
    assert response.status_code == 302, response.status_code


def _authenticator_code(app, user_id: int) -> str:
    """The code an authenticator app shows now (or for the next step, when this step's code
    was used already: each step is accepted once)."""
    import pyotp

    from app.accounts.security_models import TwoFactor
    from app.accounts.twofactor import STEP_SECONDS, unseal
    from app.database import utcnow

    with app.app_context():
        factor = db.session.get(TwoFactor, user_id)
        step = max(int(utcnow().timestamp() // STEP_SECONDS), factor.last_step + 1)
        return pyotp.TOTP(unseal(factor.secret)).at(step * STEP_SECONDS)


def ask(client, path: str = "/account/export"):
    return client.post(path, data={"csrf_token": csrf_token(client, path)})


def build(app) -> dict:
    with app.app_context():
        return run_once()


def latest(app, user_id: int) -> DataExport:
    with app.app_context():
        export = db.session.scalar(select(DataExport).where(DataExport.user_id == user_id)
                                   .order_by(DataExport.id.desc()))
        db.session.expunge(export)
        return export


def download(client, path: str = "/account/export"):
    """Press the download button on the page; the zip response (or what came instead)."""
    page = client.get(path).get_data(as_text=True)
    action = re.search(r'<form method="post" action="([^"]+/download)"', page)
    assert action, page
    link = client.post(action.group(1), data={"csrf_token": csrf_token(client, path)})
    assert link.status_code == 303, link.status_code
    return link.headers["Location"], client.get(link.headers["Location"])


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
