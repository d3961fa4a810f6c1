"""The demo library (app/demo_content.toml): material from the facilitators and from the
group, one of the group's own categories and one discussed item, added through the real
services and dated over the past weeks."""
from __future__ import annotations

import io
from datetime import datetime, timedelta

from sqlalchemy import select, update
from werkzeug.datastructures import FileStorage

from app.extensions import db
from app.forum import service as forum
from app.forum.models import Post, Thread
from app.library import categories, service
from app.library.models import BUILTIN_CATEGORIES
from app.notify.models import Notification


def seed_library(content: dict, space, actors: dict, now: datetime) -> None:
    """`actors`: person key → Actor. Items are dated from two weeks ago to yesterday."""
    own = {spec["name"]: str(categories.add_category(actors["facilitator"], space,
                                                     name=spec["name"]).id)
           for spec in content.get("library_categories", [])}
    specs = content.get("library", [])
    for index, spec in enumerate(specs):
        added = now - timedelta(days=14) + timedelta(hours=index * 13 * 24 / max(1, len(specs)))
        category = spec["category"] if spec["category"] in BUILTIN_CATEGORIES else own[spec["category"]]
        file = None
        if "file" in spec:
            data = spec["file"]["text"].lstrip("\n").encode("utf-8")
            file = FileStorage(io.BytesIO(data), filename=spec["file"]["name"])
        item = service.add_item(actors[spec["author"]], space, kind=spec["kind"],
                                title=spec["title"], description=spec["description"].strip(),
                                category=category, url=spec.get("url", ""), file=file,
                                from_leads=spec.get("from_leads", False))
        item.created_at = added
        db.session.execute(update(Notification).where(Notification.about_id == item.author_id,
                                                      Notification.kind == "library_item",
                                                      Notification.created_at > added)
                           .values(created_at=added), execution_options={"synchronize_session": False})
        replies = spec.get("discussion", [])
        if not replies:
            continue
        first, *rest = replies
        thread = service.discuss_item(actors[first["author"]], item)
        stamps = [added + timedelta(hours=2)]
        forum.reply(actors[first["author"]], thread, body=first["body"].strip())
        stamps.append(stamps[-1] + timedelta(minutes=5))
        for reply in rest:
            forum.reply(actors[reply["author"]], thread, body=reply["body"].strip())
            stamps.append(stamps[-1] + timedelta(hours=3))
        posts = db.session.scalars(select(Post).where(Post.thread_id == thread.id)
                                   .order_by(Post.number)).all()
        for post, stamp in zip(posts, stamps):
            post.created_at = stamp
        thread_row = db.session.get(Thread, thread.id)
        thread_row.created_at, thread_row.last_post_at = stamps[0], stamps[-1]
