"""Who hears about what happens in the forum: the thread's participants, those mentioned by
name, everyone for seeded content. The forum decides; app/notify delivers."""
from __future__ import annotations

from sqlalchemy import bindparam, or_, select

from app.database import utcnow
from app.extensions import db
from app.forum.models import SEED_KINDS, Post, Thread
from app.notify.kinds import MENTION, REPLY, SEED_CONTENT
from app.notify.service import notify
from app.spaces.models import Membership, Space
from app.spaces.queries import active_members


def mentioned(body: str, members) -> set[int]:
    """Membership ids whose display name follows an "@" in the text (case-insensitive;
    the longest name wins where names share a start). One pass over the text: each "@" is
    compared in place against the names, never by copying the rest of the text."""
    if "@" not in body:
        return set()
    lowered = body.lower()
    # Names by first character, longest first, so an "@" is compared only with the names
    # that could follow it.
    by_start: dict[str, list[tuple[str, int]]] = {}
    for name, member_id in sorted(((m.display_name.lower(), m.id) for m in members),
                                  key=lambda n: -len(n[0])):
        if name:
            by_start.setdefault(name[0], []).append((name, member_id))
    found: set[int] = set()
    at = lowered.find("@")
    while at != -1:
        start = at + 1
        for name, member_id in by_start.get(lowered[start:start + 1], ()):
            end = start + len(name)
            if lowered.startswith(name, start) and (end == len(lowered) or not lowered[end].isalnum()):
                found.add(member_id)
                break
        at = lowered.find("@", start)
    return found


def _took_part():
    # The thread's starter and the authors of its published posts (not a planned reply's).
    # Asked per member through (thread_id, author_id): a look-up per member of the group
    # instead of reading every post of a long thread.
    return or_(Membership.id == bindparam("starter_id"), select(Post.id).where(
        Post.thread_id == bindparam("thread_id"), Post.author_id == Membership.id,
        Post.deleted_at.is_(None), Post.publish_at.is_(None)).exists())


# Who may be told of a reply, in one statement built once, whatever the group's size
# (issue 12): without an "@" only those who took part; with one every active member with
# their name, to find those mentioned. Plain rows: notify needs only the two ids.
_ACTIVE = (Membership.space_id == bindparam("space_id")) & Membership.usable_at(bindparam("now"))
_PARTICIPANTS = (select(Membership.id, Membership.user_id)
                 .where(_ACTIVE, Membership.id != bindparam("author_id"), _took_part())
                 .order_by(Membership.id))
_MEMBERS = (select(Membership.id, Membership.user_id, Membership.display_name,
                   _took_part().label("took_part"))
            .where(_ACTIVE).order_by(Membership.id))


def on_reply(thread: Thread, post: Post) -> None:
    """Tell those who started or took part in the thread, and those mentioned."""
    params = {"space_id": thread.space_id, "now": utcnow(), "thread_id": thread.id,
              "starter_id": thread.author_id, "author_id": post.author_id}
    kinds = None
    if "@" not in post.body:  # nobody mentioned: no names needed
        recipients = db.session.execute(_PARTICIPANTS, params).all()
    else:
        members = db.session.execute(_MEMBERS, params).all()
        named = mentioned(post.body, members)
        recipients = [m for m in members
                      if m.id != post.author_id and (m.took_part or m.id in named)]
        kinds = {m.id: MENTION for m in recipients if m.id in named}
    notify(db.session.get(Space, thread.space_id), recipients, kind=REPLY, thread_id=thread.id,
           post_id=post.id, about_id=post.author_id, kinds_by_recipient=kinds)


def on_thread(thread: Thread, post: Post) -> None:
    """Seeded content reaches everyone; a plain conversation only those mentioned in it."""
    others = [m for m in active_members(thread.space_id) if m.id != thread.author_id]
    space = db.session.get(Space, thread.space_id)
    if thread.kind in SEED_KINDS:
        notify(space, others, kind=SEED_CONTENT, thread_id=thread.id, post_id=post.id,
               about_id=thread.author_id)
        return
    named = mentioned(post.body, others)
    notify(space, [m for m in others if m.id in named], kind=MENTION, thread_id=thread.id,
           post_id=post.id, about_id=thread.author_id)
