"""Leave and be forgotten: erase one's data from one group, or the whole account. The member
chooses what happens to their posts (deleted, or kept under "oud-deelnemer"); everything else
about them goes. Nobody can undo it: the membership is cut loose from the account."""
from __future__ import annotations

import secrets

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from app import policy
from app.accounts.models import User
from app.audit import events
from app.audit.service import record
from app.database import lock_row, transactional, utcnow
from app.erasure.content import drop_files, erase_forum, erase_line
from app.erasure.personal import drop_exports, drop_personal_rows, set_pseudonym
from app.errors import ServiceError, require
from app.exports.models import DataExport
from app.extensions import db
from app.intake.models import Registration
from app.notify.outbox import OutboxMessage
from app.policy import Actor
from app.search.index import forget_removed_words
from app.spaces.ending import end_memberships
from app.spaces.models import Invitation, Membership

# The member's choice for their posts.
DELETE_POSTS = "delete"
KEEP_ANONYMOUS = "keep"
CHOICES = (DELETE_POSTS, KEEP_ANONYMOUS)


def _check_choice(choice: str) -> None:
    if choice not in CHOICES:
        raise ServiceError(_("Choose what happens to your messages."), "posts")


def _pseudonym(member: Membership) -> str:
    """"oud-deelnemer 17": the group's word for a former member, in the group's language,
    with the membership's number (which the logs hold already), so a facilitator reading
    the log can still tell two former members apart, and never who they were."""
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "nl")):
        return f"{_('former member')} {member.id}"[:60]


def _tombstone(now) -> User:
    """An account nobody can use, to hold an erased membership: the real account (if it
    stays) is no longer linked to it, so a new invitation starts afresh instead of reviving
    the old membership, and nobody can undo the erasure."""
    user = User(email=f"erased-{secrets.token_hex(16)}@erased.invalid", password_hash="!",
                erased_at=now, notify_new_device=False)
    db.session.add(user)
    db.session.flush()
    return user


def _erase_membership(user: User, member: Membership, choice: str, now) -> None:
    """One membership, in the caller's transaction; the membership ends through the one way
    memberships end (its notes go with it)."""
    end_memberships(Membership.id == member.id, at=now)
    db.session.refresh(member)
    drop_files(member)
    erase_forum(member, delete_posts=choice == DELETE_POSTS, now=now)
    erase_line(member, delete_posts=choice == DELETE_POSTS)
    drop_personal_rows(member, email=user.email)
    pseudonym = _pseudonym(member)
    member.user_id = _tombstone(now).id
    member.display_name = pseudonym
    member.anonymous_after_leaving = True
    member.leaves_on = member.last_seen_on = member.commitment_sessions = None
    member.suspended_at = member.suspended_until = None
    db.session.flush()
    set_pseudonym(member, pseudonym)
    record(events.ERASED_FROM_SPACE, actor_id=user.id, subject_id=user.id,
           space_id=member.space_id, detail=f"posts={choice}")


@transactional
def erase_from_space(actor: Actor, member: Membership, *, choice: str) -> bool:
    """Erase the actor's data from one group. False when it was erased a moment ago (a
    double submit): nothing more happens."""
    require(policy.can_erase_membership(actor, member))
    _check_choice(choice)
    # Under the membership's row lock, two submits at once erase it once.
    lock_row(Membership.role, member.id)
    db.session.refresh(member)
    if member.user_id != actor.user.id:
        return False
    _erase_membership(actor.user, member, choice, utcnow())
    forget_removed_words(db.session)
    return True


@transactional
def erase_account(actor: Actor, user: User, *, choice: str) -> bool:
    """Erase every membership as above, then the account itself: its sessions, second
    factor, recovery codes, calendar feed, exports, notifications and reset links go with
    the row (ON DELETE CASCADE), and so does the mail still addressed to it. Nothing
    points to the row any more, so it is deleted rather than kept as a tombstone. False
    when it was erased a moment ago (a double submit)."""
    require(policy.can_erase_account(actor, user))
    _check_choice(choice)
    if lock_row(User.locale, user.id) is None:
        return False
    now, user_id, address = utcnow(), user.id, user.email.strip().lower()
    for member in db.session.scalars(select(Membership).where(Membership.user_id == user_id)
                                     .order_by(Membership.id)).all():
        _erase_membership(user, member, choice, now)
    for model, column in ((OutboxMessage, OutboxMessage.to_addr),
                          (Registration, Registration.email), (Invitation, Invitation.email)):
        db.session.execute(delete(model).where(func.lower(column) == address),
                           execution_options={"synchronize_session": False})
    drop_exports(DataExport.user_id == user_id)  # the row's cascade would leave the zips
    record(events.ACCOUNT_ERASED, actor_id=user_id, subject_id=user_id,
           detail=f"posts={choice}")
    db.session.execute(delete(User).where(User.id == user_id),
                       execution_options={"synchronize_session": False})
    db.session.expunge(user)
    forget_removed_words(db.session)
    return True
