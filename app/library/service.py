"""Library use cases: add, edit and remove material, and open an item's conversation
("bespreek dit") through the forum. Each takes the actor first and checks policy first."""
from __future__ import annotations

from datetime import datetime

from flask import current_app
from werkzeug.datastructures import FileStorage
from flask_babel import gettext as _
from sqlalchemy import select, update

from app import policy
from app.database import DOUBLE_SUBMIT_WINDOW, lock_row, transactional, utcnow
from app.errors import ServiceError, require
from app.extensions import db
from app.forum import service as forum
from app.forum.models import DISCUSSION, Thread
from app.forum.schedule import check_publish_at
from app.library.models import (
    BUILTIN_CATEGORIES, DESCRIPTION_MAX, FILE, KINDS, URL_MAX, VIDEO, LibraryCategory,
    LibraryItem,
)
from app.library.notices import on_item_published
from app.markup import is_web_address
from app.policy import Actor
from app.spaces.models import Membership, Space
from app.text import TITLE_MAX, clean_line, clean_text, render_or_refuse
from app.uploads.models import Upload
from app.uploads.service import chosen, remove_upload, store_upload
from app.video import parse_video


def _description(text: str) -> tuple[str, str]:
    text = clean_text(text or "", "description", DESCRIPTION_MAX)
    return text, render_or_refuse(text, "description") if text else ""


def _address(kind: str, url: str) -> str:
    """The checked address of a link or video item ("" for a file)."""
    if kind == FILE:
        return ""
    url = (url or "").strip()
    if not url:
        raise ServiceError(_("Give the web address (it starts with https://)."), "url")
    if len(url) > URL_MAX:
        raise ServiceError(_("A web address can be at most %(n)d characters.", n=URL_MAX), "url")
    if not is_web_address(url):
        raise ServiceError(_("This is not a web address we can link to. Give a full address "
                             "that starts with https:// or http://."), "url")
    if kind == VIDEO and parse_video(url) is None:
        raise ServiceError(_("This is not a YouTube, Vimeo or PeerTube video address."), "url")
    return url


def _category(space_id: int, value: str) -> tuple[str | None, int | None]:
    """A built-in category key, or the id of one of the space's own categories, locked until
    the transaction ends so it cannot be removed while this item takes it."""
    value = (value or "").strip()
    if value in BUILTIN_CATEGORIES:
        return value, None
    if value.isascii() and value.isdigit() and len(value) < 10:
        found = db.session.scalar(
            update(LibraryCategory).where(LibraryCategory.id == int(value),
                                          LibraryCategory.space_id == space_id)
            .values(name=LibraryCategory.name).returning(LibraryCategory.id),
            execution_options={"synchronize_session": False})
        if found is not None:
            return None, found
    raise ServiceError(_("Choose one of the offered categories."), "category")


@transactional
def add_item(actor: Actor, space: Space, *, kind: str, title: str, description: str = "",
             category: str, url: str = "", file: FileStorage | None = None,
             from_leads: bool = False, publish_at: datetime | None = None) -> LibraryItem:
    """New material. Marking it "from the facilitators" or planning it is for the leads; the
    group hears about the leads' material when it is published. A file item's file is
    stored (app/uploads) within this transaction: refused or rolled back, it leaves nothing."""
    if kind not in KINDS:
        raise ServiceError(_("Choose one of the offered kinds."), "kind")
    require(policy.can_add_library_item(actor, space))
    if from_leads or publish_at is not None:
        require(policy.can_mark_from_leads(actor, space))
    title = clean_line(title or "", "title", TITLE_MAX, required=True)
    description, description_html = _description(description)
    url = _address(kind, url)
    files = chosen([file]) if kind == FILE else []
    if kind == FILE and not files:
        raise ServiceError(_("Choose the file you want to add."), "file")
    category_key, category_id = _category(space.id, category)
    author = actor.membership(space.id)
    # The check for a resent form runs under the author's row lock: of two identical submits
    # arriving together, the second waits here and then finds the first one's item.
    lock_row(Membership.role, author.id)
    now = utcnow()
    repeat = db.session.scalar(select(LibraryItem).where(
        LibraryItem.space_id == space.id, LibraryItem.author_id == author.id,
        LibraryItem.kind == kind, LibraryItem.title == title, LibraryItem.url == url,
        LibraryItem.description == description, LibraryItem.deleted_at.is_(None),
        LibraryItem.created_at > now - DOUBLE_SUBMIT_WINDOW))
    if repeat is not None:
        return repeat
    if publish_at is not None:  # in the future, within a year, before the space closes
        check_publish_at(actor, space, publish_at)
    upload = store_upload(actor, space, files[0], field="file") if files else None
    item = LibraryItem(space_id=space.id, author_id=author.id, kind=kind, title=title,
                       description=description, description_html=description_html, url=url,
                       upload_id=upload.id if upload is not None else None,
                       category=category_key, category_id=category_id, from_leads=from_leads,
                       created_at=now, publish_at=publish_at)
    db.session.add(item)
    db.session.flush()
    if publish_at is None:
        on_item_published(item)
    return item


@transactional
def edit_item(actor: Actor, item: LibraryItem, *, title: str, description: str,
              category: str, url: str = "", file: FileStorage | None = None,
              from_leads: bool | None = None) -> LibraryItem:
    """Title, description, category, address, or another file in place of the old one; the
    kind stays. Only the author, when a lead, changes the "from the facilitators" mark (a
    lead editing a member's item does not turn it into theirs)."""
    require(policy.can_edit_library_item(actor, item))
    title = clean_line(title or "", "title", TITLE_MAX, required=True)
    description, description_html = _description(description)
    url = _address(item.kind, url)
    category_key, category_id = _category(item.space_id, category)
    own = actor.membership(item.space_id)
    if (from_leads is not None and own.id == item.author_id
            and policy.can_mark_from_leads(actor, own.space)):
        item.from_leads = from_leads
    changed = (title, description, url, category_key, category_id) != (
        item.title, item.description, item.url, item.category, item.category_id)
    files = chosen([file]) if item.kind == FILE else []
    if files:
        _replace_file(actor, item, files[0])
    if changed or files:
        item.title, item.description, item.description_html = title, description, description_html
        item.url, item.category, item.category_id = url, category_key, category_id
        item.edited_at = utcnow()
    return item


def _replace_file(actor: Actor, item: LibraryItem, file: FileStorage) -> None:
    space = actor.membership(item.space_id).space
    old = item.upload_id
    item.upload_id = store_upload(actor, space, file, field="file").id
    _remove_file(old)


def _remove_file(upload_id: int | None) -> None:
    """The file goes once the transaction has committed (app/uploads)."""
    if upload_id is None:
        return
    db.session.flush()  # the item no longer points at it
    upload = db.session.get(Upload, upload_id)
    if upload is not None:
        remove_upload(upload)


@transactional
def remove_item(actor: Actor, item: LibraryItem) -> None:
    """The title, text and address go; the row stays as a marker, so the item's conversation
    (which belongs to everyone who wrote in it) can say the material was removed."""
    require(policy.can_remove_library_item(actor, item))
    item.deleted_at = utcnow()
    item.title = item.description = item.description_html = item.url = ""
    item.category, item.category_id, item.from_leads = None, None, False
    upload_id, item.upload_id = item.upload_id, None
    _remove_file(upload_id)


def _markdown_text(text: str) -> str:
    """Text that Markdown shows as it is: every ASCII punctuation mark escaped."""
    return "".join(f"\\{ch}" if ch.isascii() and not ch.isalnum() and not ch.isspace() else ch
                   for ch in text)


def item_path(space: Space, item: LibraryItem) -> str:
    """The item's page, as a path (no request needed: the CLI and the demo call this too)."""
    return current_app.url_map.bind("kring.invalid").build(
        "library.item", {"slug": space.slug, "item_id": item.id})


@transactional
def discuss_item(actor: Actor, item: LibraryItem) -> Thread:
    """The item's conversation: opened on first use through the forum (its rules apply),
    found again after that. Under the item's row lock, so two people clicking at once get
    one conversation, not two."""
    require(policy.can_view_library_item(actor, item))
    lock_row(LibraryItem.title, item.id)
    thread_id = db.session.scalar(select(LibraryItem.thread_id).where(LibraryItem.id == item.id))
    if thread_id is not None:
        return db.session.get(Thread, thread_id)
    require(policy.can_start_library_discussion(actor, item))
    space = actor.membership(item.space_id).space
    body = "%s\n\n[%s](%s)" % (_("A conversation about this material from the library:"),
                               _markdown_text(item.title), item_path(space, item))
    thread = forum.start_thread(actor, space, kind=DISCUSSION, title=item.title, body=body)
    item.thread_id = thread.id
    return thread
