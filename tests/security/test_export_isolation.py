"""ASVS V8 (data protection) / GDPR art. 15: a member's export holds their own data and
nothing of any other member: not their names, posts, files or email addresses — checked on
the raw bytes of the zip and on every file inside it."""
from __future__ import annotations

import json

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app import storage
from app.extensions import db
from app.forum import service as forum
from app.forum.models import Post, Thread
from app.library import service as library
from app.line import service as line
from app.spaces.models import Membership
from app.uploads.models import Upload
from tests import uploadfiles
from tests.conftest import login
from tests.exports import ask, build, confirm, download, unzip


def _file(world, slug, person, name: str, title: str) -> None:
    import io

    with world.ctx():
        library.add_item(world.actor(person.user_id), world.space_obj(slug), kind="file",
                         title=title, category="tips",
                         file=FileStorage(stream=io.BytesIO(uploadfiles.pdf()), filename=name))


def _everything(data: bytes) -> bytes:
    """The zip as stored plus every file in it, uncompressed, and its names."""
    files = unzip(data)
    return data + b"".join(name.encode() + content for name, content in files.items())


def test_an_export_holds_the_members_own_posts_files_and_revisions_and_nothing_of_others(
        app, client, world):
    slug, lead = world.space()
    alice = world.member(slug, lead, name="Alida")
    bob = world.member(slug, lead, name="Bertolt")
    # Bob starts the conversation, Alice replies and edits her reply, Bob answers her.
    thread_id = world.thread(slug, bob, title="Over slapen", body="bobtekst-xq7 over mijn nachten")
    alice_post = world.reply(slug, thread_id, alice, "alicetekst-eerste versie")
    with world.ctx():
        forum.edit_post(world.actor(alice.user_id), db.session.get(Post, alice_post),
                        body="alicetekst-tweede versie")
    bob_post = world.reply(slug, thread_id, bob, "bobtekst-antwoord aan @Alida")
    with world.ctx():
        forum.set_reaction(world.actor(alice.user_id), db.session.get(Post, bob_post),
                           kind="support", on=True)
        forum.set_reaction(world.actor(bob.user_id), db.session.get(Post, alice_post),
                           kind="thanks", on=True)
        space = world.space_obj(slug)
        line.write_to_facilitators(world.actor(alice.user_id), space, body="alicelijn-vraag")
        member = db.session.get(Membership, alice.membership_id)
        line.write_to_member(world.actor(lead.user_id), space, member,
                             body="begeleiderlijn-antwoord")
    _file(world, slug, alice, "alicebestand.pdf", "Alice haar werkblad")
    _file(world, slug, bob, "bobgeheim-bestand.pdf", "bobtitel-materiaal")
    # Bob's own world elsewhere: another group with his name in it.
    other, other_lead = world.space()
    world.accept(world.invite_token(other, other_lead, email=bob.email),
                 display_name="Bertolt", email_user=bob)

    login(client, alice)
    confirm(client, alice)
    ask(client)
    build(app)
    _location, response = download(client)
    assert response.status_code == 200
    everything = _everything(response.data)
    files = unzip(response.data)
    data = json.loads(files["data.json"])

    # Alice's own words, their earlier version and her file (the bytes themselves).
    texts = [post["text"] for post in data["posts"]]
    assert "alicetekst-tweede versie" in texts
    assert data["posts"][0]["earlier_texts"][0]["text"] == "alicetekst-eerste versie"
    assert [f["name"] for f in data["files"]] == ["alicebestand.pdf"]
    with world.ctx():
        stored = db.session.scalar(select(Upload.storage_key)
                                   .where(Upload.original_name == "alicebestand.pdf"))
        with storage.open(stored) as handle:
            assert files[data["files"][0]["in_zip"]] == handle.read()
    assert data["line_messages"] == [{"group": f"Groep {slug}", "sent": data["line_messages"][0]["sent"],
                                      "text": "alicelijn-vraag"}]
    assert data["reactions"][0]["reaction"] == "support"
    assert b"Alida" in everything

    # Nothing of Bob, nor of the facilitator's words to her.
    for trace in ("Bertolt", "bobtekst", "bobgeheim", "bobtitel", bob.email,
                  "begeleiderlijn", lead.email):
        for form in {trace, trace.lower(), json.dumps(trace)[1:-1]}:
            assert form.encode() not in everything, trace
    with world.ctx():
        assert db.session.get(Thread, thread_id).title == "Over slapen"
    # The conversation's title is shown: she can read it.
    assert {post["thread_title"] for post in data["posts"]} == {"Over slapen"}


def test_a_thread_title_is_left_out_once_the_member_cannot_read_the_conversation(
        app, client, world):
    slug, lead = world.space()
    alice = world.member(slug, lead, name="Alida")
    thread_id = world.thread(slug, lead, title="verborgen-titel", body="Start")
    world.reply(slug, thread_id, alice, "alicetekst")
    from app.moderation import takedown

    with world.ctx():
        takedown.hide_thread(world.actor(lead.user_id), db.session.get(Thread, thread_id),
                             reason="Even niet")
    login(client, alice)
    confirm(client, alice)
    ask(client)
    build(app)
    _location, response = download(client)
    everything = _everything(response.data)
    assert b"alicetekst" in everything
    assert b"verborgen-titel" not in everything
