"""The space home's tabs: all conversations, announcements, assignments, statements (plain
GET links, ?kind=...) and the library. Each lists only its own kind of this space, marks
itself as current, keeps the unread markers, paginates and says so when it is empty."""
from __future__ import annotations

import re

from app.extensions import db
from app.forum.models import THREADS_PER_PAGE
from tests.conftest import login


def _seeded(world):
    """A group with one conversation of each kind, started by the facilitator."""
    slug, lead = world.space()
    member = world.member(slug, lead, name="Deelnemer Dees")
    ids = {kind: world.thread(slug, lead, title=f"Titel {kind}", kind=kind)
           for kind in ("discussion", "announcement", "assignment", "statement")}
    return slug, lead, member, ids


def _page(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def _tab_links(html: str) -> dict[str, str]:
    """The tab bar: link text (without the count) -> its <a ...> tag."""
    nav = re.search(r'<nav class="tabs".*?</nav>', html, re.S).group(0)
    return {re.sub(r"<[^>]+>.*", "", text, flags=re.S).strip(): tag
            for tag, text in re.findall(r'(<a [^>]*>)(.*?)</a>', nav, re.S)}


def _tab_count(html: str, label: str) -> int:
    nav = re.search(r'<nav class="tabs".*?</nav>', html, re.S).group(0)
    link = re.search(r'<a [^>]*>' + re.escape(label) + r'(.*?)</a>', nav, re.S)
    count = re.search(r'<span class="count tab-count" aria-hidden="true">(\d+)</span>', link.group(1))
    return int(count.group(1)) if count else 0


def test_each_tab_lists_only_its_own_kind(app, world, client):
    slug, _lead, member, _ids = _seeded(world)
    login(client, member)
    everything = _page(client, f"/s/{slug}/")
    for kind in ("discussion", "announcement", "assignment", "statement"):
        assert f"Titel {kind}" in everything
    for kind in ("announcement", "assignment", "statement"):
        html = _page(client, f"/s/{slug}/?kind={kind}")
        shown = set(re.findall(r"Titel (\w+)", html))
        assert shown == {kind}, (kind, shown)


def test_current_tab_is_marked_with_aria_current_and_the_others_are_plain_links(app, world, client):
    slug, _lead, member, _ids = _seeded(world)
    login(client, member)
    tabs = _tab_links(_page(client, f"/s/{slug}/?kind=assignment"))
    assert list(tabs) == ["Alle gesprekken", "Mededelingen", "Opdrachten", "Stellingen",
                          "Bibliotheek"]
    assert 'aria-current="page"' in tabs["Opdrachten"]
    assert [name for name, tag in tabs.items() if "aria-current" in tag] == ["Opdrachten"]
    assert f'href="/s/{slug}/?kind=statement"' in tabs["Stellingen"]
    assert f'href="/s/{slug}/"' in tabs["Alle gesprekken"]
    assert f'href="/s/{slug}/library"' in tabs["Bibliotheek"]
    home = _tab_links(_page(client, f"/s/{slug}/"))
    assert [name for name, tag in home.items() if "aria-current" in tag] == ["Alle gesprekken"]


def test_unknown_kind_shows_all_conversations(app, world, client):
    slug, _lead, member, _ids = _seeded(world)
    login(client, member)
    for value in ("discussion", "nonsense", "<script>", "", "announcement%00"):
        html = _page(client, f"/s/{slug}/?kind={value}") if "%00" not in value else None
        if html is None:
            continue
        assert "Titel discussion" in html and "Titel statement" in html, value
        assert "<script>" not in html.split("<main", 1)[1], value
    assert client.get(f"/s/{slug}/?kind=announcement%00").status_code == 400


def test_tabs_never_list_conversations_of_another_space(app, world, client):
    slug, _lead, member, _ids = _seeded(world)
    other_slug, other_lead = world.space()
    for kind in ("announcement", "assignment", "statement"):
        world.thread(other_slug, other_lead, title=f"Elders {kind}", kind=kind)
    login(client, member)
    for kind in ("", "announcement", "assignment", "statement"):
        html = _page(client, f"/s/{slug}/?kind={kind}")
        assert "Elders" not in html, kind
    # Nor do the unread counts include them: one of each kind is new in this space.
    html = _page(client, f"/s/{slug}/")
    assert _tab_count(html, "Mededelingen") == 1
    assert _tab_count(html, "Alle gesprekken") == 4
    # And a non-member asking for the other space's tab gets nothing.
    assert client.get(f"/s/{other_slug}/?kind=announcement").status_code == 404


def test_unread_markers_and_counts_per_tab_follow_what_the_member_has_read(app, world, client):
    slug, lead, member, ids = _seeded(world)
    second = world.thread(slug, lead, title="Titel tweede opdracht", kind="assignment")
    login(client, member)
    html = _page(client, f"/s/{slug}/?kind=assignment")
    assert html.count('class="new"') == 2  # both assignments are new to the member
    assert _tab_count(html, "Opdrachten") == 2
    assert _tab_count(html, "Alle gesprekken") == 5
    assert "(2 gesprekken met nieuwe berichten)" in html

    client.get(f"/s/{slug}/t/{ids['assignment']}?page=1")  # reads the first one
    html = _page(client, f"/s/{slug}/?kind=assignment")
    assert html.count('class="new"') == 1
    assert _tab_count(html, "Opdrachten") == 1
    assert _tab_count(html, "Alle gesprekken") == 4

    client.get(f"/s/{slug}/t/{second}?page=1")
    world.reply(slug, ids["assignment"], lead, "Nog een vraag bij de opdracht")
    html = _page(client, f"/s/{slug}/?kind=assignment")
    assert "1 nieuw" in html  # the reply is new; the row links to it
    assert f"/s/{slug}/t/{ids['assignment']}?page=1#p2" in html
    assert _tab_count(html, "Opdrachten") == 1
    assert _tab_count(html, "Stellingen") == 1


def test_a_hidden_conversation_keeps_its_place_in_its_tab_without_title_or_marker(app, world, client):
    from app.moderation import takedown

    slug, lead, member, ids = _seeded(world)
    moderator = world.member(slug, lead, role="moderator", name="Moderator Mo")
    with world.ctx():
        from app.forum.models import Thread
        takedown.hide_thread(world.actor(lead.user_id), db.session.get(Thread, ids["statement"]),
                             reason="Te persoonlijk")
    login(client, member)
    html = _page(client, f"/s/{slug}/?kind=statement")
    assert "Titel statement" not in html
    assert "gesprek verborgen door een begeleider" in html
    assert 'class="new"' not in html and _tab_count(html, "Stellingen") == 0
    assert _tab_count(html, "Alle gesprekken") == 3  # as the all-tab shows it: no marker
    everything = _page(client, f"/s/{slug}/")
    assert "Titel statement" not in everything
    assert everything.count('class="new"') == 3

    login(client, moderator)
    html = _page(client, f"/s/{slug}/?kind=statement")
    assert "Titel statement" in html and "Verborgen voor de deelnemers" in html
    assert _tab_count(html, "Stellingen") == 1


def test_empty_tab_says_so_in_plain_dutch(app, world, client):
    slug, lead = world.space()
    member = world.member(slug, lead)
    world.thread(slug, lead, title="Gewoon een gesprek")
    login(client, member)
    assert "Er zijn nog geen mededelingen." in _page(client, f"/s/{slug}/?kind=announcement")
    assert "Er zijn nog geen opdrachten." in _page(client, f"/s/{slug}/?kind=assignment")
    assert "Er zijn nog geen stellingen." in _page(client, f"/s/{slug}/?kind=statement")


def test_kind_tab_shows_pinned_first_and_pages_keep_the_kind(app, world, client):
    slug, lead = world.space()
    member = world.member(slug, lead)
    first = world.thread(slug, lead, title="Vastgezette stelling", kind="statement")
    with world.ctx():
        from app.forum import service
        from app.forum.models import Thread
        service.set_pinned(world.actor(lead.user_id), db.session.get(Thread, first), pinned=True)
    for n in range(THREADS_PER_PAGE):
        world.thread(slug, lead, title=f"Stelling {n}", kind="statement")
    world.thread(slug, lead, title="Een gewoon gesprek")
    login(client, member)
    html = _page(client, f"/s/{slug}/?kind=statement")
    titles = re.findall(r'class="title"[^>]*>([^<]+)</a>', html)
    assert titles[0] == "Vastgezette stelling" and len(titles) == THREADS_PER_PAGE
    assert "Een gewoon gesprek" not in html
    assert f'href="/s/{slug}/?page=2&amp;kind=statement"' in html \
        or f'href="/s/{slug}/?kind=statement&amp;page=2"' in html
    second = _page(client, f"/s/{slug}/?kind=statement&page=2")
    rest = re.findall(r'class="title"[^>]*>([^<]+)</a>', second)
    assert rest == ["Stelling 0"]  # the oldest, on the last page
    assert 'aria-current="page">2<' in second
    # A page past the end shows the last page, as the all-tab does.
    assert re.findall(r'class="title"[^>]*>([^<]+)</a>',
                      _page(client, f"/s/{slug}/?kind=statement&page=99")) == ["Stelling 0"]


def test_all_tab_keeps_pinned_threads_on_the_first_page_only(app, world, client):
    slug, lead = world.space()
    member = world.member(slug, lead)
    world.thread(slug, lead, title="Welkom", kind="announcement")
    for n in range(THREADS_PER_PAGE + 1):
        world.thread(slug, lead, title=f"Gesprek {n}")
    login(client, member)
    assert 'id="pinned-heading"' in _page(client, f"/s/{slug}/")
    assert "Welkom" not in _page(client, f"/s/{slug}/?page=2")


def test_new_conversation_button_in_a_kind_tab_starts_that_kind_for_the_leads(app, world, client):
    slug, lead, member, _ids = _seeded(world)
    login(client, lead)
    html = _page(client, f"/s/{slug}/?kind=statement")
    assert f'href="/s/{slug}/t/new?kind=statement"' in html
    option = re.search(r'<option[^>]*value="statement"[^>]*>', _page(client, f"/s/{slug}/t/new?kind=statement"))
    assert "selected" in option.group(0)
    login(client, member)  # members start discussions only: a plain button
    html = _page(client, f"/s/{slug}/?kind=statement")
    assert f'href="/s/{slug}/t/new"' in html


def test_tab_of_a_space_is_closed_to_non_members_and_anonymous_visitors(app, world, client):
    slug, _lead, _member, _ids = _seeded(world)
    outsider_slug, outsider = world.space()
    assert client.get(f"/s/{slug}/?kind=assignment").status_code == 302  # to the login
    login(client, outsider)
    assert client.get(f"/s/{slug}/?kind=assignment").status_code == 404


def test_kind_tab_rows_carry_the_same_marks_as_the_all_tab(app, world, client):
    from datetime import date, timedelta

    from app.forum import seeding

    slug, lead = world.space()
    member = world.member(slug, lead)
    with world.ctx():
        thread_id = seeding.start_thread(
            world.actor(lead.user_id), world.space_obj(slug), kind="assignment",
            title="Huiswerk", body="Doe dit", due_day=(date.today() + timedelta(days=3)).isoformat()).id
    login(client, member)

    def row(html):
        return re.search(r'<li class="thread[^"]*">(?:(?!</li>).)*?/t/%d(?:(?!</li>).)*</li>' % thread_id,
                         html, re.S).group(0)

    everything = row(_page(client, f"/s/{slug}/"))
    assert row(_page(client, f"/s/{slug}/?kind=assignment")) == everything
    assert 'class="due"' in everything  # the due date, in both tabs
