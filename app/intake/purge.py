"""The worker round's intake housekeeping: unconfirmed registrations whose link expired go,
and INTAKE_ANSWER_DAYS after a decision the answers go (a declined person's whole
registration, name and address included: nothing about them needs keeping)."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, update

from app.database import transactional, utcnow
from app.extensions import db
from app.intake.models import ADMITTED, DECLINED, Registration


@transactional
def purge_registrations(now=None) -> int:
    """Returns how many registrations lost their answers or were deleted. Set-based: three
    statements whatever the number of rows."""
    now = now or utcnow()
    before = now - timedelta(days=current_app.config["INTAKE_ANSWER_DAYS"])
    expired = db.session.execute(delete(Registration).where(
        Registration.confirmed_at.is_(None), Registration.confirm_by <= now)).rowcount
    declined = db.session.execute(delete(Registration).where(
        Registration.status == DECLINED, Registration.decided_at <= before)).rowcount
    admitted = db.session.execute(update(Registration).where(
        Registration.status == ADMITTED, Registration.decided_at <= before,
        Registration.answers.is_not(None)).values(answers=None, answers_deleted_at=now)
        .execution_options(synchronize_session=False)).rowcount
    return expired + declined + admitted
