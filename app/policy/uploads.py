"""Rules for uploaded files: who may upload into a space, and who may fetch a stored file (a
file attached to a post goes with that post: gone, hidden or in a hidden conversation,
its file is as unreadable as its text)."""
from __future__ import annotations

from app.policy.core import Actor, allowed
from app.policy.forum import can_edit_post
from app.policy.moderation import can_hide_post, can_view_hidden_thread


def can_upload_file(actor: Actor, space) -> bool:
    return allowed(actor, "upload_file", space.id)


def can_view_upload(actor: Actor, upload) -> bool:
    """`upload.post` (with its thread) must be loaded when the file belongs to a post."""
    if not allowed(actor, "view_space", upload.space_id):
        return False
    post = upload.post
    if post is None:
        # Held by another part (a library item): members of the space may fetch it; a part
        # that hides its items (removed, planned for later) adds its check here.
        return True
    if post.deleted_at is not None:
        return False
    if post.publish_at is not None and not allowed(actor, "view_planned", upload.space_id):
        return False  # a planned post's files do not exist for the group yet
    if post.thread.hidden_at is not None and not can_view_hidden_thread(actor, post.thread):
        return False
    return (post.hidden_at is None or can_edit_post(actor, post)
            or can_hide_post(actor, post))
