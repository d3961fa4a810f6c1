"""Flagging (issue 8, items 1 and 9): a member flags someone else's post for a reason,
follows it (received → picked up → handled, never how) and may withdraw it; one open flag
per member per post, also in the database; flaggers stay invisible to the author and the
group; the moderators are told, a crisis flag at once and by email. Automatic hiding:
tests/test_moderation_autohide.py."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.moderation.models import Flag, ModerationCase
from app.notify.kinds import FLAG_HANDLED, FLAG_NEW, FLAG_URGENT, POST_HIDDEN
from app.notify.models import Notification
from app.spaces import members as member_service
from app.spaces.models import Membership, Space
from tests.conftest import login
from tests.moderation import (
    as_, case_id_of, claim, flag, flags_of, group, kinds_for, mails_to, post, resolve,
)


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


# --- flag, follow, withdraw -------------------------------------------------------------------

def test_member_flags_someone_elses_post_and_sees_it_received_then_picked_up_then_handled(
        app, client, world):
    g = group(world)
    send = as_(client, g.members[0])
    flag_url = f"/s/{g.slug}/p/{g.post_id}/flag"
    assert "Rapporteer" in _page(client, f"/s/{g.slug}/t/{g.thread_id}?page=1") or \
        flag_url in _page(client, f"/s/{g.slug}/t/{g.thread_id}?page=1")

    response = send(flag_url, reason="hurtful", note="Dit is gemeen")

    assert response.status_code == 302
    assert flags_of(world, g.post_id) == [(g.members[0].membership_id, "hurtful", "open")]
    received = _page(client, response.headers["Location"])
    assert 'aria-current="step">✓ Ontvangen' in received
    claim(world, g.moderator, case_id_of(world, g.post_id))
    assert 'aria-current="step">✓ Opgepakt' in _page(client, flag_url)
    resolve(world, g.moderator, case_id_of(world, g.post_id), outcomes=["hide"],
            reason="Kwetsend voor iemand in de groep")
    handled = _page(client, flag_url)
    assert 'aria-current="step">✓ Afgehandeld' in handled
    # Handled, not how: the outcome and the moderator's reason stay with the moderators.
    assert "Kwetsend voor iemand" not in handled and "verborgen" not in handled.lower()
    assert FLAG_HANDLED in kinds_for(world, g.members[0])


def test_report_link_is_on_every_post_but_ones_own(app, client, world):
    g = group(world)
    own = world.reply(g.slug, g.thread_id, g.members[0], "Mijn eigen bericht")
    login(client, g.members[0])
    html = _page(client, f"/s/{g.slug}/t/{g.thread_id}?page=1")
    assert f"/s/{g.slug}/p/{g.post_id}/flag" in html
    assert f"/s/{g.slug}/p/{world.first_post_id(g.thread_id)}/flag" in html
    assert f"/s/{g.slug}/p/{own}/flag" not in html


def test_member_withdraws_an_open_flag_and_the_empty_case_closes(app, client, world):
    g = group(world)
    flag(world, g.members[0], g.post_id)
    case_id = case_id_of(world, g.post_id)
    send = as_(client, g.members[0])

    response = send(f"/s/{g.slug}/p/{g.post_id}/flag/withdraw")
    again = send(f"/s/{g.slug}/p/{g.post_id}/flag/withdraw")  # a double submit changes nothing

    assert response.status_code == again.status_code == 302
    assert flags_of(world, g.post_id) == [(g.members[0].membership_id, "hurtful", "withdrawn")]
    assert post(world, g.post_id).hidden_at is None
    with world.ctx():
        assert db.session.get(ModerationCase, case_id).resolved_at is not None
        assert db.session.get(Space, g.space_id).open_case_count == 0
    assert "Ingetrokken" in _page(client, f"/s/{g.slug}/p/{g.post_id}/flag") or \
        "ingetrokken" in _page(client, f"/s/{g.slug}/p/{g.post_id}/flag")


def test_withdrawing_one_of_several_flags_keeps_the_case_open(app, world):
    g = group(world)
    flag(world, g.members[0], g.post_id, reason="concern")
    flag(world, g.members[1], g.post_id)
    with world.ctx():
        from app.moderation import flags as service
        flag_row = db.session.scalar(select(Flag).where(
            Flag.flagger_id == g.members[0].membership_id))
        service.withdraw_flag(world.actor(g.members[0].user_id), flag_row)
        case = db.session.get(ModerationCase, case_id_of(world, g.post_id))
        assert case.resolved_at is None
        assert case.is_urgent is False  # the only worried flag was withdrawn


def test_a_member_may_flag_again_after_the_first_was_handled(app, world):
    g = group(world)
    flag(world, g.members[0], g.post_id)
    resolve(world, g.moderator, case_id_of(world, g.post_id), outcomes=["none"])
    flag(world, g.members[0], g.post_id, reason="privacy")
    assert [f[2] for f in flags_of(world, g.post_id)] == ["handled", "open"]


# --- refusals -------------------------------------------------------------------------------

def test_flagging_own_post_is_refused_with_a_clear_message(app, client, world):
    g = group(world)
    send = as_(client, g.author)
    page = client.get(f"/s/{g.slug}/p/{g.post_id}/flag")
    response = send(f"/s/{g.slug}/p/{g.post_id}/flag", reason="spam")
    assert page.status_code == response.status_code == 403
    assert "je eigen bericht" in response.get_data(as_text=True)
    assert flags_of(world, g.post_id) == []


def test_flagging_twice_is_refused_at_the_form_and_stores_one_flag(app, client, world):
    g = group(world)
    send = as_(client, g.members[0])
    first = send(f"/s/{g.slug}/p/{g.post_id}/flag", reason="spam")
    second = send(f"/s/{g.slug}/p/{g.post_id}/flag", reason="hurtful", note="nog eens")
    assert first.status_code == 302
    assert second.status_code == 400
    assert "al gemeld" in second.get_data(as_text=True)
    assert "nog eens" in second.get_data(as_text=True)  # the text is kept
    assert len(flags_of(world, g.post_id)) == 1


def test_one_open_flag_per_member_per_post_is_enforced_by_the_database(app, world):
    g = group(world)
    flag(world, g.members[0], g.post_id)
    with world.ctx():
        case_id = case_id_of(world, g.post_id)
        db.session.add(Flag(space_id=g.space_id, post_id=g.post_id, case_id=case_id,
                            flagger_id=g.members[0].membership_id, reason="spam"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_one_open_case_per_post_is_enforced_by_the_database(app, world):
    g = group(world)
    flag(world, g.members[0], g.post_id)
    with world.ctx():
        db.session.add(ModerationCase(space_id=g.space_id, post_id=g.post_id,
                                      thread_id=g.thread_id,
                                      post_author_id=g.author.membership_id))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_flagging_a_post_of_another_space_is_not_found(app, client, world):
    g = group(world)
    other_slug, other_lead = world.space()
    stranger_post = world.reply(other_slug, world.thread(other_slug, other_lead), other_lead, "Elders")
    send = as_(client, g.members[0])
    assert client.get(f"/s/{g.slug}/p/{stranger_post}/flag").status_code == 404
    assert send(f"/s/{g.slug}/p/{stranger_post}/flag", reason="spam").status_code == 404
    assert send(f"/s/{other_slug}/p/{stranger_post}/flag", reason="spam").status_code == 404
    assert flags_of(world, stranger_post) == []


def test_suspended_member_cannot_flag(app, client, world):
    g = group(world)
    with world.ctx():
        member_service.suspend_member(world.actor(g.lead.user_id),
                                      db.session.get(Membership, g.members[0].membership_id),
                                      until=None)
    send = as_(client, g.members[0])
    response = send(f"/s/{g.slug}/p/{g.post_id}/flag", reason="spam")
    assert response.status_code == 403
    assert "geen toegang" in response.get_data(as_text=True).lower()
    assert flags_of(world, g.post_id) == []


@pytest.mark.parametrize("data, field, message", [
    ({"reason": "other", "note": "  "}, "note", "Zeg in een paar woorden"),
    ({"reason": "nonsense"}, "reason", ""),
    ({}, "reason", "Kies een van de redenen"),
    ({"reason": "spam", "note": "x" * 1001}, "note", "1001"),
])
def test_a_refused_flag_says_why_at_the_field(app, client, world, data, field, message):
    g = group(world)
    send = as_(client, g.members[0])
    response = send(f"/s/{g.slug}/p/{g.post_id}/flag", **data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html or f'href="#{field}"' in html
    assert message in html
    assert flags_of(world, g.post_id) == []


def test_flagging_without_the_csrf_token_is_refused_and_changes_nothing(app, client, world):
    g = group(world)
    login(client, g.members[0])
    response = client.post(f"/s/{g.slug}/p/{g.post_id}/flag", data={"reason": "spam"})
    assert response.status_code == 400
    assert flags_of(world, g.post_id) == []


# --- the moderators are told; flaggers stay unknown to the group -------------------------------

def test_first_flag_notifies_every_moderator_but_not_the_author(app, world):
    g = group(world)
    flag(world, g.members[0], g.post_id)
    flag(world, g.members[1], g.post_id)  # the same case: no second notice
    assert kinds_for(world, g.moderator) == [FLAG_NEW]
    assert FLAG_NEW in kinds_for(world, g.lead)
    assert FLAG_NEW not in kinds_for(world, g.author)
    assert all(FLAG_NEW not in kinds_for(world, m) for m in g.members)


def test_worried_flag_notifies_every_moderator_at_once_by_email_whatever_their_settings(
        app, client, world):
    from app.notify import service as notify
    from app.notify.models import DEFAULT_MODES

    g = group(world)
    with world.ctx():
        notify.save_settings(world.actor(g.moderator.user_id), world.space_obj(g.slug),
                             modes={**DEFAULT_MODES, "flags": "never"}, digest_hour=8,
                             neutral_label=True)
    send = as_(client, g.members[0])
    response = send(f"/s/{g.slug}/p/{g.post_id}/flag", reason="concern")
    confirmation = client.get(response.headers["Location"]).get_data(as_text=True)

    assert "113" in confirmation and "112" in confirmation and "0800-0113" in confirmation
    assert kinds_for(world, g.moderator) == [FLAG_URGENT]
    assert FLAG_URGENT in kinds_for(world, g.lead)
    urgent = [m for m in mails_to(world, g.moderator) if "Dringende melding" in m]
    assert len(urgent) == 1
    assert any("Dringende melding" in m for m in mails_to(world, g.lead))
    assert not any("melding" in m.lower() for m in mails_to(world, g.author))
    with world.ctx():
        assert db.session.get(ModerationCase, case_id_of(world, g.post_id)).is_urgent


def test_the_flag_form_shows_the_help_texts_beside_the_worried_reason(app, client, world):
    g = group(world)
    login(client, g.members[0])
    html = _page(client, f"/s/{g.slug}/p/{g.post_id}/flag")
    assert "Zorgen om iemand" in html and "0800-0113" in html and "112" in html


def test_a_moderators_own_post_is_queued_without_telling_them(app, world):
    g = group(world)
    own = world.reply(g.slug, g.thread_id, g.moderator, "Bericht van de moderator")
    flag(world, g.members[0], own, reason="concern")
    assert kinds_for(world, g.moderator) == []
    assert FLAG_URGENT in kinds_for(world, g.lead)


def test_flaggers_are_invisible_to_the_author_and_the_group(app, client, world):
    g = group(world)
    flag(world, g.members[0], g.post_id, note="Melding door Melder 0")
    for person in (g.author, g.members[1]):
        client = app.test_client()
        login(client, person)
        pages = [client.get(f"/s/{g.slug}/t/{g.thread_id}?page=1"), client.get("/notifications"),
                 client.get(f"/s/{g.slug}/members")]
        for response in pages:
            assert "Melding door" not in response.get_data(as_text=True)
        assert client.get(f"/s/{g.slug}/moderation").status_code == 403
    # The author's notification (after a hide) names nobody either.
    with world.ctx():
        db.session.execute(delete(Notification))
        db.session.commit()
    resolve(world, g.moderator, case_id_of(world, g.post_id), outcomes=["hide"], reason="Nee")
    author_client = app.test_client()
    login(author_client, g.author)
    listing = author_client.get("/notifications").get_data(as_text=True)
    assert "Melder 0" not in listing and "Moderator Mo" not in listing
    assert POST_HIDDEN in kinds_for(world, g.author)
