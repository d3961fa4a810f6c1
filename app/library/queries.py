"""Read services for the library: the filtered, paginated list and single items, loaded
through the space named in the URL in a fixed number of queries. Planned material is left
out for everyone who may not see it; removed material is left out of every list."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from app import policy
from app.errors import NotFound, require
from app.extensions import db
from app.library.labels import CATEGORY_LABELS
from app.library.models import (
    BUILTIN_CATEGORIES, ITEMS_PER_PAGE, KINDS, LibraryCategory, LibraryItem,
)
from app.paging import reach
from app.policy import Actor
from app.spaces.models import Space


def _require_view(actor: Actor, space: Space) -> None:
    if not policy.can_view_library(actor, space):
        raise NotFound()


def own_categories(space: Space) -> list[LibraryCategory]:
    return list(db.session.scalars(select(LibraryCategory).where(
        LibraryCategory.space_id == space.id).order_by(LibraryCategory.name)))


def category_choices(own: list[LibraryCategory]) -> list[tuple[str, str]]:
    """(value, label) for forms and the filter: built-in first, then the space's own."""
    return ([(key, str(CATEGORY_LABELS[key])) for key in BUILTIN_CATEGORIES]
            + [(str(c.id), c.name) for c in own])


@dataclass
class LibraryPage:
    items: list[LibraryItem]
    page: int
    pages: int  # the last page known to exist (app/paging.py)
    more: bool  # ... and there are pages after it, not counted
    category: str | None  # the filter in effect (a valid value), None: all
    kind: str | None
    categories: list[tuple[str, str]]

    @property
    def filtered(self) -> bool:
        return self.category is not None or self.kind is not None


def _listed(actor: Actor, space: Space):
    """The items this actor sees in the space's library."""
    conditions = [LibraryItem.space_id == space.id, LibraryItem.deleted_at.is_(None)]
    if not policy.can_view_planned(actor, space):
        conditions.append(or_(LibraryItem.publish_at.is_(None),
                              LibraryItem.publish_at <= actor.now))
    return conditions


def listed_at():
    """Newest first: planned material counts from its publication."""
    return func.coalesce(LibraryItem.publish_at, LibraryItem.created_at)


def library_page(actor: Actor, space: Space, *, category: str | None = None,
                 kind: str | None = None, page: int = 1) -> LibraryPage:
    _require_view(actor, space)
    own = own_categories(space)
    conditions = _listed(actor, space)
    if category in BUILTIN_CATEGORIES:
        conditions.append(LibraryItem.category == category)
    elif category in {str(c.id) for c in own}:
        conditions.append(LibraryItem.category_id == int(category))
    else:
        category = None  # unknown or gone: show everything
    if kind in KINDS:
        conditions.append(LibraryItem.kind == kind)
    else:
        kind = None
    counted = reach(select(LibraryItem.id).where(*conditions), page, ITEMS_PER_PAGE)
    page = counted.page
    items = list(db.session.scalars(
        select(LibraryItem).where(*conditions)
        .order_by(listed_at().desc(), LibraryItem.id.desc())
        .limit(ITEMS_PER_PAGE).offset((page - 1) * ITEMS_PER_PAGE)
        .options(joinedload(LibraryItem.author), joinedload(LibraryItem.own_category),
                 joinedload(LibraryItem.thread), joinedload(LibraryItem.upload))))
    return LibraryPage(items=items, page=page, pages=counted.pages, more=counted.more,
                       category=category,
                       kind=kind, categories=category_choices(own))


def get_item(actor: Actor, space: Space, item_id: int, *,
             include_removed: bool = False) -> LibraryItem:
    """An item of this space this actor may see (404 otherwise: another space's item, a
    planned one for a member). `include_removed` lets the item page say it was removed."""
    _require_view(actor, space)
    item = db.session.scalar(
        select(LibraryItem).where(LibraryItem.id == item_id, LibraryItem.space_id == space.id)
        .options(joinedload(LibraryItem.author), joinedload(LibraryItem.own_category),
                 joinedload(LibraryItem.thread), joinedload(LibraryItem.upload)))
    if item is None:
        raise NotFound()
    if item.deleted_at is not None and include_removed:
        return item
    if not policy.can_view_library_item(actor, item):
        raise NotFound()
    return item


def get_item_for_edit(actor: Actor, space: Space, item_id: int) -> LibraryItem:
    item = get_item(actor, space, item_id)
    require(policy.can_edit_library_item(actor, item))
    return item


def get_category(actor: Actor, space: Space, category_id: int) -> LibraryCategory:
    _require_view(actor, space)
    require(policy.can_manage_library_categories(actor, space))
    category = db.session.scalar(select(LibraryCategory).where(
        LibraryCategory.id == category_id, LibraryCategory.space_id == space.id))
    if category is None:
        raise NotFound()
    return category


def category_use(space: Space) -> dict[int, int]:
    """How many live items each own category holds (one query)."""
    return dict(db.session.execute(
        select(LibraryItem.category_id, func.count()).where(
            LibraryItem.space_id == space.id, LibraryItem.deleted_at.is_(None),
            LibraryItem.category_id.is_not(None)).group_by(LibraryItem.category_id)).all())


def file_hidden(actor: Actor, upload) -> bool:
    """Is this stored file (one no post holds) a library item's that the actor may not see
    yet? For the file route (app/uploads/queries.py): planned material's file is a 404 too."""
    item = db.session.scalar(select(LibraryItem).where(LibraryItem.upload_id == upload.id,
                                                       LibraryItem.space_id == upload.space_id))
    return item is not None and not policy.can_view_library_item(actor, item)
