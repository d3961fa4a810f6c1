"""What a member's own export holds, gathered in a fixed number of queries (one per kind of
row, never one per row). Per table (app/models.py), decided on purpose:

- users: email, language, created, last login, settings (new-device mail), 2FA on/off;
  never the password hash, session epoch or any secret.
- memberships (+ spaces: name only): own display name, role, joined/ended, agreed number of
  meetings, leaving day, last visit day, suspension dates, the anonymity choice.
- notification_settings: own choices per group.
- threads: the title only of threads the member can read now (not hidden, deleted or still
  planned), or of threads they started themselves (their own words).
- posts + post_revisions: own posts (deleted ones too, while their text is kept) and the
  earlier texts; who else edited is only a yes/no, never a name. Never anyone else's post.
- reactions, statement_choices: own reactions and positions (the post or statement by id and
  readable thread title only).
- uploads (+ the files), library_items: own material and attachments; removed items are gone.
- notifications: kind and dates, never who they were about.
- agreement_acceptances: which version, when. flags: own reports (reason, own note, state).
- member_notices: only that and when the moderators wrote (their text may name others).
- attendances, away_periods: own cancellations with reasons, recorded attendance, periods away.
- line_messages: only the messages the member wrote themselves.
- registrations: interest registrations made with the account's email address.
- questionnaire_answers: own answers with the questions they answer.
- calendar_feeds: whether a feed exists (never its token). user_sessions: device, network,
  dates (never the key). two_factor/recovery_codes: only "on/off".
Left out: member_notes and note_access_log (the facilitators' professional record: asked for
through the organisation), moderation cases and log, read positions, outbox, audit events,
digest bookkeeping, password resets, login failures, email changes, invitations."""
from __future__ import annotations

from sqlalchemy import select

from app import policy
from app.accounts.models import User
from app.exports.personal_rhythm import gather_rhythm
from app.exports.rows import iso, plain, safe_name
from app.extensions import db
from app.forum.models import Post, PostRevision, Reaction, Thread
from app.forum.seed_models import StatementChoice, StatementPosition
from app.library.models import LibraryItem
from app.moderation.models import Flag, MemberNotice
from app.notify.models import Notification, NotificationSettings
from app.spaces.models import Agreement, AgreementAcceptance, Membership, Space
from app.spaces.queries import load_actor
from app.uploads.models import Upload


def _title(row, readable: set[int], own: set[int]) -> str | None:
    """A thread's title only where the member may see it now, or it is their own words."""
    if row.title_removed_at is not None:
        return None
    if row.thread_author_id in own:
        return row.title
    visible = row.hidden_at is None and row.thread_publish_at is None
    return row.title if visible and row.thread_space_id in readable else None


def _thread_columns():
    return (Thread.title, Thread.title_removed_at, Thread.hidden_at,
            Thread.publish_at.label("thread_publish_at"),
            Thread.space_id.label("thread_space_id"),
            Thread.author_id.label("thread_author_id"))


def gather(user_id: int, progress=lambda n: None) -> dict:
    user = db.session.get(User, user_id)
    actor = load_actor(user)
    readable = set(policy.readable_memberships(actor))
    rows = db.session.execute(
        select(Membership, Space.name).join(Space, Space.id == Membership.space_id)
        .where(Membership.user_id == user_id).order_by(Membership.joined_at)).all()
    mids = {m.id for m, _name in rows}
    space_names = {m.space_id: name for m, name in rows}
    group = {m.id: space_names[m.space_id] for m, _name in rows}
    settings = {s.membership_id: s for s in db.session.scalars(
        select(NotificationSettings).where(NotificationSettings.membership_id.in_(mids)))}
    own = select(Membership.id).where(Membership.user_id == user_id)
    data: dict = {
        "profile": {
            "email": user.email, "language": user.locale, "created": iso(user.created_at),
            "last_login": iso(user.last_login_at),
            "settings": {"mail_on_new_device": user.notify_new_device},
            "two_factor_on": user.two_factor_on,
        },
        "memberships": [{
            "group": name, "display_name": m.display_name, "role": m.role,
            "joined": iso(m.joined_at), "ended": iso(m.ended_at),
            "agreed_meetings": m.commitment_sessions, "leaves_on": iso(m.leaves_on),
            "last_visit_day": iso(m.last_seen_on), "suspended": iso(m.suspended_at),
            "suspended_until": iso(m.suspended_until),
            "anonymous_after_leaving": m.anonymous_after_leaving,
            "notification_settings": plain(settings.get(m.id), exclude=(
                "membership_id", "space_id")),
        } for m, name in rows],
    }
    progress(10)

    posts = db.session.execute(
        select(Post, *_thread_columns()).join(Thread, Thread.id == Post.thread_id)
        .where(Post.author_id.in_(own)).order_by(Post.created_at, Post.id)).all()
    revisions: dict[int, list] = {}
    for revision in db.session.scalars(
            select(PostRevision).where(PostRevision.post_id.in_(
                select(Post.id).where(Post.author_id.in_(own))))
            .order_by(PostRevision.created_at, PostRevision.id)):
        revisions.setdefault(revision.post_id, []).append(revision)
    data["threads_started"] = [
        {"group": space_names.get(t.space_id), "thread": t.id, "kind": t.kind,
         "title": None if t.title_removed_at else t.title, "created": iso(t.created_at)}
        for t in db.session.scalars(select(Thread).where(Thread.author_id.in_(own))
                                    .order_by(Thread.created_at))]
    data["posts"] = [{
        "group": group[p.author_id], "thread": p.thread_id,
        "thread_title": _title(row, readable, mids), "number": p.number,
        "created": iso(p.created_at), "edited": iso(p.edited_at),
        "edited_by_someone_else": p.edited_by_id not in (None, p.author_id),
        "deleted": iso(p.deleted_at), "hidden": iso(p.hidden_at),
        "planned_for": iso(p.publish_at),
        "text": None if p.erased_at else p.body,
        "earlier_texts": [{"text": r.body, "replaced": iso(r.created_at),
                           "replaced_by_someone_else": r.replaced_by_id not in (None,
                                                                                p.author_id)}
                          for r in revisions.get(p.id, [])],
    } for row in posts for p in (row[0],)]
    progress(30)

    data["reactions"] = [{
        "group": group[r.membership_id], "post": r.post_id, "thread": row.thread_id,
        "thread_title": _title(row, readable, mids), "reaction": r.kind,
        "created": iso(r.created_at)}
        for row in db.session.execute(
            select(Reaction, Post.thread_id, *_thread_columns())
            .join(Post, Post.id == Reaction.post_id).join(Thread, Thread.id == Post.thread_id)
            .where(Reaction.membership_id.in_(own)).order_by(Reaction.created_at))
        for r in (row[0],)]
    data["statement_positions"] = [{
        "group": group[c.membership_id], "thread": c.thread_id,
        "thread_title": _title(row, readable, mids), "position": label,
        "chosen": iso(c.chosen_at)}
        for row in db.session.execute(
            select(StatementChoice, StatementPosition.label, *_thread_columns())
            .join(StatementPosition, StatementPosition.id == StatementChoice.position_id)
            .join(Thread, Thread.id == StatementChoice.thread_id)
            .where(StatementChoice.membership_id.in_(own)))
        for c, label in ((row[0], row[1]),)]
    uploads = list(db.session.scalars(select(Upload).where(Upload.uploader_id.in_(own))
                                      .order_by(Upload.created_at)))
    data["files"] = [{
        "group": group[u.uploader_id], "id": u.id, "name": u.original_name,
        "type": u.content_type, "size": u.size_bytes, "created": iso(u.created_at),
        "post": u.post_id, "in_zip": f"bestanden/{u.id}-{safe_name(u.original_name)}"}
        for u in uploads]
    data["library"] = [{
        "group": group[i.author_id], "kind": i.kind, "title": i.title,
        "description": i.description, "url": i.url or None, "file": i.upload_id,
        "created": iso(i.created_at), "edited": iso(i.edited_at),
        "planned_for": iso(i.publish_at)}
        for i in db.session.scalars(select(LibraryItem).where(
            LibraryItem.author_id.in_(own), LibraryItem.deleted_at.is_(None))
            .order_by(LibraryItem.created_at))]
    progress(50)

    data.update(gather_rhythm(user, own, group))
    data["notifications"] = [{
        "group": space_names.get(n.space_id), "kind": n.kind, "created": iso(n.created_at),
        "read": iso(n.read_at), "mailed": iso(n.mailed_at)}
        for n in db.session.scalars(select(Notification).where(Notification.user_id == user_id)
                                    .order_by(Notification.created_at))]
    data["agreements_accepted"] = [{
        "group": group[a.membership_id], "version": version, "accepted": iso(a.accepted_at)}
        for a, version in db.session.execute(
            select(AgreementAcceptance, Agreement.version)
            .join(Agreement, Agreement.id == AgreementAcceptance.agreement_id)
            .where(AgreementAcceptance.membership_id.in_(own))
            .order_by(AgreementAcceptance.accepted_at))]
    data["reports_made"] = [{
        "group": group[f.flagger_id], "post": f.post_id, "reason": f.reason, "note": f.note,
        "state": f.state, "created": iso(f.created_at), "withdrawn": iso(f.withdrawn_at),
        "handled": iso(f.handled_at)}
        for f in db.session.scalars(select(Flag).where(Flag.flagger_id.in_(own))
                                    .order_by(Flag.created_at))]
    data["messages_from_moderators"] = [{
        "group": group[n.membership_id], "sent": iso(n.created_at), "read": iso(n.read_at)}
        for n in db.session.scalars(select(MemberNotice).where(
            MemberNotice.membership_id.in_(own)).order_by(MemberNotice.created_at))]
    progress(70)
    return {"data": data, "uploads": [(u.id, u.storage_key, u.original_name) for u in uploads]}

