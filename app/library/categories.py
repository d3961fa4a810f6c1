"""A space's own library categories, kept by its leads: add, rename, and remove one that no
material uses. Built-in categories (app/library/labels.py) cannot be changed."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app import policy
from app.database import lock_row, transactional
from app.errors import ServiceError, require
from app.extensions import db
from app.library.labels import CATEGORY_LABELS
from app.library.models import CATEGORY_NAME_MAX, LibraryCategory, LibraryItem
from app.policy import Actor
from app.spaces.models import Space
from app.text import clean_line


def _free_name(space_id: int, name: str, *, keep: int | None = None) -> LibraryCategory | None:
    """Refuse a name that looks like a built-in category or another own category; return the
    own category that has exactly this name already (a resent form), if any."""
    key = name.casefold()
    if key in {str(label).casefold() for label in CATEGORY_LABELS.values()}:
        raise ServiceError(_("There is a built-in category with this name already."), "name")
    for category in db.session.scalars(select(LibraryCategory).where(
            LibraryCategory.space_id == space_id)):
        if category.id != keep and category.name.casefold() == key:
            if category.name == name and keep is None:
                return category
            raise ServiceError(_("This group has a category with this name already."), "name")
    return None


@transactional
def add_category(actor: Actor, space: Space, *, name: str) -> LibraryCategory:
    require(policy.can_manage_library_categories(actor, space))
    name = clean_name(name)
    # Under the space's row lock two leads adding the same name at once get one category.
    lock_row(Space.name, space.id)
    existing = _free_name(space.id, name)
    if existing is not None:
        return existing
    category = LibraryCategory(space_id=space.id, name=name)
    db.session.add(category)
    db.session.flush()
    return category


@transactional
def rename_category(actor: Actor, space: Space, category: LibraryCategory, *,
                    name: str) -> LibraryCategory:
    require(policy.can_manage_library_categories(actor, space) and category.space_id == space.id)
    name = clean_name(name)
    lock_row(Space.name, space.id)
    _free_name(space.id, name, keep=category.id)
    category.name = name
    return category


@transactional
def remove_category(actor: Actor, space: Space, category: LibraryCategory) -> None:
    """Only while no material (planned material included) is in it."""
    require(policy.can_manage_library_categories(actor, space) and category.space_id == space.id)
    # The row lock makes adding an item to it (app/library/service.py _category) wait.
    db.session.execute(update(LibraryCategory).where(LibraryCategory.id == category.id)
                       .values(name=LibraryCategory.name),
                       execution_options={"synchronize_session": False})
    used = db.session.scalar(select(func.count()).select_from(LibraryItem).where(
        LibraryItem.category_id == category.id, LibraryItem.deleted_at.is_(None)))
    if used:
        raise ServiceError(_("This category still has material in it. Move or remove that "
                             "material first."), "name")
    db.session.delete(category)


def clean_name(name: str) -> str:
    return clean_line(name or "", "name", CATEGORY_NAME_MAX, required=True)
