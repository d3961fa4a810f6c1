"""Resolving (issue 8, item 4): outcomes that combine — no action, hide (the group sees
"verborgen door een begeleider", the author their text with the reason, and may edit and ask
for another look), a moderator's edit kept as such in the revisions, closing the thread, a
private warning, a suspension — all open flags closed and the flaggers told, in one
transaction; refused as a plain member, with a clear message at the field otherwise."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.forum.models import PostRevision, Thread
from app.moderation.models import MemberNotice
from app.notify.kinds import FLAG_HANDLED, MOD_WARNING, POST_HIDDEN
from app.spaces.models import Membership, Space
from tests.conftest import login
from tests.moderation import (
    as_, case, case_id_of, claim, flag, flags_of, group, kinds_for, log_actions, mails_to, post,
    resolve,
)


def _html(response) -> str:
    return response.get_data(as_text=True)


def _flagged(world, *, claim_it=True):
    g = group(world)
    flag(world, g.members[0], g.post_id, reason="hurtful")
    flag(world, g.members[1], g.post_id, reason="privacy")
    case_id = case_id_of(world, g.post_id)
    if claim_it:
        claim(world, g.moderator, case_id)
    return g, case_id


def _membership(world, person) -> Membership:
    with world.ctx():
        row = db.session.get(Membership, person.membership_id)
        db.session.expunge(row)
        return row


def test_no_action_closes_every_open_flag_and_tells_the_flaggers(app, client, world):
    g, case_id = _flagged(world)
    send = as_(client, g.moderator)
    response = send(f"/s/{g.slug}/moderation/{case_id}/resolve", outcomes="none",
                    note="Past binnen de afspraken")
    assert response.status_code == 302
    assert [f[2] for f in flags_of(world, g.post_id)] == ["handled", "handled"]
    resolved = case(world, case_id)
    assert resolved.resolved_at is not None and resolved.outcomes == "none"
    assert resolved.resolved_by_id == g.moderator.membership_id
    assert all(FLAG_HANDLED in kinds_for(world, m) for m in g.members[:2])
    assert FLAG_HANDLED not in kinds_for(world, g.members[2])
    with world.ctx():
        assert db.session.get(Space, g.space_id).open_case_count == 0
    assert "Geen open meldingen" in _html(client.get(f"/s/{g.slug}/moderation"))


def test_hiding_shows_the_group_a_placeholder_and_the_author_text_with_reason(app, client, world):
    g, case_id = _flagged(world)
    send = as_(client, g.moderator)
    send(f"/s/{g.slug}/moderation/{case_id}/resolve", outcomes="hide",
         reason="Dit noemt iemands adres")
    thread_url = f"/s/{g.slug}/t/{g.thread_id}?page=1"

    login(client, g.members[2])
    group_view = _html(client.get(thread_url))
    assert "Een bericht dat gemeld wordt" not in group_view
    assert "verborgen door een begeleider" in group_view
    assert "Dit noemt iemands adres" not in group_view
    login(client, g.author)
    author_view = _html(client.get(thread_url))
    assert "Een bericht dat gemeld wordt" in author_view
    assert "Dit noemt iemands adres" in author_view
    assert "Vraag om opnieuw te kijken" in author_view
    assert POST_HIDDEN in kinds_for(world, g.author)


def test_the_author_edits_a_hidden_post_and_asks_for_another_look(app, client, world):
    g, case_id = _flagged(world)
    resolve(world, g.moderator, case_id, outcomes=["hide"], reason="Te persoonlijk")
    send = as_(client, g.author)
    assert send(f"/s/{g.slug}/p/{g.post_id}/edit", body="Aangepast zonder namen").status_code == 302
    response = send(f"/s/{g.slug}/p/{g.post_id}/review")
    again = send(f"/s/{g.slug}/p/{g.post_id}/review")

    assert response.status_code == 302 and again.status_code == 403
    hidden = post(world, g.post_id)
    assert hidden.hidden_at is not None and hidden.review_requested_at is not None
    review_case = case_id_of(world, g.post_id)
    assert review_case != case_id and case(world, review_case).resolved_at is None
    login(client, g.moderator)
    queue = _html(client.get(f"/s/{g.slug}/moderation"))
    assert "De schrijver vroeg om opnieuw te kijken" in queue and "Aangepast zonder namen" in queue
    # A moderator shows it again.
    resolve(world, g.moderator, review_case, outcomes=["none"])
    assert post(world, g.post_id).hidden_at is not None  # "no action" keeps a moderator's hide
    assert log_actions(world, g.space_id)[-2:] == ["review_requested", "resolve"]


def test_a_post_hidden_automatically_is_shown_again_when_the_moderator_finds_it_fine(app, world):
    g = group(world)
    for member in g.members:
        flag(world, member, g.post_id)
    assert post(world, g.post_id).hidden_source == "flags"
    resolve(world, g.moderator, case_id_of(world, g.post_id), outcomes=["none"])
    assert post(world, g.post_id).hidden_at is None
    assert "unhide_post" in log_actions(world, g.space_id)


def test_a_moderator_edit_is_recorded_as_such_in_the_revisions(app, client, world):
    g, case_id = _flagged(world)
    resolve(world, g.moderator, case_id, outcomes=["edit"], body="Een bericht zonder adres")
    edited = post(world, g.post_id)
    assert edited.body == "Een bericht zonder adres"
    assert edited.edited_by_id == g.moderator.membership_id
    with world.ctx():
        revision = db.session.scalar(select(PostRevision).where(PostRevision.post_id == g.post_id))
        assert revision.body == "Een bericht dat gemeld wordt"
        assert revision.replaced_by_id == g.moderator.membership_id
    login(client, g.members[2])
    assert "bewerkt door een moderator" in _html(client.get(f"/s/{g.slug}/t/{g.thread_id}?page=1"))


def test_closing_the_conversation_locks_the_thread(app, world):
    g, case_id = _flagged(world)
    resolve(world, g.moderator, case_id, outcomes=["lock"])
    with world.ctx():
        assert db.session.get(Thread, g.thread_id).is_locked
    assert "lock_thread" in log_actions(world, g.space_id)


def test_a_warning_is_a_private_message_only_the_author_reads(app, client, world):
    g, case_id = _flagged(world)
    resolve(world, g.moderator, case_id, outcomes=["warn"],
            warning="Let op je woorden, Sam. Uniekewaarschuwing42")
    with world.ctx():
        notice = db.session.scalar(select(MemberNotice))
        assert notice.membership_id == g.author.membership_id
    assert MOD_WARNING in kinds_for(world, g.author)
    login(client, g.author)
    assert "Uniekewaarschuwing42" in _html(client.get(f"/s/{g.slug}/notices"))
    login(client, g.members[0])
    assert "Uniekewaarschuwing42" not in _html(client.get(f"/s/{g.slug}/notices"))
    assert all("Uniekewaarschuwing42" not in m for m in mails_to(world, g.author))


def test_a_moderator_suspends_the_author_until_a_date(app, client, world):
    g, case_id = _flagged(world)
    send = as_(client, g.moderator)
    until = (date.today() + timedelta(days=7)).isoformat()
    response = send(f"/s/{g.slug}/moderation/{case_id}/resolve", outcomes="suspend", until=until)
    assert response.status_code == 302
    suspended = _membership(world, g.author)
    assert suspended.suspended_at is not None and suspended.suspended_until is not None
    login(client, g.author)
    assert client.get(f"/s/{g.slug}/").status_code == 403


def test_a_moderator_cannot_suspend_a_facilitator_and_nothing_happens(app, client, world):
    g = group(world)
    lead_post = world.first_post_id(g.thread_id)
    flag(world, g.members[0], lead_post)
    case_id = case_id_of(world, lead_post)
    send = as_(client, g.moderator)
    response = send(f"/s/{g.slug}/moderation/{case_id}/resolve", outcomes=["warn", "suspend"],
                    warning="Let op", indefinitely="y")
    assert response.status_code == 400
    assert "vraag het een begeleider" in _html(response)
    assert _membership(world, g.lead).suspended_at is None
    assert case(world, case_id).resolved_at is None
    with world.ctx():
        assert db.session.scalar(select(MemberNotice.id)) is None  # the warning rolled back too


def test_outcomes_combine_in_one_go(app, world):
    g, case_id = _flagged(world)
    resolve(world, g.moderator, case_id, outcomes=["hide", "lock", "warn", "suspend"],
            reason="Onveilig", warning="Dit kan niet", indefinitely=True)
    assert case(world, case_id).outcome_list == ["hide", "lock", "warn", "suspend"]
    assert post(world, g.post_id).hidden_at is not None
    assert _membership(world, g.author).suspended_until is None
    assert _membership(world, g.author).suspended_at is not None
    assert log_actions(world, g.space_id)[-5:] == ["hide_post", "lock_thread", "warn", "suspend",
                                                   "resolve"]


@pytest.mark.parametrize("data, field, text", [
    ({}, "outcomes", "Kies minstens één uitkomst"),
    ({"outcomes": ["none", "hide"], "reason": "x"}, "outcomes", "Geen actie"),
    ({"outcomes": "hide", "note": "Mijn notitie blijft"}, "reason", "de schrijver leest dit"),
    ({"outcomes": "edit", "body": ""}, "body", "Schrijf eerst een bericht"),
    ({"outcomes": "warn", "note": "Mijn notitie blijft"}, "warning", "Schrijf het bericht"),
    ({"outcomes": "suspend"}, "until", "Kies een einddatum"),
    ({"outcomes": "suspend", "until": "2001-01-01"}, "until", "Kies een datum in de toekomst"),
])
def test_a_refused_resolution_says_why_at_the_field_and_changes_nothing(app, client, world,
                                                                         data, field, text):
    g, case_id = _flagged(world)
    send = as_(client, g.moderator)
    response = send(f"/s/{g.slug}/moderation/{case_id}/resolve", **data)
    html = _html(response)
    assert response.status_code == 400
    assert text in html
    assert f'href="#{field}"' in html
    if "note" in data:
        assert data["note"] in html  # the moderator's text is kept
    assert case(world, case_id).resolved_at is None
    assert post(world, g.post_id).hidden_at is None
    assert [f[2] for f in flags_of(world, g.post_id)] == ["open", "open"]


def test_a_plain_member_cannot_resolve(app, client, world):
    g, case_id = _flagged(world, claim_it=False)
    send = as_(client, g.members[2])
    response = send(f"/s/{g.slug}/moderation/{case_id}/resolve", outcomes="hide", reason="Weg")
    assert response.status_code == 403
    assert case(world, case_id).resolved_at is None and post(world, g.post_id).hidden_at is None


def test_resolving_a_case_someone_else_holds_is_refused_until_taken_over(app, client, world):
    g, case_id = _flagged(world)
    send = as_(client, g.lead)
    response = send(f"/s/{g.slug}/moderation/{case_id}/resolve", outcomes="none")
    assert response.status_code == 403
    assert case(world, case_id).resolved_at is None


def test_a_double_submitted_resolution_is_applied_once(app, client, world):
    g, case_id = _flagged(world)
    send = as_(client, g.moderator)
    first = send(f"/s/{g.slug}/moderation/{case_id}/resolve", outcomes="warn", warning="Eén keer")
    second = send(f"/s/{g.slug}/moderation/{case_id}/resolve", outcomes="warn", warning="Eén keer")
    assert first.status_code == 302
    assert second.status_code == 302
    assert "al afgehandeld" in _html(client.get(second.headers["Location"]))
    with world.ctx():
        assert db.session.scalar(select(db.func.count()).select_from(MemberNotice)) == 1
    assert log_actions(world, g.space_id).count("resolve") == 1


def test_resolving_without_csrf_is_refused(app, client, world):
    g, case_id = _flagged(world)
    login(client, g.moderator)
    response = client.post(f"/s/{g.slug}/moderation/{case_id}/resolve", data={"outcomes": "none"})
    assert response.status_code == 400
    assert case(world, case_id).resolved_at is None
