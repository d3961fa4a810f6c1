"""The working agreement of a space: its versions, publishing a new one and accepting it."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value

from app import policy
from app.accounts.models import User
from app.database import DOUBLE_SUBMIT_WINDOW, lock_row, transactional, utcnow
from app.errors import ServiceError, require
from app.extensions import db
from app.policy import Actor
from app.spaces.models import Agreement, AgreementAcceptance, Membership, Space
from app.spaces.queries import current_agreement
from app.text import render_or_refuse
from app.upsert import upsert

AGREEMENT_MAX = 20_000


def default_agreement() -> str:
    return _(
        "- **What is said in the group stays in the group.** Do not share stories, names or "
        "screenshots with anyone outside it.\n"
        "- **Respect.** Everyone may have their own experience and opinion. Respond kindly.\n"
        "- **No recordings.** No screenshots, photos or recordings of the group or the meetings.\n"
        "- **Come or cancel.** Cannot come to a meeting? Cancel in advance.\n"
        "- **Private contact goes through the facilitators.** Members do not send each other "
        "private messages: Kring has no way to do so. You can always write to the facilitators "
        "privately, under \"Line with the facilitators\".\n"
        "- **Worried about someone?** Tell a facilitator straight away. Need help now? Call "
        "113 Zelfmoordpreventie (0800-0113), your GP, or 112 in an emergency."
    )


def add_agreement_version(space: Space, body: str, *, created_by: User | None) -> Agreement:
    space.agreement_version += 1
    agreement = Agreement(space_id=space.id, version=space.agreement_version, body=body,
                          body_html=render_or_refuse(body),
                          created_by_id=created_by.id if created_by else None)
    db.session.add(agreement)
    db.session.flush()
    return agreement


def record_acceptance(membership: Membership, agreement: Agreement) -> None:
    """Idempotent: a twin submit (or a member who rejoins) accepts the same version once."""
    upsert(AgreementAcceptance, keys={"membership_id": membership.id, "agreement_id": agreement.id},
           values={"space_id": membership.space_id, "accepted_at": utcnow()})
    membership.agreement_version = agreement.version


@transactional
def accept_agreement(actor: Actor, space: Space) -> None:
    membership = actor.membership(space.id)
    require(policy.can_view_space(actor, space))
    if membership.agreement_version < space.agreement_version:
        record_acceptance(membership, current_agreement(space))


@transactional
def update_agreement(actor: Actor, space: Space, *, body: str) -> Agreement:
    """Publish a new version; every member is asked to accept it on their next visit."""
    require(policy.can_edit_agreement(actor, space))
    body = body.strip()
    if not body:
        raise ServiceError(_("The working agreements cannot be empty."), "body")
    if len(body) > AGREEMENT_MAX:
        raise ServiceError(_("Keep the working agreements under %(n)d characters.", n=AGREEMENT_MAX), "body")
    seen = space.agreement_version
    # Under the space's row lock, with the version as it stands now: two publishes at once get
    # consecutive versions, and a twin submit of the same text finds it published.
    set_committed_value(space, "agreement_version", lock_row(Space.agreement_version, space.id))
    current = current_agreement(space)
    if body == current.body:
        # Published meanwhile by a twin submit (at once or just before): the same use case.
        just_published = (current.created_by_id == actor.user.id
                          and current.created_at > utcnow() - DOUBLE_SUBMIT_WINDOW)
        if space.agreement_version > seen or just_published:
            return current
        raise ServiceError(_("Nothing changed."), "body")
    agreement = add_agreement_version(space, body, created_by=actor.user)
    record_acceptance(actor.membership(space.id), agreement)
    return agreement
