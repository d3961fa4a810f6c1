"""What erasing one membership does to the space's content: the forum (posts deleted or kept
as "oud-deelnemer"), files and library material, the facilitators' line. Statements only,
scoped by the membership's space; called by app/erasure/service.py inside its transaction."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, exists, func, or_, select, update

from app.extensions import db
from app.forum.models import Post, PostRevision, Reaction, ReadState, Thread, ThreadTitleRevision
from app.forum.seed_models import StatementChoice
from app.library.models import LibraryItem
from app.line.models import LineConversation, LineMessage, LineRead
from app.moderation.models import ModerationCase
from app.notify.models import Notification
from app.spaces.models import Membership
from app.uploads import lifecycle
from app.uploads.models import Upload

_QUIET = {"synchronize_session": False}


def _run(statement) -> int:
    return db.session.execute(statement, execution_options=_QUIET).rowcount


def _own_posts(member: Membership):
    return select(Post.id).where(Post.space_id == member.space_id, Post.author_id == member.id)


def drop_files(member: Membership) -> None:
    """Every file the member uploaded (to posts or the library), and whatever hangs on
    their posts, goes in both choices: the rows now, the files from disk once the
    transaction commits (app/uploads/lifecycle.py, through app/storage/)."""
    mine = (Upload.space_id == member.space_id,
            or_(Upload.uploader_id == member.id, Upload.post_id.in_(_own_posts(member))))
    for key in db.session.scalars(select(Upload.storage_key).where(*mine)):
        lifecycle.delete_after_commit(key)
    _run(delete(Upload).where(*mine))
    # Their library material goes whole (title, description, address): an old link is a 404.
    _run(delete(LibraryItem).where(LibraryItem.space_id == member.space_id,
                                   LibraryItem.author_id == member.id))


def erase_forum(member: Membership, *, delete_posts: bool, now: datetime) -> None:
    """Earlier versions and what was never published go in both choices; with delete_posts
    the text of every post goes too, and the threads they started go whole unless someone
    else wrote in them or a moderation case is about them (then they stay, without title)."""
    space_id, own = member.space_id, _own_posts(member)
    _run(delete(PostRevision).where(PostRevision.space_id == space_id,
                                    PostRevision.post_id.in_(own)))
    _run(delete(ReadState).where(ReadState.space_id == space_id,
                                 ReadState.membership_id == member.id))
    # Planned threads and replies: nobody has seen them yet.
    _run(delete(Thread).where(Thread.space_id == space_id, Thread.author_id == member.id,
                              Thread.publish_at.is_not(None)))
    _run(delete(Post).where(Post.space_id == space_id, Post.author_id == member.id,
                            Post.publish_at.is_not(None)))
    if not delete_posts:
        return
    _run(delete(Reaction).where(Reaction.space_id == space_id,
                                or_(Reaction.membership_id == member.id,
                                    Reaction.post_id.in_(own))))
    _run(delete(StatementChoice).where(StatementChoice.space_id == space_id,
                                       StatementChoice.membership_id == member.id))
    _run(delete(Notification).where(Notification.space_id == space_id,
                                    Notification.post_id.in_(own)))
    _run(update(Post).where(Post.space_id == space_id, Post.author_id == member.id)
         .values(body="", body_html="", deleted_at=func.coalesce(Post.deleted_at, now)))
    started = (Thread.space_id == space_id, Thread.author_id == member.id)
    others_wrote = exists().where(Post.thread_id == Thread.id, Post.author_id != member.id)
    has_case = exists().where(ModerationCase.thread_id == Thread.id)
    _run(delete(Thread).where(*started, ~others_wrote, ~has_case))
    _run(delete(ThreadTitleRevision).where(
        ThreadTitleRevision.space_id == space_id,
        ThreadTitleRevision.thread_id.in_(select(Thread.id).where(*started))))
    _run(update(Thread).where(*started).values(
        title="", title_removed_at=func.coalesce(Thread.title_removed_at, now)))


def erase_line(member: Membership, *, delete_posts: bool) -> None:
    """The member's own line goes whole in both choices (it is about them alone). What a
    lead wrote in other members' lines follows the choice: kept, or deleted with the
    conversations' counters set right again."""
    space_id = member.space_id
    _run(delete(LineConversation).where(LineConversation.space_id == space_id,
                                        LineConversation.membership_id == member.id))
    _run(delete(LineRead).where(LineRead.space_id == space_id,
                                LineRead.membership_id == member.id))
    if not delete_posts:
        return
    touched = list(db.session.scalars(
        select(LineMessage.conversation_id.distinct()).where(
            LineMessage.space_id == space_id, LineMessage.author_id == member.id)))
    if not touched:
        return
    _run(delete(LineMessage).where(LineMessage.space_id == space_id,
                                   LineMessage.author_id == member.id))
    left = select(LineMessage).where(LineMessage.conversation_id == LineConversation.id)
    _run(update(LineConversation).where(LineConversation.id.in_(touched)).values(
        message_count=left.with_only_columns(func.count()).scalar_subquery(),
        last_message_id=left.with_only_columns(
            func.coalesce(func.max(LineMessage.id), 0)).scalar_subquery(),
        last_message_at=left.with_only_columns(func.max(LineMessage.created_at))
        .scalar_subquery()))
