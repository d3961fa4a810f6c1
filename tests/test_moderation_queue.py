"""The queue (issue 8, items 3 and 9): open flags grouped by post with their context, urgent
first; claims per post ("ik pak dit op"), release and take-over, exactly one winner when two
moderators claim at once, and claims released after 48 hours; header counts and medians; a
badge for those who may act; a fixed number of statements however many flags are open."""
from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.database import utcnow
from app.extensions import db
from app.moderation import cases as case_service
from app.moderation.models import ModerationCase, ModerationLog
from app.notify.kinds import CLAIM_EXPIRED
from tests.conftest import QueryCounter, csrf_token, login
from tests.moderation import as_, case, case_id_of, claim, flag, group, kinds_for, resolve


def _html(response) -> str:
    return response.get_data(as_text=True)


def test_moderator_sees_open_flags_grouped_by_post_with_context(app, client, world):
    g = group(world)  # post 1: the lead's opening, post 2: the author's (flagged)
    world.reply(g.slug, g.thread_id, g.lead, "Het bericht erna")
    world.reply(g.slug, g.thread_id, g.members[0], "Verder weg")
    flag(world, g.members[0], g.post_id, reason="hurtful", note="Dit kwetst Noor")
    flag(world, g.members[1], g.post_id, reason="privacy")
    login(client, g.moderator)

    html = _html(client.get(f"/s/{g.slug}/moderation"))

    assert html.count('class="card case') == 1  # one post, one group of flags
    assert "Een gesprek" in html  # the thread title
    assert "Een bericht dat gemeld wordt" in html and "het gemelde bericht" in html
    assert "Eerste bericht" in html and "Het bericht erna" in html  # the posts around it
    assert "Verder weg" not in html
    assert "Kwetsend of onveilig" in html and "Privacy" in html
    assert "Dit kwetst Noor" in html and "Melder 0" in html and "Melder 1" in html
    assert "Wacht al" in html and "Nog niet opgepakt" in html
    assert "1 open melding" in html


def test_urgent_flags_sort_to_the_top(app, client, world):
    g = group(world)
    elsewhere = world.thread(g.slug, g.lead, title="Ander gesprek", body="Begin")
    other = world.reply(g.slug, elsewhere, g.members[2], "Ik zie het niet meer zitten")
    flag(world, g.members[0], g.post_id, reason="spam")
    flag(world, g.members[1], other, reason="concern")
    login(client, g.moderator)
    html = _html(client.get(f"/s/{g.slug}/moderation"))
    assert html.index("Ik zie het niet meer zitten") < html.index("Een bericht dat gemeld wordt")
    assert "Dringend: zorgen om iemand" in html


@pytest.mark.parametrize("role", ["member"])
def test_plain_members_cannot_open_the_queue_or_a_case(app, client, world, role):
    g = group(world)
    flag(world, g.members[0], g.post_id)
    login(client, g.members[1])
    case_id = case_id_of(world, g.post_id)
    assert client.get(f"/s/{g.slug}/moderation").status_code == 403
    assert client.get(f"/s/{g.slug}/moderation/{case_id}").status_code == 403
    assert f"/s/{g.slug}/moderation" not in _html(client.get(f"/s/{g.slug}/"))


def test_queue_statement_count_is_pinned_however_many_flags_are_open(app, client, world):
    g = group(world, flaggers=3)
    posts = [world.reply(g.slug, g.thread_id, g.author, f"Bericht {i}") for i in range(12)]
    login(client, g.moderator)
    counts = []
    for n in (1, 12):
        for post_id in posts[:n]:
            if case_id_of(world, post_id) is None:
                for member in g.members[:2]:
                    flag(world, member, post_id, note=f"notitie {post_id}")
        client.get(f"/s/{g.slug}/moderation")  # warm up
        with app.app_context():
            engine = db.engine
        with QueryCounter(engine) as counter:
            response = client.get(f"/s/{g.slug}/moderation")
        assert response.status_code == 200
        assert _html(response).count('class="card case') == n
        counts.append(counter.count)
    assert counts[0] == counts[1] == 7, counts


def test_the_badge_shows_open_reports_to_those_who_may_act_only(app, client, world):
    g = group(world)
    flag(world, g.members[0], g.post_id)
    world.reply(g.slug, g.thread_id, g.author, "Nog een")
    flag(world, g.members[0], world.reply(g.slug, g.thread_id, g.author, "En nog een"))
    login(client, g.moderator)
    nav = _html(client.get(f"/s/{g.slug}/"))
    assert re.search(r'>Moderatie <span class="count" aria-hidden="true">2</span>', nav)
    login(client, g.members[1])
    assert "/moderation" not in _html(client.get(f"/s/{g.slug}/"))


# --- claims ---------------------------------------------------------------------------------

def test_moderator_claims_releases_and_another_takes_over(app, client, world):
    g = group(world)
    flag(world, g.members[0], g.post_id)
    case_id = case_id_of(world, g.post_id)
    base = f"/s/{g.slug}/moderation/{case_id}"

    send = as_(client, g.moderator)
    assert send(f"{base}/claim").status_code == 302
    assert case(world, case_id).claimed_by_id == g.moderator.membership_id
    other = app.test_client()
    send_other = as_(other, g.lead)
    page = _html(other.get(base))
    assert "Opgepakt door Moderator Mo" in page and "Overnemen van Moderator Mo" in page
    refused = send_other(f"{base}/claim")
    assert refused.status_code == 409 and "Moderator Mo heeft dit al opgepakt" in _html(refused)

    assert send_other(f"{base}/take-over", holder=str(g.moderator.membership_id)).status_code == 302
    assert case(world, case_id).claimed_by_id == g.lead.membership_id
    # The moderator's stale take-over (they saw no holder) does not take it back silently.
    stale = send(f"{base}/take-over", holder="")
    assert stale.status_code == 409
    assert case(world, case_id).claimed_by_id == g.lead.membership_id

    assert send_other(f"{base}/release").status_code == 302
    assert case(world, case_id).claimed_by_id is None
    with world.ctx():
        actions = list(db.session.scalars(select(ModerationLog.action).where(
            ModerationLog.case_id == case_id).order_by(ModerationLog.id)))
    assert actions == ["flag", "claim", "take_over", "release"]


def test_nobody_claims_a_flag_on_their_own_post_and_the_queue_says_who_should(app, client,
                                                                             world):
    g = group(world)
    own = world.reply(g.slug, g.thread_id, g.moderator, "Van de moderator")
    flag(world, g.members[0], own, reason="hurtful", note="Geheime toelichting")
    case_id = case_id_of(world, own)
    send = as_(client, g.moderator)

    queue = _html(client.get(f"/s/{g.slug}/moderation"))
    refused = send(f"/s/{g.slug}/moderation/{case_id}/claim")
    refused_resolve = send(f"/s/{g.slug}/moderation/{case_id}/resolve", outcomes="none")

    assert "Dit gaat over je eigen bericht" in queue
    assert f"Begeleider {g.slug}" in queue  # who else should
    assert "Melder 0" not in queue and "Geheime toelichting" not in queue
    assert refused.status_code == 403 and "je eigen bericht" in _html(refused)
    assert refused_resolve.status_code == 403
    assert case(world, case_id).claimed_by_id is None and case(world, case_id).resolved_at is None


@pytest.mark.parametrize("attempt", range(3))
def test_two_moderators_claiming_at_the_same_moment_exactly_one_wins(app, world, attempt):
    g = group(world)
    second = world.member(g.slug, g.lead, role="moderator", name="Moderator Two")
    flag(world, g.members[0], g.post_id)
    case_id = case_id_of(world, g.post_id)
    clients, tokens = [], []
    for person in (g.moderator, second):
        client = app.test_client()
        login(client, person)
        tokens.append(csrf_token(client, "/"))
        clients.append(client)
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def claim_now(i: int) -> None:
        barrier.wait()
        results[i] = clients[i].post(f"/s/{g.slug}/moderation/{case_id}/claim",
                                     data={"csrf_token": tokens[i]})

    threads = [threading.Thread(target=claim_now, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    statuses = sorted(r.status_code for r in results)
    assert statuses == [302, 409], statuses
    winner = case(world, case_id).claimed_by_id
    assert winner in (g.moderator.membership_id, second.membership_id)
    loser = results[0] if results[0].status_code == 409 else results[1]
    winner_name = "Moderator Mo" if winner == g.moderator.membership_id else "Moderator Two"
    assert f"{winner_name} heeft dit al opgepakt" in _html(loser)
    with world.ctx():
        claims = db.session.scalar(select(db.func.count()).select_from(ModerationLog).where(
            ModerationLog.case_id == case_id, ModerationLog.action == "claim"))
    assert claims == 1


def test_a_claim_unresolved_for_48_hours_is_released_and_the_others_told(app, world):
    from app.notify.worker import run_once

    g = group(world)
    flag(world, g.members[0], g.post_id)
    case_id = case_id_of(world, g.post_id)
    claim(world, g.moderator, case_id)
    with world.ctx():
        assert case_service.release_stale_claims() == 0  # fresh claims stay
        db.session.execute(update(ModerationCase).where(ModerationCase.id == case_id)
                           .values(claimed_at=utcnow() - timedelta(hours=49)))
        db.session.commit()
        outcome = run_once()

    assert outcome["claims_released"] == 1
    released = case(world, case_id)
    assert released.claimed_by_id is None and released.first_claimed_at is not None
    assert CLAIM_EXPIRED in kinds_for(world, g.lead)
    assert CLAIM_EXPIRED not in kinds_for(world, g.moderator)
    with world.ctx():
        entry = db.session.scalar(select(ModerationLog).where(
            ModerationLog.action == "claim_expired"))
        assert entry.actor_id is None and entry.subject_name == "Moderator Mo"


def test_header_shows_counts_and_median_times_over_30_days(app, client, world):
    g = group(world)
    posts = [world.reply(g.slug, g.thread_id, g.author, f"Bericht {i}") for i in range(3)]
    for p in posts:
        flag(world, g.members[0], p)
    ids = [case_id_of(world, p) for p in posts]
    claim(world, g.moderator, ids[0])
    resolve(world, g.moderator, ids[0], outcomes=["none"])
    now = utcnow()
    with world.ctx():
        for case_id, opened, claimed, resolved in (
                (ids[0], now - timedelta(hours=5), now - timedelta(hours=4), now - timedelta(hours=1)),
                (ids[1], now - timedelta(hours=3), now - timedelta(hours=1), None)):
            db.session.execute(update(ModerationCase).where(ModerationCase.id == case_id).values(
                created_at=opened, first_claimed_at=claimed, resolved_at=resolved))
        db.session.commit()
    login(client, g.moderator)
    html = _html(client.get(f"/s/{g.slug}/moderation"))
    assert "2 open meldingen" in html and "2 niet opgepakt" in html
    # Time to claim: 1 h and 2 h → median 1.5 h (shown rounded); to resolve: 4 h.
    assert re.search(r"tot oppakken (2 uur|1 uur|90 minuten)", html), html
    assert "tot afhandelen 4 uur" in html


# --- the other moderation pages keep a fixed number of statements ----------------------------

def _count(app, client, path: str) -> int:
    client.get(path)  # warm up
    with app.app_context():
        engine = db.engine
    with QueryCounter(engine) as counter:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return counter.count


def test_flag_case_log_and_notice_pages_have_pinned_statement_counts(app, client, world):
    g = group(world, flaggers=3)
    for member in g.members:
        flag(world, member, g.post_id, reason="other", note=f"Notitie van {member.name}")
    case_id = case_id_of(world, g.post_id)
    claim(world, g.moderator, case_id)
    login(client, g.members[0])
    flag_page = _count(app, client, f"/s/{g.slug}/p/{g.post_id}/flag")
    login(client, g.moderator)
    case_page = _count(app, client, f"/s/{g.slug}/moderation/{case_id}")
    resolve(world, g.moderator, case_id, outcomes=["warn"], warning="Let op")
    login(client, g.lead)
    log_page = _count(app, client, f"/s/{g.slug}/moderation/log")
    login(client, g.author)
    notices_page = _count(app, client, f"/s/{g.slug}/notices")
    assert (flag_page, case_page, log_page, notices_page) == (5, 8, 6, 4)
