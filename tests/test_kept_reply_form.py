"""The thread page keeps its empty reply form rendered (app/forum/reply_form.py). Whatever
the form shows must show on the next view after a change, in this process and any other:
the key carries all of it. Each test views the page first (so the form is kept), changes
something through the real service and views again."""
from __future__ import annotations

import re

import pytest

from app import fragments
from app.extensions import db
from app.forum import reply_form
from tests.conftest import login


@pytest.fixture
def group(app, world):
    slug, lead = world.space()
    reader = world.member(slug, lead, name="Lezer")
    thread_id = world.thread(slug, lead, title="Een gesprek", body="Eerste bericht")
    post_id = world.reply(slug, thread_id, lead, "Een antwoord")
    return {"slug": slug, "lead": lead, "reader": reader, "thread": thread_id,
            "post": post_id, "world": world}


def _get(app, person, group, query: str = "?page=1", **kwargs):
    client = app.test_client()
    login(client, person)
    response = client.get(f"/s/{group['slug']}/t/{group['thread']}{query}", **kwargs)
    assert response.status_code == 200
    return response


def _form(page: str) -> str | None:
    match = re.search(r'<section class="card reply".*?</section>', page, re.S)
    return match.group(0) if match else None


def test_each_reader_gets_their_own_token_and_this_responses_nonce(app, group, world):
    reply_form.kept.clear()
    responses = [_get(app, group["reader"], group),
                 _get(app, world.member(group["slug"], group["lead"], name="Derde"), group)]
    assert reply_form.kept.misses == 1  # the second reader was served the kept form
    tokens = set()
    for response in responses:
        form = _form(response.get_data(as_text=True))
        assert fragments.TOKEN not in form
        assert fragments.NONCE not in form
        nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
        assert f'nonce="{nonce.group(1)}"' in form
        tokens.add(re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1))
    assert len(tokens) == 2


def test_closing_the_thread_shows_at_once(app, group):
    from app.forum import service as forum
    from app.forum.models import Thread

    assert 'class="badge"' not in _form(_get(app, group["lead"], group).get_data(as_text=True))
    assert _form(_get(app, group["reader"], group).get_data(as_text=True))
    world = group["world"]
    with world.ctx():
        forum.set_locked(world.actor(group["lead"].user_id),
                         db.session.get(Thread, group["thread"]), locked=True)
    assert 'class="badge"' in _form(_get(app, group["lead"], group).get_data(as_text=True))
    assert _form(_get(app, group["reader"], group).get_data(as_text=True)) is None


def test_a_lead_sees_the_planning_fields_at_once(app, group):
    from app.spaces import members
    from app.spaces.models import Membership

    assert "publish_date" not in _form(_get(app, group["reader"], group).get_data(as_text=True))
    world = group["world"]
    with world.ctx():
        members.change_role(world.actor(group["lead"].user_id),
                            db.session.get(Membership, group["reader"].membership_id),
                            role="cofacilitator")
    assert "publish_date" in _form(_get(app, group["reader"], group).get_data(as_text=True))


def test_switching_language_switches_the_kept_form(app, group):
    from app.accounts import service as accounts
    from app.accounts.models import User

    dutch = _form(_get(app, group["reader"], group).get_data(as_text=True))
    world = group["world"]
    with world.ctx():
        accounts.set_locale(db.session.get(User, group["reader"].user_id), locale="en")
    english = _form(_get(app, group["reader"], group).get_data(as_text=True))
    assert "Post reply" in english and "Post reply" not in dutch


def test_a_quote_is_drawn_in_the_form_never_kept_for_others(app, group):
    _get(app, group["reader"], group)  # the empty form kept
    quoting = _form(_get(app, group["reader"], group,
                         f"?page=1&quote={group['post']}").get_data(as_text=True))
    assert f'name="quote_of" id="quote_of" value="{group["post"]}"' in quoting
    empty = _form(_get(app, group["reader"], group).get_data(as_text=True))
    assert 'name="quote_of" id="quote_of" value=""' in empty


def test_behind_a_path_prefix_the_kept_form_posts_under_it(app, group):
    _get(app, group["reader"], group)  # kept without a prefix
    page = _get(app, group["reader"], group, base_url="http://localhost/kring")
    assert f'action="/kring/s/{group["slug"]}/t/{group["thread"]}/reply#reply"' in _form(
        page.get_data(as_text=True))
