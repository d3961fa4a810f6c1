"""The leaving member's choice of name: once the membership has ended, a member who chose
"oud-deelnemer" is shown so on every page that names authors (posts, thread lists, quotes,
reactions, notifications, the library, the moderation queue); one who kept their name keeps
it. Only the member whose last meeting is set makes the choice."""
from __future__ import annotations

from datetime import date, timedelta

from app.extensions import db
from app.forum import service as forum
from app.forum.models import Post
from app.library import service as library
from app.library.models import LINK, TIPS
from app.notify.worker import run_once
from app.spaces.models import Membership
from tests.conftest import csrf_token
from tests.departures import choose, client_of, group, membership, tr

FORMER = "oud-deelnemer"


def _set_leaving_day(world, person, day: date) -> None:
    with world.ctx():
        db.session.get(Membership, person.membership_id).leaves_on = day
        db.session.commit()


def _written_world(world):
    """Marieke starts a thread, Joost replies quoting her, she replies and reacts, and adds
    material to the library."""
    g = group(world)
    thread_id = world.thread(g.slug, g.member, title="Over slapen", body="Ik slaap slecht.")
    opening = world.first_post_id(thread_id)
    world.reply(g.slug, thread_id, g.other, "Herkenbaar.", quote=opening)
    reply_id = world.reply(g.slug, thread_id, g.member, "Dank je, Joost.")
    with world.ctx():
        actor = world.actor(g.member.user_id)
        forum.set_reaction(actor, db.session.get(Post, reply_id), kind="thanks", on=True)
        library.add_item(actor, world.space_obj(g.slug), kind=LINK, title="Slaaptips",
                         category=TIPS, url="https://example.org/slaap")
    return g, thread_id


def _pages(g, thread_id) -> dict[str, str]:
    return {"home": f"/s/{g.slug}/", "thread": f"/s/{g.slug}/t/{thread_id}?page=1",
            "library": f"/s/{g.slug}/library", "notifications": "/notifications"}


def _leave(app, world, clock, g, choice: str | None) -> None:
    _set_leaving_day(world, g.member, date.today())
    if choice is not None:
        assert choose(client_of(app, g.member), g.slug, choice).status_code == 302
    clock.move(timedelta(days=1))
    with app.app_context():
        assert run_once()["memberships_ended"] == 1


def test_a_former_member_who_chose_it_shows_as_oud_deelnemer_everywhere(app, world, clock):
    g, thread_id = _written_world(world)
    reader = client_of(app, g.other)
    lead = client_of(app, g.lead)
    before = {name: reader.get(path).get_data(as_text=True)
              for name, path in _pages(g, thread_id).items()}
    assert all("Marieke" in page for page in before.values()), before.keys()

    _leave(app, world, clock, g, "former")
    for name, path in _pages(g, thread_id).items():
        for client in (reader, lead):
            page = client.get(path).get_data(as_text=True)
            assert "Marieke" not in page, (name, path)
            assert FORMER in page, (name, path)
    thread = reader.get(f"/s/{g.slug}/t/{thread_id}?page=1").get_data(as_text=True)
    assert tr(app, "%(name)s wrote", name=FORMER) in thread  # the quote's head
    assert f'data-quote-name="{FORMER}"' in thread
    assert "Dank je, Joost." in thread  # the words stay, only the name goes


def test_a_former_member_who_kept_their_name_keeps_it(app, world, clock):
    g, thread_id = _written_world(world)
    _leave(app, world, clock, g, "keep")
    reader = client_of(app, g.other)
    for name, path in _pages(g, thread_id).items():
        page = reader.get(path).get_data(as_text=True)
        assert "Marieke" in page, name
        assert FORMER not in page, name


def test_keeping_the_name_is_the_default(app, world, clock):
    g, thread_id = _written_world(world)
    _leave(app, world, clock, g, None)
    assert "Marieke" in client_of(app, g.other).get(f"/s/{g.slug}/t/{thread_id}?page=1").get_data(as_text=True)


def test_the_choice_applies_only_once_the_membership_has_ended(app, world):
    g, thread_id = _written_world(world)
    _set_leaving_day(world, g.member, date.today() + timedelta(days=7))
    assert choose(client_of(app, g.member), g.slug, "former").status_code == 302
    assert membership(world, g.member).anonymous_after_leaving is True
    page = client_of(app, g.other).get(f"/s/{g.slug}/t/{thread_id}?page=1").get_data(as_text=True)
    assert "Marieke" in page and FORMER not in page


def test_the_member_can_change_the_choice_and_a_double_submit_is_harmless(app, world):
    g = group(world)
    _set_leaving_day(world, g.member, date.today() + timedelta(days=7))
    member = client_of(app, g.member)
    for choice, expected in (("former", True), ("former", True), ("keep", False)):
        assert choose(member, g.slug, choice).status_code == 302
        assert membership(world, g.member).anonymous_after_leaving is expected
    page = member.get(f"/s/{g.slug}/departure").get_data(as_text=True)
    assert tr(app, "Your departure") in page
    assert '<input checked id="choice-0" name="choice" type="radio" value="keep">' in page


def test_a_choice_that_is_not_offered_is_refused_at_the_field(app, world):
    g = group(world)
    _set_leaving_day(world, g.member, date.today() + timedelta(days=7))
    response = choose(client_of(app, g.member), g.slug, "everyone-else")
    assert response.status_code == 400
    assert tr(app, "Choose one of the two.") in response.get_data(as_text=True)
    assert membership(world, g.member).anonymous_after_leaving is False


def test_without_a_leaving_day_there_is_no_choice_to_make(app, world):
    g = group(world)
    member = client_of(app, g.member)
    assert member.get(f"/s/{g.slug}/departure").status_code == 404
    assert choose(member, g.slug, "former").status_code == 404
    assert membership(world, g.member).anonymous_after_leaving is False
    assert tr(app, "Your departure") not in member.get(f"/s/{g.slug}/members").get_data(as_text=True)


def test_only_the_leaving_member_chooses_for_themselves(app, world):
    g = group(world)
    _set_leaving_day(world, g.member, date.today() + timedelta(days=7))
    # Another member (or the facilitator) reaches only their own departure page: none.
    for person in (g.other, g.lead):
        client = client_of(app, person)
        assert choose(client, g.slug, "former").status_code == 404
    assert membership(world, g.member).anonymous_after_leaving is False
    outsider = client_of(app, world.user())
    assert outsider.get(f"/s/{g.slug}/departure").status_code == 404


def test_the_choice_page_names_the_last_day_and_links_from_the_members_page(app, world):
    g = group(world)
    day = date.today() + timedelta(days=7)
    _set_leaving_day(world, g.member, day)
    member = client_of(app, g.member)
    members = member.get(f"/s/{g.slug}/members").get_data(as_text=True)
    assert f'href="/s/{g.slug}/departure"' in members
    token = csrf_token(member, f"/s/{g.slug}/departure")
    assert token


def test_the_moderation_queue_shows_a_former_member_as_oud_deelnemer(app, world, clock):
    from app.moderation import flags

    g, thread_id = _written_world(world)
    with world.ctx():
        post = db.session.get(Post, world.first_post_id(thread_id))
        flags.flag_post(world.actor(g.other.user_id), post, reason="hurtful")
    _leave(app, world, clock, g, "former")
    queue = client_of(app, g.lead).get(f"/s/{g.slug}/moderation")
    assert queue.status_code == 200
    page = queue.get_data(as_text=True)
    assert FORMER in page and "Marieke" not in page
