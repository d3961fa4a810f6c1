"""What a facilitator's copy of a whole space holds: every published conversation with its
posts (authors by the name the group sees), the library with its files and attachments, and
the history of the working agreement. One query per kind of row, never one per row. Left
out: deleted and erased posts' text, planned content, removed material, everything private
(the line, notes, reports, attendance reasons, questionnaire answers, email addresses)."""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from app.exports.rows import iso, safe_name
from app.extensions import db
from app.forum.models import Post, Thread
from app.library.models import LibraryItem
from app.spaces.models import Agreement, Membership, Space, shown_name_of
from app.uploads.models import Upload


def gather_space(space_id: int, progress=lambda n: None) -> dict:
    space = db.session.get(Space, space_id)
    author = aliased(Membership)
    threads = db.session.execute(
        select(Thread, shown_name_of(author)).join(author, author.id == Thread.author_id)
        .where(Thread.space_id == space_id, Thread.publish_at.is_(None))
        .order_by(Thread.created_at, Thread.id)).all()
    by_thread: dict[int, list] = {}
    for post, name in db.session.execute(
            select(Post, shown_name_of(author)).join(author, author.id == Post.author_id)
            .where(Post.space_id == space_id, Post.publish_at.is_(None))
            .order_by(Post.thread_id, Post.number)):
        removed = post.deleted_at is not None or post.erased_at is not None
        by_thread.setdefault(post.thread_id, []).append({
            "id": post.id, "number": post.number, "author": name, "created": iso(post.created_at),
            "edited": iso(post.edited_at), "hidden": iso(post.hidden_at),
            "deleted": removed, "text": None if removed else post.body})
    progress(30)
    data: dict = {
        "group": {"name": space.name, "theme": space.theme, "description": space.description,
                  "rental_start": iso(space.rental_start), "rental_end": iso(space.rental_end)},
        "threads": [{
            "id": t.id, "kind": t.kind, "title": None if t.title_removed_at else t.title,
            "started_by": name, "created": iso(t.created_at), "hidden": iso(t.hidden_at),
            "locked": t.is_locked, "posts": by_thread.get(t.id, [])}
            for t, name in threads],
    }
    items = db.session.execute(
        select(LibraryItem, shown_name_of(author)).join(author, author.id == LibraryItem.author_id)
        .where(LibraryItem.space_id == space_id, LibraryItem.deleted_at.is_(None),
               LibraryItem.publish_at.is_(None))
        .order_by(LibraryItem.created_at)).all()
    uploads = list(db.session.scalars(
        select(Upload).outerjoin(Post, Post.id == Upload.post_id)
        .where(Upload.space_id == space_id,
               or_(Upload.id.in_([i.upload_id for i, _n in items if i.upload_id]),
                   (Upload.post_id.is_not(None) & Post.deleted_at.is_(None)
                    & Post.erased_at.is_(None) & Post.publish_at.is_(None))))
        .order_by(Upload.id)))
    in_zip = {u.id: f"bestanden/{u.id}-{safe_name(u.original_name)}" for u in uploads}
    data["library"] = [{
        "kind": i.kind, "title": i.title, "description": i.description, "url": i.url or None,
        "added_by": name, "from_facilitators": i.from_leads, "created": iso(i.created_at),
        "file": in_zip.get(i.upload_id)} for i, name in items]
    data["attachments"] = [{
        "post": u.post_id, "name": u.original_name,
        "in_zip": in_zip[u.id]} for u in uploads if u.post_id is not None]
    data["agreements"] = [{
        "version": a.version, "text": a.body, "created": iso(a.created_at)}
        for a in db.session.scalars(select(Agreement).where(Agreement.space_id == space_id)
                                    .order_by(Agreement.version))]
    progress(50)
    return {"data": data, "uploads": [(u.id, u.storage_key, u.original_name) for u in uploads]}
