"""The thread page asks the post rules once per shape of post (app/policy/thread_page.py),
not once per post: for every role, rental state and post state the answers must be exactly
those of the rules asked about the post itself."""
from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from app import policy
from app.policy.forum import can_edit_post, can_quote_post, can_react_post, can_reply_thread
from app.policy.moderation import (
    can_erase_post, can_flag_post, can_hide_post, can_request_review,
)
from app.policy.thread_page import PostActions, post_actions
from app.spaces.models import Space

TODAY = date(2026, 6, 1)
NOW = datetime(2026, 6, 1, 10, 0, tzinfo=timezone.utc)
ME, OTHER = 7, 8
RENTALS = {"open": (TODAY - timedelta(days=5), TODAY + timedelta(days=5)),
           "ended": (TODAY - timedelta(days=30), TODAY - timedelta(days=1)),
           "not started": (TODAY + timedelta(days=1), TODAY + timedelta(days=30))}
ROLES = ("member", "moderator", "cofacilitator", "facilitator", "suspended", "operator")
MOMENTS = ("deleted_at", "publish_at", "hidden_at", "erased_at", "review_requested_at")


def _actor(role: str, rental: str):
    start, end = RENTALS[rental]
    space = Space(id=1, rental_start=start, rental_end=end, members_can_start_threads=True)
    user = SimpleNamespace(is_operator=role == "operator", email="x@example.org")
    if role == "operator":
        return policy.Actor(user=user, memberships={}, now=NOW, today=TODAY)
    membership = SimpleNamespace(id=ME, space_id=1, role="member" if role == "suspended" else role,
                                 ended_at=None, space=space,
                                 is_suspended=lambda now: role == "suspended")
    return policy.Actor(user=user, memberships={1: membership}, now=NOW, today=TODAY)


def _every_post():
    """A post for each combination of author and the moments the rules look at, each moment
    a different time so that posts of one shape differ in what the shape leaves out."""
    posts = []
    for number, (author, *set_) in enumerate(
            itertools.product((ME, OTHER), *[(False, True)] * len(MOMENTS)), start=1):
        moments = {name: NOW - timedelta(minutes=number) if on else None
                   for name, on in zip(MOMENTS, set_)}
        posts.append(SimpleNamespace(id=number, space_id=1, author_id=author, number=number,
                                     **moments))
    return posts


def _asked_one_by_one(actor, thread, post) -> PostActions:
    return PostActions(
        react=can_react_post(actor, post),
        quote=can_reply_thread(actor, thread) and can_quote_post(actor, post),
        edit=can_edit_post(actor, post),
        flag=can_flag_post(actor, post),
        hide=can_hide_post(actor, post),
        erase=can_erase_post(actor, post),
        request_review=can_request_review(actor, post),
    )


@pytest.mark.parametrize("rental", RENTALS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("locked", [False, True])
def test_answers_per_shape_are_the_rules_answers_per_post(role, rental, locked):
    actor = _actor(role, rental)
    thread = SimpleNamespace(id=3, space_id=1, hidden_at=None, publish_at=None,
                             is_locked=locked, author_id=OTHER)
    posts = _every_post()
    found = post_actions(actor, thread, posts)
    assert set(found) == {post.id for post in posts}
    for post in posts:
        assert found[post.id] == _asked_one_by_one(actor, thread, post), vars(post)


def test_the_rules_are_not_all_alike_on_this_page():
    """The comparison above would hold trivially if everything were refused: a facilitator
    in an open space may do different things with different posts."""
    actor = _actor("facilitator", "open")
    thread = SimpleNamespace(id=3, space_id=1, hidden_at=None, publish_at=None,
                             is_locked=False, author_id=OTHER)
    answers = set(post_actions(actor, thread, _every_post()).values())
    assert len(answers) >= 4
    assert any(acts.edit for acts in answers) and any(acts.flag for acts in answers)
    assert any(acts.request_review for acts in answers)


def test_a_rule_reading_more_of_a_post_fails_loudly(monkeypatch):
    """A shape carries only what the rules read today: a rule that starts looking at
    another attribute must break this page's tests, not answer from a stale shape."""
    from app.policy import thread_page

    def reads_the_body(actor, post):
        return post.body_html != ""

    monkeypatch.setattr(thread_page, "can_flag_post", reads_the_body)
    with pytest.raises(AttributeError):
        post_actions(_actor("member", "open"), SimpleNamespace(
            id=3, space_id=1, hidden_at=None, publish_at=None, is_locked=False, author_id=OTHER),
            _every_post())
