"""Telling the requester that an export is ready, without saying anything about it: a
personal export by a content-free mail (it belongs to no group), a space's copy by a
notification in that space (kind EXPORT_READY), mailed at once."""
from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.notify.export_kinds import EXPORT_READY
from app.notify.outbox import Mail, enqueue
from app.notify.service import notify
from app.spaces.models import Membership, Space
from app.urls import external_url


def export_ready(export) -> None:
    user = db.session.get(User, export.user_id)
    if user is None or user.erased_at is not None:
        return
    if export.space_id is None:
        enqueue(Mail(to=user.email, template="export_ready", locale=user.locale,
                     context={"link": external_url("exports.personal")}))
        return
    membership = db.session.scalar(select(Membership).where(
        Membership.space_id == export.space_id, Membership.user_id == user.id,
        Membership.ended_at.is_(None)))
    if membership is not None:
        # The facilitator asked for it themselves: mailed at once, whatever the preference.
        notify(db.session.get(Space, export.space_id), [membership], kind=EXPORT_READY,
               urgent=True)
