"""Notes use cases: read, add, remove and export a member's notes (each one recorded, without
the text), and erase them when the membership ends (app/spaces/ending.py)."""
from __future__ import annotations

from collections import Counter

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select

from app import policy
from app.dates import format_moment
from app.database import transactional, utcnow
from app.errors import require
from app.extensions import db
from app.notes.models import (
    ERASE, EXPORT, NOTE_MAX, READ, REMOVE, WRITE, MemberNote, NoteAccess,
)
from app.policy import Actor
from app.spaces.models import Membership
from app.text import clean_text


def _record(membership: Membership, kind: str, *, actor: Actor | None, count: int = 0) -> None:
    """Append one row to the access record: who, when, which member, how many notes."""
    own = None if actor is None else actor.membership(membership.space_id)
    db.session.add(NoteAccess(
        space_id=membership.space_id, kind=kind, note_count=count,
        actor_id=None if own is None else own.id,
        actor_name="" if own is None else own.display_name,
        subject_id=membership.id, subject_name=membership.display_name))


def _notes_of(membership: Membership) -> list[MemberNote]:
    return list(db.session.scalars(
        select(MemberNote).where(MemberNote.space_id == membership.space_id,
                                 MemberNote.membership_id == membership.id)
        .order_by(MemberNote.created_at.desc(), MemberNote.id.desc())))


@transactional
def read_notes(actor: Actor, membership: Membership) -> list[MemberNote]:
    """A read is recorded in the same transaction: if the record cannot be written, the
    notes are not shown either."""
    require(policy.can_keep_notes(actor, membership))
    notes = _notes_of(membership)
    _record(membership, READ, actor=actor, count=len(notes))
    return notes


@transactional
def add_note(actor: Actor, membership: Membership, *, body: str) -> MemberNote:
    require(policy.can_write_note(actor, membership))
    own = actor.membership(membership.space_id)
    note = MemberNote(space_id=membership.space_id, membership_id=membership.id,
                      author_id=own.id, author_name=own.display_name,
                      body=clean_text(body, "body", NOTE_MAX, required=True))
    db.session.add(note)
    _record(membership, WRITE, actor=actor, count=1)
    return note


@transactional
def remove_note(actor: Actor, membership: Membership, note: MemberNote) -> None:
    require(policy.can_write_note(actor, membership) and note.membership_id == membership.id)
    db.session.delete(note)
    _record(membership, REMOVE, actor=actor, count=1)


@transactional
def export_notes(actor: Actor, membership: Membership) -> str:
    """The member's notes as plain text, for the facilitator's own file: the one way to keep
    them past the end of the membership."""
    require(policy.can_keep_notes(actor, membership))
    notes = _notes_of(membership)
    _record(membership, EXPORT, actor=actor, count=len(notes))
    lines = [_("Notes about %(name)s", name=membership.display_name),
             _("Exported on %(moment)s", moment=format_moment(actor.now)), ""]
    for note in reversed(notes):  # oldest first, as a file is read
        lines += [f"--- {format_moment(note.created_at)} · {note.author_name}", note.body, ""]
    if not notes:
        lines.append(_("There are no notes."))
    return "\n".join(lines) + "\n"


def erase_notes(ended) -> int:
    """Delete every note about these members, whose memberships are ending (rows of id,
    space_id, display_name; called by app/spaces/ending.py only, inside its transaction).
    The record keeps that it happened and how many, never what they said."""
    ids = [row.id for row in ended]
    if not ids:
        return 0
    erased = db.session.scalars(delete(MemberNote).where(MemberNote.membership_id.in_(ids))
                                .returning(MemberNote.membership_id)).all()
    counts = Counter(erased)
    if counts:
        db.session.execute(insert(NoteAccess), [
            {"space_id": row.space_id, "kind": ERASE, "note_count": counts[row.id],
             "actor_id": None, "actor_name": "", "subject_id": row.id,
             "subject_name": row.display_name, "created_at": utcnow()}
            for row in ended if counts[row.id]])
    return len(erased)


def access_record(actor: Actor, membership: Membership, limit: int = 50) -> list[NoteAccess]:
    """The latest entries of the member's access record, for those who may keep notes."""
    require(policy.can_keep_notes(actor, membership))
    return list(db.session.scalars(
        select(NoteAccess).where(NoteAccess.space_id == membership.space_id,
                                 NoteAccess.subject_id == membership.id)
        .order_by(NoteAccess.id.desc()).limit(limit)))


def get_note(membership: Membership, note_id: int) -> MemberNote | None:
    return db.session.scalar(select(MemberNote).where(
        MemberNote.id == note_id, MemberNote.space_id == membership.space_id,
        MemberNote.membership_id == membership.id))
