"""Quoting a post in a reply ("citeer"): works without JavaScript, stores a reference (never
a copy), is drawn from the quoted post on every view, so a post hidden, deleted or removed
for good later never shows its text in a quote, and refuses posts of other threads/spaces."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from app.errors import NotFound
from app.extensions import db
from app.forum.models import Post, Thread
from tests.conftest import Person, csrf_token, login

SECRET = "Mijn adres is Geheimstraat 12 in Ergensdorp"


@dataclass
class Scene:
    slug: str
    lead: Person  # facilitator: moderates, erases
    author: Person  # wrote the quoted post
    reader: Person  # quotes it
    other: Person  # only reads
    thread_id: int
    quoted_id: int  # the author's post, number 2


def _scene(world) -> Scene:
    slug, lead = world.space()
    author = world.member(slug, lead, name="Anna Auteur")
    reader = world.member(slug, lead, name="Ruben Reactie")
    other = world.member(slug, lead, name="Olga Ook")
    thread_id = world.thread(slug, lead, title="Een gesprek", body="Eerste bericht")
    quoted_id = world.reply(slug, thread_id, author, SECRET)
    return Scene(slug, lead, author, reader, other, thread_id, quoted_id)


def _thread_url(s: Scene, **args) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"page": 1, **args}.items())
    return f"/s/{s.slug}/t/{s.thread_id}?{query}"


def _get(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def _send(client, s: Scene, body: str, quote_of="", thread_id=None):
    thread_id = thread_id or s.thread_id
    token = csrf_token(client, f"/s/{s.slug}/t/{thread_id}?page=1")
    return client.post(f"/s/{s.slug}/t/{thread_id}/reply",
                       data={"csrf_token": token, "body": body, "quote_of": quote_of})


def _quotes(html: str) -> list[str]:
    """The quotes in the posts (not the reply form's preview)."""
    posts = re.search(r'<ol class="posts">.*?</ol>', html, re.S).group(0)
    return re.findall(r'<blockquote class="quote[^"]*">.*?</blockquote>', posts, re.S)


def _reply_quoting(world, s: Scene, body="Dat herken ik") -> int:
    return world.reply(s.slug, s.thread_id, s.reader, body, quote=s.quoted_id)


def _count_posts(world) -> int:
    with world.ctx():
        return db.session.scalar(select(func.count()).select_from(Post))


# --- the good path ----------------------------------------------------------------------------

def test_quote_link_opens_the_reply_form_with_the_quote_marked_without_javascript(app, world, client):
    s = _scene(world)
    login(client, s.reader)
    html = _get(client, _thread_url(s))
    link = re.search(r'<a href="([^"]*quote=' + str(s.quoted_id) + r'[^"]*)"[^>]*data-quote=', html)
    assert link, "a Citeer link under the author's post"
    href = link.group(1).replace("&amp;", "&")
    assert href.endswith("#reply")
    form = _get(client, href.split("#")[0])
    assert f'name="quote_of" id="quote_of" value="{s.quoted_id}"' in form
    preview = re.search(r'<div class="quote-preview" id="quote-preview"[^>]*>(.*?)</div>', form, re.S)
    assert "hidden" not in preview.group(0).split(">")[0]
    assert "Anna Auteur schreef" in preview.group(1) and SECRET in preview.group(1)
    assert "Citaat weghalen" in preview.group(1)


def test_reply_with_a_quote_stores_a_reference_and_shows_name_excerpt_and_link(app, world, client):
    s = _scene(world)
    login(client, s.reader)
    response = _send(client, s, "Dat herken ik", quote_of=str(s.quoted_id))
    assert response.status_code == 302
    with world.ctx():
        post = db.session.scalar(select(Post).where(Post.thread_id == s.thread_id, Post.number == 3))
        assert post.quote_of_id == s.quoted_id
        assert SECRET not in post.body and SECRET not in post.body_html  # no copy
    login(client, s.other)
    html = _get(client, _thread_url(s))
    [quote] = _quotes(html)
    assert "Anna Auteur schreef" in quote and SECRET in quote
    assert f'href="/s/{s.slug}/t/{s.thread_id}?page=1#p2"' in quote
    # The quote opens the quoting post, above its own text.
    third = html.split('id="p3"', 1)[1]
    assert third.index("blockquote") < third.index("Dat herken ik")


def test_quote_excerpt_is_short_plain_text_and_escaped(app, world, client):
    s = _scene(world)
    long_post = ("**Vet** en <script>alert(1)</script> " + "woord " * 200).strip()
    quoted = world.reply(s.slug, s.thread_id, s.author, long_post)
    world.reply(s.slug, s.thread_id, s.reader, "Lang verhaal", quote=quoted)
    login(client, s.other)
    html = _get(client, _thread_url(s))
    [quote] = _quotes(html)
    text = re.search(r'<p class="quote-text">(.*?)</p>', quote, re.S).group(1)
    assert text.startswith("Vet en &lt;script&gt;alert(1)&lt;/script&gt; woord")
    assert text.endswith("…") and len(text.replace("&lt;", "<").replace("&gt;", ">")) <= 301
    assert "<strong>" not in quote and "<script>alert" not in html


def test_editing_a_post_keeps_its_quote(app, world, client):
    s = _scene(world)
    reply_id = _reply_quoting(world, s)
    login(client, s.reader)
    token = csrf_token(client, f"/s/{s.slug}/p/{reply_id}/edit")
    response = client.post(f"/s/{s.slug}/p/{reply_id}/edit",
                           data={"csrf_token": token, "body": "Dat herken ik heel goed"})
    assert response.status_code == 302
    with world.ctx():
        assert db.session.get(Post, reply_id).quote_of_id == s.quoted_id
    [quote] = _quotes(_get(client, _thread_url(s)))
    assert "Anna Auteur schreef" in quote


def test_a_double_submitted_quoting_reply_is_posted_once(app, world, client):
    s = _scene(world)
    login(client, s.reader)
    before = _count_posts(world)
    first = _send(client, s, "Zelfde tekst", quote_of=str(s.quoted_id))
    second = _send(client, s, "Zelfde tekst", quote_of=str(s.quoted_id))
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert _count_posts(world) == before + 1


# --- refused quotes ---------------------------------------------------------------------------

def test_quote_of_a_post_in_another_thread_or_space_is_a_404(app, world, client):
    s = _scene(world)
    elsewhere = world.thread(s.slug, s.lead, title="Ander gesprek", body="Ander bericht")
    other_thread_post = world.first_post_id(elsewhere)
    other_slug, other_lead = world.space()
    foreign_thread = world.thread(other_slug, other_lead, title="Buiten", body="Van een andere groep")
    foreign_post = world.first_post_id(foreign_thread)
    login(client, s.reader)
    for post_id in (other_thread_post, foreign_post):
        assert client.get(_thread_url(s, quote=post_id)).status_code == 404
    before = _count_posts(world)
    for post_id in (other_thread_post, foreign_post):
        response = _send(client, s, "Citaat van elders", quote_of=str(post_id))
        assert response.status_code == 404
        assert "Van een andere groep" not in response.get_data(as_text=True)
    assert _count_posts(world) == before


@pytest.mark.parametrize("value", ["abc", "0", "-1", "2.5", "99999999999", "²", "１"])
def test_quote_of_an_invalid_id_is_a_404_never_a_500(app, world, client, value):
    s = _scene(world)
    login(client, s.reader)
    assert client.get(_thread_url(s, quote=value)).status_code == 404
    assert _send(client, s, "Tekst", quote_of=value).status_code == 404
    assert client.get(_thread_url(s, quote=123456)).status_code == 404  # no such post
    assert client.get(_thread_url(s, quote="")).status_code == 200  # no quote asked


def test_service_refuses_a_quote_from_another_thread(app, world):
    s = _scene(world)
    elsewhere = world.thread(s.slug, s.lead, title="Ander gesprek", body="Ander bericht")
    from app.forum import service

    with world.ctx():
        other_post = db.session.get(Post, world.first_post_id(elsewhere))
        with pytest.raises(NotFound):
            service.reply(world.actor(s.reader.user_id), db.session.get(Thread, s.thread_id),
                          body="Mis", quote=other_post)


def test_quote_of_a_post_hidden_after_the_form_opened_is_refused_and_the_text_kept(app, world, client):
    s = _scene(world)
    login(client, s.reader)
    _get(client, _thread_url(s, quote=s.quoted_id))
    _hide(world, s)
    before = _count_posts(world)
    response = _send(client, s, "Mijn zorgvuldig getypte antwoord", quote_of=str(s.quoted_id))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Mijn zorgvuldig getypte antwoord" in html  # the text is kept
    assert "intussen verborgen of verwijderd" in html
    assert 'name="quote_of" id="quote_of" value=""' in html  # sent again: without the quote
    assert SECRET not in html
    assert _count_posts(world) == before
    assert _send(client, s, "Mijn zorgvuldig getypte antwoord").status_code == 302


def test_asking_to_quote_a_hidden_or_deleted_post_shows_a_notice_not_its_text(app, world, client):
    s = _scene(world)
    _hide(world, s)
    login(client, s.reader)
    html = _get(client, _thread_url(s, quote=s.quoted_id))
    assert "Dit bericht kun je niet citeren" in html
    assert 'name="quote_of" id="quote_of" value=""' in html
    assert SECRET not in html


def test_quote_link_is_offered_only_on_readable_posts_to_those_who_may_reply(app, world, client):
    s = _scene(world)
    deleted = world.reply(s.slug, s.thread_id, s.other, "Even weg")
    with world.ctx():
        from app.forum import service
        service.delete_post(world.actor(s.other.user_id), db.session.get(Post, deleted))
    _hide(world, s)
    login(client, s.author)  # sees their own hidden post, but it cannot be quoted
    html = _get(client, _thread_url(s))
    quotable = set(re.findall(r'data-quote="(\d+)"', html))
    assert quotable == {str(world.first_post_id(s.thread_id))}
    with world.ctx():
        from app.forum import service
        service.set_locked(world.actor(s.lead.user_id), db.session.get(Thread, s.thread_id),
                           locked=True)
    assert 'data-quote="' not in _get(client, _thread_url(s))  # closed: no replies, no quotes
    assert _get(client, _thread_url(s, quote=world.first_post_id(s.thread_id)))  # no form: ignored
    login(client, s.lead)  # leads still reply in a closed conversation
    assert 'data-quote="' in _get(client, _thread_url(s))


# --- the quoted post changes later --------------------------------------------------------------

def _hide(world, s: Scene) -> None:
    from app.moderation import outcomes

    with world.ctx():
        outcomes.hide_post(world.actor(s.lead.user_id), db.session.get(Post, s.quoted_id),
                           reason="Bevat een adres")


def _delete(world, s: Scene) -> None:
    from app.forum import service

    with world.ctx():
        service.delete_post(world.actor(s.author.user_id), db.session.get(Post, s.quoted_id))


def _erase(world, s: Scene) -> None:
    from app.moderation import takedown

    with world.ctx():
        takedown.erase_post(world.actor(s.lead.user_id), db.session.get(Post, s.quoted_id),
                            reason="Bevat een adres", confirmed=True)


@pytest.mark.parametrize("change, shown", [
    (_hide, "Dit bericht is verborgen door een begeleider."),
    (_delete, "Dit bericht is verwijderd."),
    (_erase, "Dit bericht is verwijderd door een begeleider."),
], ids=["hidden", "deleted", "erased"])
def test_a_quote_of_a_post_changed_later_never_shows_its_text(app, world, change, shown):
    s = _scene(world)
    _reply_quoting(world, s)
    change(world, s)
    for person in (s.reader, s.other, s.author, s.lead):
        client = app.test_client()
        login(client, person)
        html = _get(client, _thread_url(s))
        [quote] = _quotes(html)
        assert shown in quote, person.name
        assert SECRET not in quote and "Geheimstraat" not in quote, person.name
        assert 'data-quote="%d"' % s.quoted_id not in html, person.name
        if person in (s.reader, s.other):  # in the group: not anywhere on the page
            assert "Geheimstraat" not in html, person.name
    # The author of a hidden post still reads it in place (not in the quote), and so do
    # those who moderate; a deleted or erased post is gone for them too.
    client = app.test_client()
    login(client, s.author)
    assert ("Geheimstraat" in _get(client, _thread_url(s))) == (change is _hide)
