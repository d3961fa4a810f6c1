"""Automatic hiding (issue 8, item 5): enough different members flagging one post for a rule
reason hide it until a moderator decides; worry about someone never counts, a lead's post is
only queued, and the number is a space setting that can be off."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.moderation.models import ModerationCase
from app.notify.kinds import POST_HIDDEN
from app.spaces.models import Space
from tests.conftest import login
from tests.moderation import as_, case_id_of, flag, group, kinds_for, post


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


# --- automatic hiding -------------------------------------------------------------------------

def test_three_different_flaggers_hide_the_post_until_a_moderator_decides(app, client, world):
    g = group(world)
    flag(world, g.members[0], g.post_id, reason="hurtful")
    flag(world, g.members[1], g.post_id, reason="spam")
    assert post(world, g.post_id).hidden_at is None
    flag(world, g.members[2], g.post_id, reason="other", note="Klopt niet")

    hidden = post(world, g.post_id)
    assert hidden.hidden_at is not None and hidden.hidden_source == "flags"
    with world.ctx():
        assert db.session.get(ModerationCase, case_id_of(world, g.post_id)).is_auto_hidden
    login(client, g.members[0])
    thread = _page(client, f"/s/{g.slug}/t/{g.thread_id}?page=1")
    assert "Een bericht dat gemeld wordt" not in thread
    assert "verborgen door een begeleider" in thread
    login(client, g.moderator)
    assert "Automatisch verborgen" in _page(client, f"/s/{g.slug}/moderation")
    assert POST_HIDDEN in kinds_for(world, g.author)


def test_worried_flags_never_count_towards_hiding(app, world):
    g = group(world, flaggers=4)
    for member in g.members[:3]:
        flag(world, member, g.post_id, reason="concern")
    flag(world, g.members[3], g.post_id, reason="hurtful")
    assert post(world, g.post_id).hidden_at is None


def test_a_facilitators_post_is_never_hidden_automatically_but_queued(app, world):
    g = group(world)
    lead_post = world.first_post_id(g.thread_id)
    for member in g.members:
        flag(world, member, lead_post, reason="hurtful")
    assert post(world, lead_post).hidden_at is None
    assert case_id_of(world, lead_post) is not None


@pytest.mark.parametrize("threshold, hidden", [(0, False), (2, True)])
def test_the_threshold_is_a_space_setting_that_can_be_off(app, world, threshold, hidden):
    g = group(world)
    with world.ctx():
        db.session.get(Space, g.space_id).auto_hide_threshold = threshold
        db.session.commit()
    flag(world, g.members[0], g.post_id)
    flag(world, g.members[1], g.post_id)
    assert (post(world, g.post_id).hidden_at is not None) is hidden


def test_facilitator_sets_the_threshold_in_the_space_settings(app, client, world):
    g = group(world)
    send = as_(client, g.lead)
    fields = {"name": "Groep", "theme": "", "description": "", "members_can_start_threads": "y"}
    assert send(f"/s/{g.slug}/settings", **fields, auto_hide_threshold="0").status_code == 302
    with world.ctx():
        assert db.session.get(Space, g.space_id).auto_hide_threshold == 0
    refused = send(f"/s/{g.slug}/settings", **fields, auto_hide_threshold="-1")
    assert refused.status_code == 400 and "Kies een getal van 0" in refused.get_data(as_text=True)
    # Left out of the form, the setting stays as it is.
    assert send(f"/s/{g.slug}/settings", **fields).status_code == 302
    with world.ctx():
        assert db.session.get(Space, g.space_id).auto_hide_threshold == 0
