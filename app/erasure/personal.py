"""What erasing one membership does to the rows about the member alone (attendance, absences,
answers, notices, notifications, settings, intake and invitation records), and to the names
the logs copied. Called by app/erasure/service.py inside its transaction."""
from __future__ import annotations

from sqlalchemy import delete, func, select, update

from app.evaluation.models import Recipient
from app.exports.models import DataExport
from app.extensions import db
from app.intake.models import Registration
from app.meetings.models import Attendance, AwayPeriod
from app.moderation.models import Flag, MemberNotice, ModerationLog
from app.notes.models import MemberNote, NoteAccess
from app.notify.models import Notification, NotificationSettings
from app.spaces.departure_models import Departure
from app.spaces.models import AgreementAcceptance, Invitation, Membership
from app.uploads import lifecycle

_QUIET = {"synchronize_session": False}


def _run(statement) -> int:
    return db.session.execute(statement, execution_options=_QUIET).rowcount


def drop_personal_rows(member: Membership, *, email: str) -> None:
    """Rows that describe the member, not the group's conversation: they go in both choices.
    The flags they raised stay (a moderation case counts its flaggers) but lose the note
    they typed. Notes the member wrote about others, as a facilitator, stay: they are the
    facilitators' record; only the author's name becomes the pseudonym (set_pseudonym)."""
    space_id, mid = member.space_id, member.id
    for model in (Attendance, AwayPeriod, AgreementAcceptance, Recipient, MemberNotice,
                  NotificationSettings, Departure):
        _run(delete(model).where(model.space_id == space_id, model.membership_id == mid))
    _run(delete(Notification).where(Notification.space_id == space_id,
                                    Notification.membership_id == mid))
    _run(update(Flag).where(Flag.space_id == space_id, Flag.flagger_id == mid)
         .values(note=""))
    # The way in (their invitation, their interest registration) names their address.
    address = email.strip().lower()
    _run(delete(Registration).where(Registration.space_id == space_id,
                                    func.lower(Registration.email) == address))
    _run(delete(Invitation).where(Invitation.space_id == space_id,
                                  func.lower(Invitation.email) == address))
    drop_exports(DataExport.space_id == space_id, DataExport.user_id == member.user_id)


def drop_exports(*where) -> None:
    """Export rows and their zips (the zips once the transaction commits)."""
    for key in db.session.scalars(select(DataExport.file_key).where(
            *where, DataExport.file_key != "")):
        lifecycle.delete_export_after_commit(key)
    _run(delete(DataExport).where(*where))


def set_pseudonym(member: Membership, pseudonym: str) -> None:
    """The membership keeps only the pseudonym, and so do the logs that copied its name
    (the append-only triggers let exactly this change through: app/log_pseudonyms.py).
    Call after the membership has moved to its erased account and been flushed."""
    space_id, mid = member.space_id, member.id
    for model in (ModerationLog, NoteAccess):
        _run(update(model).where(model.space_id == space_id, model.actor_id == mid,
                                 model.actor_name != pseudonym)
             .values(actor_name=pseudonym))
        _run(update(model).where(model.space_id == space_id, model.subject_id == mid,
                                 model.subject_name != pseudonym)
             .values(subject_name=pseudonym))
    _run(update(MemberNote).where(MemberNote.space_id == space_id, MemberNote.author_id == mid)
         .values(author_name=pseudonym))
