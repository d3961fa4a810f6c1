"""The worker's part of an export: claim a queued job, gather its rows (app/exports/personal.py
or space_data.py), stream the zip (files, data.json, index.html) into storage, report progress
(0..100) as it goes, and mark it ready or failed."""
from __future__ import annotations

import json
import logging
import shutil
import zipfile

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from app import policy, storage
from app.accounts.models import User
from app.database import utcnow
from app.dates import format_moment
from app.exports import service
from app.exports.labels import label, shown
from app.exports.models import SPACE, DataExport
from app.exports.personal import gather
from app.exports.rows import safe_name
from app.exports.space_data import gather_space
from app.extensions import db
from app.spaces.models import Space
from app.spaces.queries import load_actor

log = logging.getLogger("kring.exports")


class NotAllowed(Exception):
    """The requester may no longer make this export (left the group, role changed)."""


def build_due_exports(limit: int = 5) -> int:
    """Build the queued exports this worker manages to claim; how many it built."""
    built = 0
    for export_id in service.due_jobs(limit):
        if not service.claim(export_id):
            continue  # another worker took it
        try:
            built += build(export_id)
        except Exception:
            log.exception("export %s failed", export_id)
            service.fail(export_id)
    return built


def build(export_id: int) -> int:
    export = db.session.get(DataExport, export_id)
    user = db.session.get(User, export.user_id)
    kind, space_id = export.kind, export.space_id
    report = _reporter(export_id)
    with force_locale(user.locale or "nl"):
        if kind == SPACE:
            space = db.session.get(Space, space_id)
            if not policy.can_export_space(load_actor(user), space):
                raise NotAllowed()
            gathered = gather_space(space_id, report)
            heading = _("Export of the group %(name)s", name=space.name)
            intro = _("All conversations, the library and the working agreements of this "
                      "group, with the names the group sees.")
        else:
            gathered = gather(user.id, report)
            heading = _("Your data in Kring")
            intro = _("Everything Kring keeps about you: your account, your groups, what you "
                      "wrote and shared. Nothing of other members is in it.")
        key, size = _write_zip(gathered, heading=heading, intro=intro,
                               locale=user.locale or "nl", report=report)
    return int(service.finish(export_id, file_key=key, size=size))


def _reporter(export_id: int):
    last = [0]

    def report(progress: int) -> None:
        if progress > last[0]:
            last[0] = progress
            service.report_progress(export_id, progress)
    return report


def _write_zip(gathered: dict, *, heading: str, intro: str, locale: str, report) -> tuple[str, int]:
    key, handle = storage.create_export()
    try:
        with handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            uploads = gathered["uploads"]
            missing = []
            for done, (upload_id, storage_key, name) in enumerate(uploads, start=1):
                path = f"bestanden/{upload_id}-{safe_name(name)}"
                try:
                    with storage.open(storage_key) as source, archive.open(path, "w") as target:
                        shutil.copyfileobj(source, target, storage.CHUNK)
                except FileNotFoundError:
                    missing.append(upload_id)
                # A few steps at most, whatever the number of files.
                report(55 + (35 * done // len(uploads)) // 10 * 10)
            data = dict(gathered["data"])
            if missing:
                data["files_missing"] = missing
            archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
            archive.writestr("index.html", render_template(
                "exports/archive.html", data=data, heading=heading, intro=intro,
                locale=locale, label=label, shown=shown, made=format_moment(utcnow())))
        report(95)
        return key, storage.export_size(key)
    except BaseException:
        storage.delete_export(key)
        raise

