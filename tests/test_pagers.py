"""Pagers stay small at any size: a window of page numbers (first, last known, a few around
this one, ellipses), previous and next links, and counts shown to users capped at "99+"."""
from __future__ import annotations

import re
from datetime import timedelta

from app.database import utcnow
from app.extensions import db
from app.paging import page_window
from tests.conftest import login


def test_page_window_shows_first_last_and_a_few_around_with_gaps_marked():
    assert page_window(1, 1) == [1]
    assert page_window(1, 10) == [1, 2, 3, None, 10]
    assert page_window(50, 400) == [1, None, 48, 49, 50, 51, 52, None, 400]
    assert page_window(400, 400) == [1, None, 398, 399, 400]
    # An ellipsis never stands for a single page: that page is shown instead.
    assert page_window(4, 10) == [1, 2, 3, 4, 5, 6, None, 10]


def _pager(html: str) -> str:
    found = re.search(r'<nav class="pager".*?</nav>', html, re.S)
    assert found, "no pager on the page"
    return found.group(0)


def _notifications(world, person, n: int, *, read: bool = False) -> None:
    """n notifications for one reader, straight into the table (the services would take
    minutes for the hundreds these tests need)."""
    from app.notify.models import Notification
    from app.spaces.models import Membership

    with world.ctx():
        membership = db.session.get(Membership, person.membership_id)
        now = utcnow()
        db.session.execute(db.insert(Notification), [
            {"space_id": membership.space_id, "user_id": person.user_id,
             "membership_id": membership.id, "kind": "member_joined",
             "about_id": membership.id, "created_at": now - timedelta(minutes=k),
             "read_at": now if read else None} for k in range(n)])
        db.session.commit()


def test_header_says_99_plus_past_99_unread_notifications(app, world, client):
    slug, lead = world.space()
    _notifications(world, lead, 99)
    login(client, lead)
    html = client.get("/account").get_data(as_text=True)
    assert 'aria-hidden="true">99</span>' in html and "99+" not in html
    _notifications(world, lead, 30)
    html = client.get("/account").get_data(as_text=True)
    assert 'aria-hidden="true">99+</span>' in html
    assert "meer dan 99 ongelezen" in html


def test_notifications_pager_is_a_window_with_next_and_no_total(app, world, client):
    slug, lead = world.space()
    _notifications(world, lead, 30 * 40 + 5, read=True)  # 41 pages
    login(client, lead)
    first = _pager(client.get("/notifications").get_data(as_text=True))
    # Counted only as far as the window reaches: pages 1-3 and "more", never page 41.
    assert 'aria-current="page">1<' in first
    assert "/notifications?page=3" in first and "page=4" not in first and "page=41" not in first
    assert 'rel="next"' in first and 'rel="prev"' not in first and "…" in first
    middle = _pager(client.get("/notifications?page=20").get_data(as_text=True))
    assert [int(n) for n in re.findall(r"page=(\d+)\">\d", middle)] == [1, 18, 19, 21, 22]
    last = _pager(client.get("/notifications?page=41").get_data(as_text=True))
    assert 'aria-current="page">41<' in last and 'rel="next"' not in last
    beyond = client.get("/notifications?page=99").get_data(as_text=True)
    assert 'aria-current="page">41<' in _pager(beyond)


def test_thread_pager_links_a_window_not_every_page(app, world, client):
    from app.forum.models import Post, Thread

    slug, lead = world.space()
    thread_id = world.thread(slug, lead, title="Lang")
    with world.ctx():  # 60 pages of posts, straight into the table
        thread = db.session.get(Thread, thread_id)
        db.session.execute(db.insert(Post), [
            {"space_id": thread.space_id, "thread_id": thread_id, "number": n,
             "author_id": lead.membership_id, "body": f"Bericht {n}",
             "body_html": f"<p>Bericht {n}</p>"} for n in range(2, 3001)])
        thread.post_count = 3000
        db.session.commit()
    login(client, lead)
    html = client.get(f"/s/{slug}/t/{thread_id}?page=30").get_data(as_text=True)
    pager = _pager(html)
    numbers = [int(n) for n in re.findall(r"page=(\d+)\">\d", pager)]
    assert numbers == [1, 28, 29, 31, 32, 60]
    assert 'aria-current="page">30<' in pager and 'rel="prev"' in pager and 'rel="next"' in pager
    assert pager.count("<li") < 15
