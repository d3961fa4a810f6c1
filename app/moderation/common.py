"""Small pieces the moderation services share: the row lock that serialises work on one
post, the open-case counter on the space, and opening or finding a post's case."""
from __future__ import annotations

from sqlalchemy import select, update

from app.database import lock_row, utcnow
from app.extensions import db
from app.forum.models import Post
from app.moderation.models import ModerationCase
from app.spaces.models import Space


def lock_post(post: Post) -> None:
    """Hold the post's row lock until the transaction ends, and see its latest state: of two
    flags (or a flag and a resolve) on one post at the same moment, the second waits here."""
    lock_row(Post.hidden_source, post.id)
    db.session.refresh(post)


def count_open_case(space_id: int, delta: int) -> None:
    """Keep spaces.open_case_count (the badge in the space menu) in step."""
    db.session.execute(update(Space).where(Space.id == space_id)
                       .values(open_case_count=Space.open_case_count + delta),
                       execution_options={"synchronize_session": False})


def open_case_of(post: Post) -> ModerationCase | None:
    return db.session.scalar(select(ModerationCase).where(
        ModerationCase.post_id == post.id, ModerationCase.resolved_at.is_(None)))


def open_case_for(post: Post) -> tuple[ModerationCase, bool]:
    """The post's open case, or a new one (True): call with the post locked."""
    case = open_case_of(post)
    if case is not None:
        return case, False
    case = ModerationCase(space_id=post.space_id, post_id=post.id, thread_id=post.thread_id,
                          post_author_id=post.author_id, created_at=utcnow())
    db.session.add(case)
    db.session.flush()
    count_open_case(post.space_id, +1)
    return case, True
