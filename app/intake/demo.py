"""The demo's intake (app/demo_content.toml): the interest page opened through the real
set-up service, and two registrations as if they had confirmed their address a while ago."""
from __future__ import annotations

import json
from datetime import datetime, timedelta

from app.extensions import db
from app.intake import setup
from app.intake.models import Registration


def seed_intake(content: dict, space, facilitator, now: datetime) -> None:
    spec = content.get("intake")
    if not spec:
        return
    setup.save_intake_page(facilitator, space, is_open=True,
                           introduction=spec["introduction"].strip(), rhythm=spec["rhythm"],
                           questions="\n".join(spec["questions"]), decline_message="")
    for n, person in enumerate(spec.get("registrations", [])):
        at = now - timedelta(days=3 - n)
        db.session.add(Registration(
            space_id=space.id, name=person["name"], email=person["email"],
            status=person["status"], created_at=at, mailed_at=at, confirm_by=at + timedelta(hours=48),
            confirmed_at=at + timedelta(hours=1), status_changed_at=at + timedelta(hours=1),
            answers=json.dumps([list(pair) for pair in zip(spec["questions"], person["answers"])],
                               ensure_ascii=False)))
