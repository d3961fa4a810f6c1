"""Helpers for the erasure tests: a member who left traces everywhere (posts, an edit, a
thread title, an attachment, library material, the line, a flag note, reactions, a moderation
case, a display name), each carrying one unique marker, and the erasure pages driven the way
a browser does (re-authentication first)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.forum.models import Post, Thread
from tests import uploadfiles as files
from tests.conftest import PASSWORD, Person, csrf_token, login

MARKER = "Zwq7Kx"  # appears nowhere in Kring but in what the member wrote


@dataclass
class Traces:
    slug: str
    space_id: int
    lead: Person
    member: Person  # the one who erases
    other: Person
    own_thread: int  # started by the member, nobody else wrote in it
    shared_thread: int  # started by the member, the other replied
    lead_thread: int  # started by the lead, the member replied
    member_reply: int
    other_reply: int  # the other's reply in shared_thread
    upload_id: int
    item_id: int


def leave_traces(world, *, marker: str = MARKER) -> Traces:
    from app.forum import service as forum
    from app.library import service as library
    from app.line import service as line
    from app.moderation import flags
    from app.uploads.models import Upload

    slug, lead = world.space()
    member = world.member(slug, lead, name=f"Naam{marker}")
    other = world.member(slug, lead, name="Ander lid")
    lead_thread = world.thread(slug, lead, title="Hoe gaat het?", body="Vertel maar.")
    own_thread = world.thread(slug, member, title=f"Titel{marker} alleen",
                              body=f"Bericht{marker} in een eigen gesprek")
    shared_thread = world.thread(slug, member, title=f"Titel{marker} gedeeld",
                                 body=f"Opening{marker} met antwoord")
    other_reply = world.reply(slug, shared_thread, other, "Dank je, ik herken dit.")
    with world.ctx():
        actor, space = world.actor(member.user_id), world.space_obj(slug)
        reply = forum.reply(actor, db.session.get(Thread, lead_thread),
                            body=f"Eerste{marker} versie",
                            files=[files.storage_of(f"bijlage{marker}".encode(), "notitie.txt")])
        reply_id = reply.id
        forum.edit_post(world.actor(member.user_id), db.session.get(Post, reply_id),
                        body=f"Tweede{marker} versie")
        upload_id = db.session.scalar(select(Upload.id).where(Upload.post_id == reply_id))
        item = library.add_item(world.actor(member.user_id), world.space_obj(slug), kind="file",
                                title=f"Werkblad{marker}", description=f"Uitleg{marker}",
                                category="assignments",
                                file=files.storage_of(f"inhoud{marker}".encode(), "blad.txt"))
        item_id = item.id
        line.write_to_facilitators(world.actor(member.user_id), world.space_obj(slug),
                                   body=f"Lijn{marker} bericht")
        forum.set_reaction(world.actor(member.user_id), db.session.get(Post, other_reply),
                           kind="support", on=True)
        forum.set_reaction(world.actor(other.user_id), db.session.get(Post, reply_id),
                           kind="thanks", on=True)
        flags.flag_post(world.actor(member.user_id), db.session.get(Post, other_reply),
                        reason="other", note=f"Melding{marker} toelichting")
        space_id = world.space_obj(slug).id
    return Traces(slug, space_id, lead, member, other, own_thread, shared_thread, lead_thread,
                  reply_id, other_reply, upload_id, item_id)


def confirm_identity(client, person: Person) -> None:
    token = csrf_token(client, "/account/confirm")
    response = client.post("/account/confirm", data={"csrf_token": token, "password": PASSWORD,
                                                     "next": "/account/delete"})
    assert response.status_code == 302, response.get_data(as_text=True)


def erase(client, person: Person, scope, posts: str, *, logged_in: bool = False):
    """Log in, confirm, choose, and confirm the erasure: the last response."""
    if not logged_in:
        login(client, person)
        confirm_identity(client, person)
    token = csrf_token(client, "/account/delete")
    chosen = client.post("/account/delete", data={"csrf_token": token, "scope": str(scope),
                                                  "posts": posts})
    assert chosen.status_code == 200, chosen.get_data(as_text=True)
    return client.post("/account/delete/confirm", data={
        "csrf_token": token, "scope": str(scope), "posts": posts, "understood": "y"})
