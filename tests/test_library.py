"""The material library: listing with filters, adding links and videos, the "from the
facilitators" mark and its notification, editing and removing, "bespreek dit", planned
items, categories, and the bad paths (another space, another's item, hostile text)."""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.library.models import ITEMS_PER_PAGE, LibraryItem
from app.notify.models import Notification
from tests.conftest import csrf_token, login
from tests.test_races import at_once, client_for


def add(world, slug, person, **fields) -> int:
    from app.library import service

    values = {"kind": "link", "title": "Een nuttige site", "url": "https://example.org/",
              "category": "tips", **fields}
    with world.ctx():
        return service.add_item(world.actor(person.user_id), world.space_obj(slug), **values).id


def item(item_id: int) -> LibraryItem:
    return db.session.get(LibraryItem, item_id)


def post_new(client, slug, **fields):
    data = {"csrf_token": csrf_token(client, f"/s/{slug}/library/new"), "kind": "link",
            "title": "Budgetplanner", "url": "https://www.nibud.nl/", "category": "tips",
            "description": "", **fields}
    return client.post(f"/s/{slug}/library/new", data=data)


# --- the list ---------------------------------------------------------------------------------

def test_member_sees_every_item_newest_first_with_category_kind_and_who_added_it(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead, name="Sanne")
    add(world, slug, lead, title="Oudste tip", from_leads=True)
    add(world, slug, member, title="Van Sanne", category="group",
        description="Deze *hielp* mij")
    add(world, slug, lead, kind="video", title="Nieuwste video", category="videos",
        url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    login(client, member)

    page = client.get(f"/s/{slug}/library").get_data(as_text=True)

    assert page.index("Nieuwste video") < page.index("Van Sanne") < page.index("Oudste tip")
    assert "Van de begeleiders" in page
    assert "Van de groep" in page and "Tips" in page and "Video" in page
    assert "<strong class=\"author\">Sanne</strong>" in page
    assert "<em>hielp</em>" in page
    assert 'href="https://example.org/"' in page
    assert f'href="/s/{slug}/library"' in page and "Bibliotheek" in page  # in the group menu


def test_filter_by_category_and_kind_keeps_its_choice_and_says_when_nothing_matches(app, client, world):
    slug, lead = world.space()
    add(world, slug, lead, title="Een tip")
    add(world, slug, lead, kind="video", title="Een video", category="videos",
        url="https://vimeo.com/76979871")
    login(client, lead)

    tips = client.get(f"/s/{slug}/library?category=tips").get_data(as_text=True)
    videos = client.get(f"/s/{slug}/library?kind=video").get_data(as_text=True)
    nothing = client.get(f"/s/{slug}/library?category=assignments&kind=link")

    assert "Een tip" in tips and "Een video" not in tips
    assert '<option value="tips" selected>' in tips
    assert "Een video" in videos and "Een tip" not in videos
    assert '<option value="video" selected>' in videos
    text = nothing.get_data(as_text=True)
    assert nothing.status_code == 200
    assert "Niets in de bibliotheek past bij deze keuze." in text
    assert '<option value="assignments" selected>' in text


def test_unknown_filter_values_show_everything(app, client, world):
    slug, lead = world.space()
    add(world, slug, lead, title="Een tip")
    login(client, lead)
    for query in ("category=999999", "category=%3Cscript%3E", "kind=exe", "page=abc"):
        response = client.get(f"/s/{slug}/library?{query}")
        assert response.status_code == 200, query
        assert "Een tip" in response.get_data(as_text=True), query


def test_empty_library_says_so_in_plain_dutch(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    login(client, member)
    page = client.get(f"/s/{slug}/library").get_data(as_text=True)
    assert "Er staat nog niets in de bibliotheek." in page


def test_library_is_paginated_and_the_pages_keep_the_filter(app, client, world):
    slug, lead = world.space()
    for n in range(ITEMS_PER_PAGE + 1):
        add(world, slug, lead, title=f"Tip nummer {n}", url=f"https://example.org/{n}")
    login(client, lead)
    first = client.get(f"/s/{slug}/library?kind=link").get_data(as_text=True)
    second = client.get(f"/s/{slug}/library?kind=link&page=2").get_data(as_text=True)
    assert f"Tip nummer {ITEMS_PER_PAGE}<" in first and "Tip nummer 0<" not in first
    assert "Tip nummer 0<" in second
    assert f"/s/{slug}/library?page=2&amp;kind=link" in first or \
        f"/s/{slug}/library?kind=link&amp;page=2" in first


# --- adding ---------------------------------------------------------------------------------

def test_facilitator_adds_material_from_the_facilitators_and_the_group_hears_of_it(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    cofacilitator = world.member(slug, lead, role="cofacilitator")
    login(client, lead)

    response = post_new(client, slug, from_leads="y", description="Handig **overzicht**")

    assert response.status_code == 302
    with world.ctx():
        added = db.session.scalar(select(LibraryItem))
        assert added.from_leads and added.description_html == "<p>Handig <strong>overzicht</strong></p>\n"
        told = set(db.session.scalars(select(Notification.membership_id).where(
            Notification.kind == "library_item")))
    assert told == {member.membership_id, cofacilitator.membership_id}  # not the author
    login(client, member)
    notifications = client.get("/notifications").get_data(as_text=True)
    assert "Nieuw materiaal van" in notifications


def test_notification_mail_about_new_material_says_nothing_of_its_content(app, world):
    from app.notify.models import DIRECT, NotificationSettings
    from app.notify.outbox import OutboxMessage, render

    slug, lead = world.space()
    member = world.member(slug, lead)
    with world.ctx():
        settings = NotificationSettings.defaults(member.membership_id, world.space_obj(slug).id)
        settings.facilitator = DIRECT
        db.session.add(settings)
        db.session.commit()
    add(world, slug, lead, title="Geheime schuldhulptitel", from_leads=True,
        description="Iets persoonlijks")
    with world.ctx():
        mails = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.notification_id.is_not(None))).all()
        assert [m.to_addr for m in mails] == [member.email]
        with app.test_request_context():
            subject, text, html = render(mails[0])
    assert "materiaal" in subject.lower()
    for part in (subject, text, html):
        assert "Geheime" not in part and "persoonlijks" not in part


def test_member_adds_own_material_shown_as_theirs_without_notifying_anyone(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead, name="Hamid")
    login(client, member)
    form = client.get(f"/s/{slug}/library/new").get_data(as_text=True)
    assert "from_leads" not in form  # no mark to set
    assert '<option selected value="group">' in form or 'value="group" selected' in form

    response = post_new(client, slug, title="Mijn tip", category="group")

    assert response.status_code == 302
    with world.ctx():
        assert not db.session.scalar(select(LibraryItem.from_leads))
        assert db.session.scalar(select(func.count()).select_from(Notification).where(
            Notification.kind == "library_item")) == 0
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Mijn tip" in page and "Hamid" in page and "Van de begeleiders" not in page


def test_member_cannot_mark_material_as_from_the_facilitators(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    login(client, member)
    assert post_new(client, slug, from_leads="y").status_code == 403
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(LibraryItem)) == 0


def test_bad_web_address_is_refused_at_its_field_and_the_text_is_kept(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    for bad in ("javascript:alert(1)", "www.nibud.nl", "ftp://files.example.org/a",
                "//evil.example/", "https://exa mple.org", "data:text/html,hoi", ""):
        response = post_new(client, slug, url=bad, title="Mijn titel blijft",
                            description="Mijn uitleg blijft")
        page = response.get_data(as_text=True)
        assert response.status_code == 400, bad
        assert 'id="url-error"' in page, bad
        assert 'value="Mijn titel blijft"' in page and "Mijn uitleg blijft</textarea>" in page
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(LibraryItem)) == 0


def test_missing_title_and_unknown_category_are_refused_with_a_clear_message(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    no_title = post_new(client, slug, title="   ")
    bad_category = post_new(client, slug, category="12345")
    other_space_slug, other_lead = world.space()
    with world.ctx():
        from app.library import categories

        foreign = categories.add_category(world.actor(other_lead.user_id),
                                          world.space_obj(other_space_slug), name="Elders").id
    foreign_category = post_new(client, slug, category=str(foreign))
    assert no_title.status_code == bad_category.status_code == foreign_category.status_code == 400
    assert 'id="title-error"' in no_title.get_data(as_text=True)
    assert 'id="category-error"' in bad_category.get_data(as_text=True)
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(LibraryItem)) == 0


def test_hostile_title_and_description_are_shown_as_text(app, client, world):
    slug, lead = world.space()
    item_id = add(world, slug, lead, title='<script>alert("t")</script>',
                  description='<img src=x onerror=alert(1)> [klik](javascript:alert(2)) <b>vet</b>')
    login(client, lead)
    for path in (f"/s/{slug}/library", f"/s/{slug}/library/{item_id}",
                 f"/s/{slug}/library/{item_id}/edit"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in page, path
        assert "&lt;script&gt;" in page, path
        assert "onerror=alert" not in page.replace("&lt;img src=x onerror=alert(1)&gt;", ""), path
        assert "javascript:" not in page.replace("[klik](javascript:alert(2))", ""), path
        assert "<b>vet</b>" not in page, path


def test_double_submit_adds_the_material_once(app, world):
    slug, lead = world.space()
    path = f"/s/{slug}/library/new"
    pairs = [client_for(app, lead, path) for _ in range(2)]
    data = {"kind": "link", "title": "Twee keer", "url": "https://example.org/",
            "category": "tips", "description": ""}
    first, second = at_once(*((lambda c=c, t=t: c.post(path, data={**data, "csrf_token": t}))
                              for c, t in pairs))
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LibraryItem)) == 1


def test_member_cannot_add_material_after_the_rental_ended_but_can_still_read(app, client, world):
    from datetime import date, timedelta

    from app.spaces.models import Space

    slug, lead = world.space()
    member = world.member(slug, lead)
    add(world, slug, lead, title="Blijft leesbaar")
    with world.ctx():
        space = world.space_obj(slug)
        space.rental_start = date.today() - timedelta(days=60)
        space.rental_end = date.today() - timedelta(days=1)
        db.session.commit()
    login(client, member)
    assert "Blijft leesbaar" in client.get(f"/s/{slug}/library").get_data(as_text=True)
    assert client.get(f"/s/{slug}/library/new").status_code == 403
    with world.ctx():
        assert db.session.get(Space, world.space_obj(slug).id) is not None


# --- videos -----------------------------------------------------------------------------------

def test_video_item_needs_a_youtube_vimeo_or_peertube_address(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    refused = post_new(client, slug, kind="video", category="videos", title="Mijn film",
                       url="https://example.org/film.mp4")
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert 'id="url-error"' in page and "YouTube, Vimeo of PeerTube" in page
    assert 'value="Mijn film"' in page
    accepted = post_new(client, slug, kind="video", category="videos", title="Mijn film",
                        url="https://youtu.be/dQw4w9WgXcQ")
    assert accepted.status_code == 302


def test_library_with_videos_loads_nothing_from_another_host_before_play(app, client, world):
    import re

    slug, lead = world.space()
    item_id = add(world, slug, lead, kind="video", title="Uitleg over toeslagen",
                  category="videos", url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    add(world, slug, lead, kind="video", title="Vimeo-film", category="videos",
        url="https://vimeo.com/76979871")
    login(client, lead)
    for path in (f"/s/{slug}/library", f"/s/{slug}/library/{item_id}",
                 f"/s/{slug}/library?kind=video"):
        page = client.get(path).get_data(as_text=True)
        assert page.count('class="video-card"') >= 1, path
        assert "<iframe" not in page, path
        loaded = re.findall(r'<(?:img|script|iframe|source|video|audio|embed)\b[^>]*\bsrc="([^"]*)"', page)
        loaded += re.findall(r'<link\b[^>]*\bhref="([^"]*)"', page)
        assert loaded, path
        assert all(url.startswith("/") and not url.startswith("//") for url in loaded), loaded
    # Without JavaScript the card is a plain outgoing link to the video's page.
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in page or \
        'href="https://vimeo.com/76979871"' in page
