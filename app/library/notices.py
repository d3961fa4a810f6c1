"""Who hears about new material: everyone in the group (but its author) when the leads add
something "from the facilitators". The library decides; app/notify delivers."""
from __future__ import annotations

from app.extensions import db
from app.library.models import LibraryItem
from app.notify.kinds import LIBRARY_ITEM
from app.notify.service import notify
from app.spaces.models import Space
from app.spaces.queries import active_members


def on_item_published(item: LibraryItem) -> None:
    """Call when an item becomes visible to the group: at once, or (planned) when its time
    has come. Members' own material makes no noise."""
    if not item.from_leads or item.deleted_at is not None:
        return
    others = [m for m in active_members(item.space_id) if m.id != item.author_id]
    notify(db.session.get(Space, item.space_id), others, kind=LIBRARY_ITEM,
           about_id=item.author_id)
