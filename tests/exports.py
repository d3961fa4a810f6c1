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


def confirm(client) -> None:
    """Re-authenticate through the real page (the password again)."""
    token = csrf_token(client, "/account/confirm")
    response = client.post("/account/confirm", data={"csrf_token": token, "password": PASSWORD,
                                                    "next": "/account"})
    assert response.status_code == 302, response.status_code


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
