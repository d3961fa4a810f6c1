"""Every page keeps its menus rendered (app/navigation.py): the main menu of a logged-in
reader and the space menu. Whatever a menu shows must show on the next page after a change,
for this process and any other: the key carries all of it, so no write has to reach the
cache. Each test views a page first (so the menu is kept), changes something through the
real service and views again. The unread count's changes: tests/test_notifications.py."""
from __future__ import annotations

import re

import pytest

from app import fragments, navigation
from app.extensions import db
from tests.conftest import login


@pytest.fixture
def group(app, world):
    slug, lead = world.space()
    reader = world.member(slug, lead, name="Lezer")
    thread_id = world.thread(slug, lead, title="Een gesprek", body="Eerste bericht")
    return {"slug": slug, "lead": lead, "reader": reader, "thread": thread_id, "world": world}


def _page(app, person, path: str, **kwargs) -> str:
    client = app.test_client()
    login(client, person)
    response = client.get(path, **kwargs)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def _space_menu(page: str) -> str:
    match = re.search(r'<nav class="space-nav".*?</nav>', page, re.S)
    assert match, "no space menu on the page"
    return match.group(0)


def _site_menu(page: str) -> str:
    match = re.search(r'<nav aria-label="[^"]+">.*?</nav>', page, re.S)
    assert match, "no main menu on the page"
    return match.group(0)


def test_each_reader_gets_their_own_csrf_token_in_a_shared_menu(app, group, world):
    navigation.menus.clear()
    first = _site_menu(_page(app, group["reader"], "/account"))
    misses = navigation.menus.misses
    other = world.member(group["slug"], group["lead"], name="Derde")
    second = _site_menu(_page(app, other, "/account"))
    assert navigation.menus.misses == misses  # one kept menu served both readers
    tokens = [re.search(r'name="csrf_token" value="([^"]+)"', menu).group(1)
              for menu in (first, second)]
    assert tokens[0] != tokens[1]
    assert fragments.TOKEN not in first + second


def test_a_new_role_shows_its_links_at_once(app, group):
    from app.spaces import members
    from app.spaces.models import Membership

    home = f"/s/{group['slug']}/"
    assert "/moderation" not in _space_menu(_page(app, group["reader"], home))
    world = group["world"]
    with world.ctx():
        members.change_role(world.actor(group["lead"].user_id),
                            db.session.get(Membership, group["reader"].membership_id),
                            role="moderator")
    assert f"/s/{group['slug']}/moderation" in _space_menu(_page(app, group["reader"], home))


def test_a_renamed_space_shows_its_new_name_at_once(app, group):
    from app.spaces import service as spaces

    home = f"/s/{group['slug']}/"
    assert "Nieuwe naam" not in _space_menu(_page(app, group["reader"], home))
    world = group["world"]
    with world.ctx():
        space = world.space_obj(group["slug"])
        spaces.update_space(world.actor(group["lead"].user_id), space, name="Nieuwe naam",
                            theme=space.theme, description=space.description,
                            members_can_start_threads=space.members_can_start_threads)
    assert "Nieuwe naam" in _space_menu(_page(app, group["reader"], home))


def test_the_current_page_is_marked_on_every_page(app, group):
    slug = group["slug"]
    home = _space_menu(_page(app, group["reader"], f"/s/{slug}/"))
    library = _space_menu(_page(app, group["reader"], f"/s/{slug}/library"))
    assert re.search(rf'href="/s/{slug}/" aria-current="page"', home)
    assert re.search(rf'href="/s/{slug}/library" aria-current="page"', library)
    assert not re.search(rf'href="/s/{slug}/" aria-current="page"', library)


def test_switching_language_switches_the_kept_menus(app, group):
    from app.accounts import service as accounts
    from app.accounts.models import User

    home = f"/s/{group['slug']}/"
    dutch = _page(app, group["reader"], home)
    world = group["world"]
    with world.ctx():
        accounts.set_locale(db.session.get(User, group["reader"].user_id), locale="en")
    english = _page(app, group["reader"], home)
    assert "Library" in _space_menu(english) and "Library" not in _space_menu(dutch)
    assert "Log out" in _site_menu(english) and "Log out" not in _site_menu(dutch)


def test_an_open_case_shows_on_the_moderators_menu_at_once(app, group):
    from app.forum.models import Post
    from app.moderation import flags
    from sqlalchemy import select

    home = f"/s/{group['slug']}/"
    assert 'class="count"' not in _space_menu(_page(app, group["lead"], home))
    world = group["world"]
    with world.ctx():
        post = db.session.scalar(select(Post).where(Post.thread_id == group["thread"]))
        flags.flag_post(world.actor(group["reader"].user_id), post, reason="other",
                        note="Klopt dit?")
    menu = _space_menu(_page(app, group["lead"], home))
    assert re.search(r'<span class="count" aria-hidden="true">1</span>', menu)


def test_behind_a_path_prefix_the_kept_menus_link_under_it(app, group):
    home = f"/s/{group['slug']}/"
    _page(app, group["reader"], home)  # kept without a prefix
    page = _page(app, group["reader"], home, base_url="http://localhost/kring")
    assert f'href="/kring/s/{group["slug"]}/library"' in _space_menu(page)
    assert 'action="/kring/logout"' in _site_menu(page)
