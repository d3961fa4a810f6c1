"""The thread page keeps each post's rendered block (app/forum/post_blocks.py), the space home
each thread row (app/forum/home_rows.py). Every write
that changes what a block shows must show on the next view, for the writer and for others:
each test views the page first (so the block is kept), writes through the real service and
views again. The key carries everything the block shows, so these hold with several
processes too: no write has to reach this process's cache."""
from __future__ import annotations

import re

import pytest

from app import fragments
from app.extensions import db
from app.forum import post_blocks
from tests.conftest import login


@pytest.fixture
def group(app, world):
    slug, lead = world.space()
    author = world.member(slug, lead, name="Auteur")
    reader = world.member(slug, lead, name="Lezer")
    thread_id = world.thread(slug, author, title="Over de post", body="Eerste bericht")
    post_id = world.reply(slug, thread_id, author, "Oorspronkelijke tekst")
    return {"slug": slug, "lead": lead, "author": author, "reader": reader,
            "thread": thread_id, "post": post_id, "world": world}


def _view(app, person, group) -> str:
    client = app.test_client()
    login(client, person)
    response = client.get(f"/s/{group['slug']}/t/{group['thread']}?page=1")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _post_html(page: str, number: int = 2) -> str:
    match = re.search(rf'<li class="post[^"]*" id="p{number}">(.*?)</li>', page, re.S)
    assert match, f"post {number} not on the page"
    return match.group(1)


def _do(group, person, action):
    """Run `action(actor, post, space)` through the services, as `person`."""
    from app.forum.models import Post

    world = group["world"]
    with world.ctx():
        action(world.actor(person.user_id), db.session.get(Post, group["post"]),
               world.space_obj(group["slug"]))


def test_the_reader_gets_their_own_csrf_token_never_the_placeholder(app, group):
    page = _view(app, group["reader"], group)
    assert fragments.TOKEN not in page
    tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', _post_html(page)))
    assert len(tokens) == 1 and tokens <= set(re.findall(r'value="([^"]+)"', page))


def test_an_edit_shows_at_once(app, group):
    from app.forum import service

    assert "Oorspronkelijke tekst" in _view(app, group["reader"], group)
    _do(group, group["author"], lambda a, p, s: service.edit_post(a, p, body="Nieuwe tekst"))
    post = _post_html(_view(app, group["reader"], group))
    assert "Nieuwe tekst" in post and "Oorspronkelijke" not in post and "bewerkt" in post


def test_hiding_and_unhiding_show_at_once_for_reader_and_author(app, group):
    from app.moderation import outcomes

    _view(app, group["reader"], group), _view(app, group["author"], group)
    _do(group, group["lead"], lambda a, p, s: outcomes.hide_post(a, p, reason="Te persoonlijk"))
    assert "Oorspronkelijke tekst" not in _post_html(_view(app, group["reader"], group))
    assert "Te persoonlijk" in _post_html(_view(app, group["author"], group))
    _do(group, group["lead"], lambda a, p, s: outcomes.unhide_post(a, p))
    assert "Oorspronkelijke tekst" in _post_html(_view(app, group["reader"], group))
    assert "Te persoonlijk" not in _post_html(_view(app, group["author"], group))


def test_a_deleted_post_shows_as_deleted_at_once(app, group):
    from app.forum import service

    _view(app, group["reader"], group)
    _do(group, group["author"], lambda a, p, s: service.delete_post(a, p))
    post = _post_html(_view(app, group["reader"], group))
    assert "Oorspronkelijke tekst" not in post


def test_a_post_removed_for_good_shows_as_removed_at_once(app, group):
    from app.moderation import takedown

    _view(app, group["reader"], group)
    _do(group, group["lead"], lambda a, p, s: takedown.erase_post(a, p, reason="Adres",
                                                                   confirmed=True))
    post = _post_html(_view(app, group["reader"], group))
    assert "Oorspronkelijke tekst" not in post and "erased-post" in post


def test_a_reaction_shows_for_the_reactor_and_the_others(app, group):
    from app.forum import service

    _view(app, group["reader"], group), _view(app, group["author"], group)
    _do(group, group["reader"], lambda a, p, s: service.set_reaction(a, p, kind="thanks", on=True))
    mine = _post_html(_view(app, group["reader"], group))
    assert 'value="thanks:0"' in mine and "Lezer" in mine  # pressed, and named
    theirs = _post_html(_view(app, group["author"], group))
    assert 'value="thanks:1"' in theirs and "Lezer" in theirs
    _do(group, group["reader"], lambda a, p, s: service.set_reaction(a, p, kind="thanks", on=False))
    assert 'value="thanks:1"' in _post_html(_view(app, group["reader"], group))
    assert "Lezer" not in _post_html(_view(app, group["author"], group))


def test_a_role_change_changes_the_authors_label_and_the_readers_rights(app, group):
    from app.spaces import members
    from app.spaces.models import Membership

    before = _post_html(_view(app, group["reader"], group))
    assert "role-cofacilitator" not in before and "/hide" not in before
    world = group["world"]
    for person in (group["author"], group["reader"]):
        with world.ctx():
            members.change_role(world.actor(group["lead"].user_id),
                                db.session.get(Membership, person.membership_id),
                                role="cofacilitator")
    after = _post_html(_view(app, group["reader"], group))
    assert "role-cofacilitator" in after  # the author's badge
    assert f"/p/{group['post']}/hide" in after  # the reader now moderates


def test_a_new_display_name_shows_on_old_posts(app, group):
    from app.spaces import members

    assert "Auteur" in _post_html(_view(app, group["reader"], group))
    _do(group, group["author"], lambda a, p, s: members.change_display_name(
        a, s, display_name="Schrijver"))
    post = _post_html(_view(app, group["reader"], group))
    assert "Schrijver" in post and "Auteur" not in post


def test_switching_language_switches_the_kept_blocks(app, group):
    from app.accounts import service as accounts
    from app.accounts.models import User

    dutch = _post_html(_view(app, group["reader"], group))
    world = group["world"]
    with world.ctx():
        accounts.set_locale(db.session.get(User, group["reader"].user_id), locale="en")
    english = _post_html(_view(app, group["reader"], group))
    assert dutch != english and "Report" in english and "Report" not in dutch


def test_erasing_the_author_from_the_group_shows_the_pseudonym(app, group):
    from app.erasure.service import KEEP_ANONYMOUS, erase_from_space
    from app.spaces.models import Membership

    assert "Auteur" in _post_html(_view(app, group["reader"], group))
    world = group["world"]
    with world.ctx():
        erase_from_space(world.actor(group["author"].user_id),
                         db.session.get(Membership, group["author"].membership_id),
                         choice=KEEP_ANONYMOUS)
    post = _post_html(_view(app, group["reader"], group))
    assert "Auteur" not in post and "Oorspronkelijke tekst" in post


def test_one_kept_block_serves_readers_who_see_the_post_alike(app, group, world):
    other = world.member(group["slug"], group["lead"], name="Derde")
    post_blocks.blocks.clear()
    _view(app, group["reader"], group)
    misses = post_blocks.blocks.misses
    _view(app, other, group)
    assert post_blocks.blocks.misses == misses  # the same blocks, other readers
    _view(app, group["author"], group)  # their own post: edit link instead of report
    assert post_blocks.blocks.misses > misses


# --- the space home's rows --------------------------------------------------------------------

def _home_row(app, person, group) -> str:
    client = app.test_client()
    login(client, person)
    page = client.get(f"/s/{group['slug']}/").get_data(as_text=True)
    match = re.search(rf'<li class="thread[^"]*">(?:(?!</li>).)*?/t/{group["thread"]}\b.*?</li>',
                      page, re.S)
    assert match, "the thread's row is not on the home"
    return match.group(0)


def test_a_reply_changes_the_row_count_and_marks_it_new_for_the_reader(app, group):
    _view(app, group["reader"], group)  # read up to post 2
    before = _home_row(app, group["reader"], group)
    assert "2 berichten" in before and "has-unread" not in before
    group["world"].reply(group["slug"], group["thread"], group["author"], "Nog een")
    after = _home_row(app, group["reader"], group)
    assert "3 berichten" in after and "has-unread" in after and "1 nieuw" in after


def test_reading_the_thread_clears_the_rows_new_mark(app, group):
    assert "Nieuw" in _home_row(app, group["reader"], group)
    _view(app, group["reader"], group)
    assert "Nieuw" not in _home_row(app, group["reader"], group)


def test_a_new_title_hiding_and_pinning_show_on_the_row(app, group):
    from app.forum import service
    from app.forum.models import Thread
    from app.moderation import takedown

    world = group["world"]
    _home_row(app, group["reader"], group)
    with world.ctx():
        lead = world.actor(group["lead"].user_id)
        service.edit_thread_title(lead, db.session.get(Thread, group["thread"]), title="Nieuwe titel")
    assert "Nieuwe titel" in _home_row(app, group["reader"], group)
    with world.ctx():
        takedown.hide_thread(world.actor(group["lead"].user_id),
                             db.session.get(Thread, group["thread"]), reason="Even niet")
    assert "Nieuwe titel" not in _home_row(app, group["reader"], group)
    assert "Nieuwe titel" in _home_row(app, group["lead"], group)  # those who moderate see it


def test_the_row_follows_the_authors_name_and_the_readers_language(app, group):
    from app.accounts import service as accounts
    from app.accounts.models import User
    from app.spaces import members

    assert "Auteur" in _home_row(app, group["reader"], group)
    _do(group, group["author"], lambda a, p, s: members.change_display_name(
        a, s, display_name="Schrijver"))
    assert "Schrijver" in _home_row(app, group["reader"], group)
    with group["world"].ctx():
        accounts.set_locale(db.session.get(User, group["reader"].user_id), locale="en")
    assert "messages" in _home_row(app, group["reader"], group)


def test_behind_a_path_prefix_the_kept_blocks_link_under_it(app, group):
    _view(app, group["reader"], group)  # kept without a prefix
    client = app.test_client()
    login(client, group["reader"])
    page = client.get(f"/s/{group['slug']}/t/{group['thread']}?page=1",
                      base_url="http://localhost/kring").get_data(as_text=True)
    assert f'href="/kring/s/{group["slug"]}/p/{group["post"]}/flag"' in _post_html(page)
