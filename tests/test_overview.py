"""The participation overview (/s/<slug>/overview, issue 10 item 8): the figures per member,
cancellations as text, silent members, unanswered conversations, open reports, and the
weekly chart as accessible inline SVG with a table. Who may read it: test_overview_access.py."""
from __future__ import annotations

import re
from datetime import timedelta

from app.database import utcnow
from app.meetings.models import CANCELLED, NO_SHOW, PRESENT
from tests.conftest import login
from tests.moderation import flag
from tests.overview import (
    age_member, age_post, age_thread, attendance, away, meeting, set_membership, set_space,
)


def _page(client, slug):
    return client.get(f"/s/{slug}/overview")


def _card(html: str, membership_id: int) -> str:
    """One member's card, whitespace folded: from its id to the next card or section end."""
    marker = f'<li class="card member" id="member-{membership_id}">'
    assert marker in html, f"no card for membership {membership_id}"
    card = re.split(r'<li class="card member"|</section>', html.split(marker, 1)[1], 1)[0]
    return re.sub(r"\s+", " ", card)


def _as(client, person):
    login(client, person)
    return client


# --- figures per member ---------------------------------------------------------------------

def test_overview_counts_recent_posts_and_assignment_answers_per_member(app, client, world):
    from app.forum import seeding

    slug, lead = world.space()
    anouk = world.member(slug, lead, name="Anouk")
    bram = world.member(slug, lead, name="Bram")
    thread = world.thread(slug, anouk, title="Van Anouk")
    world.reply(slug, thread, anouk, "Nog iets")
    old = world.reply(slug, thread, anouk, "Lang geleden")
    age_post(world, old, days=20)
    with world.ctx():
        first = seeding.start_thread(world.actor(lead.user_id), world.space_obj(slug),
                                     kind="assignment", title="Opdracht 1", body="Doe dit").id
        second = seeding.start_thread(world.actor(lead.user_id), world.space_obj(slug),
                                      kind="assignment", title="Opdracht 2", body="En dit").id
    world.reply(slug, first, anouk, "Mijn antwoord")
    world.reply(slug, first, anouk, "Nog een aanvulling")  # the same assignment: counted once
    world.reply(slug, second, anouk, "Ook gedaan")
    late = world.reply(slug, second, bram, "Te lang geleden")
    age_post(world, late, days=15)

    html = _page(_as(client, lead), slug).get_data(as_text=True)
    a, b = _card(html, anouk.membership_id), _card(html, bram.membership_id)
    # Anouk: opening post, 1 reply, 3 assignment replies in 14 days (the 20-day-old one not).
    assert re.search(r"Berichten \(afgelopen 14 dagen\)</dt> <dd>5 ", a), a
    assert re.search(r"Opdrachten beantwoord \(afgelopen 14 dagen\)</dt> <dd>2</dd>", a), a
    assert re.search(r"Berichten \(afgelopen 14 dagen\)</dt> <dd>0 ", b), b
    assert re.search(r"Opdrachten beantwoord \(afgelopen 14 dagen\)</dt> <dd>0</dd>", b), b
    # The leads are not listed as participants.
    assert f'id="member-{lead.membership_id}"' not in html


def test_overview_shows_attendance_counts_and_commitment(app, client, world):
    slug, lead = world.space()
    anouk = world.member(slug, lead, name="Anouk")
    bram = world.member(slug, lead, name="Bram")
    set_membership(world, anouk, commitment_sessions=6)
    outcomes = [PRESENT, PRESENT, PRESENT, PRESENT, CANCELLED, NO_SHOW]
    for n, outcome in enumerate(outcomes):
        held = meeting(world, slug, hours_from_now=-24 * 7 * (n + 1))
        attendance(world, slug, held, anouk, outcome=outcome, cancelled=outcome == CANCELLED)
        attendance(world, slug, held, bram, outcome=PRESENT)

    html = _page(_as(client, lead), slug).get_data(as_text=True)
    a, b = _card(html, anouk.membership_id), _card(html, bram.membership_id)
    assert "4 aanwezig, 1 afgemeld, 1 afwezig zonder bericht" in a
    assert "Minstens 6 bijeenkomsten afgesproken: 4 bijgewoond" in a
    assert "6 aanwezig, 0 afgemeld, 0 afwezig zonder bericht" in b
    assert "Niets afgesproken" in b


def test_facilitator_reads_each_cancellation_as_text_with_its_reason(app, client, world):
    slug, lead = world.space()
    anouk = world.member(slug, lead, name="Anouk")
    bram = world.member(slug, lead, name="Bram")
    coming = meeting(world, slug, hours_from_now=48, topic="Grenzen stellen")
    past = meeting(world, slug, hours_from_now=-72)
    called_off = meeting(world, slug, hours_from_now=96, cancelled=True)
    long_ago = meeting(world, slug, hours_from_now=-24 * 30)
    attendance(world, slug, coming, anouk, cancelled=True, reason="Mijn dochter is ziek")
    attendance(world, slug, past, anouk, cancelled=True, reason="")
    attendance(world, slug, called_off, anouk, cancelled=True, reason="Vervalt toch")
    attendance(world, slug, long_ago, anouk, cancelled=True, reason="Oud nieuws")
    attendance(world, slug, coming, bram, outcome=None)  # a row without a cancellation
    today = utcnow().date()
    away(world, slug, bram, today + timedelta(days=3), today + timedelta(days=17),
         reason="Op vakantie")
    away(world, slug, bram, today - timedelta(days=30), today - timedelta(days=20))

    html = _page(_as(client, lead), slug).get_data(as_text=True)
    a, b = _card(html, anouk.membership_id), _card(html, bram.membership_id)
    assert "Afgemeld voor de bijeenkomst van" in a
    assert "(Grenzen stellen). Reden: Mijn dochter is ziek" in a
    assert f'<a href="/s/{slug}/meetings/{coming}">' in a  # the meeting's own page
    assert "Afgemeld voor de afgelopen bijeenkomst van" in a
    assert "Vervalt toch" not in a and "Oud nieuws" not in a
    assert a.count('class="cancellation"') == 2
    assert "class=\"cancellation\"" not in b and "Geen" not in b.split("Afmeldingen")[1]
    assert "Afwezig van" in b and "Reden: Op vakantie" in b
    assert b.count('class="away"') == 1


def test_a_cancellation_sent_by_the_member_shows_on_the_facilitators_overview(app, world):
    """Through the attendance pages themselves: "Ik meld me af" with a reason, and a
    period away; the facilitator reads both on the overview, another member neither."""
    from datetime import date

    from tests.conftest import csrf_token

    slug, lead = world.space()
    sanne, kees = world.member(slug, lead, name="Sanne"), world.member(slug, lead, name="Kees")
    coming = meeting(world, slug, hours_from_now=30, topic="Grenzen stellen")
    member = app.test_client()
    login(member, sanne)
    sent = member.post(f"/s/{slug}/meetings/{coming}/absence", data={
        "csrf_token": csrf_token(member, f"/s/{slug}/meetings/{coming}/absence"),
        "reason": "Afspraak bij de tandarts"})
    assert sent.status_code == 302
    first = date.today() + timedelta(days=20)
    member.post(f"/s/{slug}/meetings/away", data={
        "csrf_token": csrf_token(member, f"/s/{slug}/meetings/away"),
        "first_day": first.isoformat(), "last_day": (first + timedelta(days=6)).isoformat(),
        "reason": "Op vakantie"})

    lead_client = app.test_client()
    card = _card(_page(_as(lead_client, lead), slug).get_data(as_text=True), sanne.membership_id)
    assert "Afgemeld voor de bijeenkomst van" in card
    assert "(Grenzen stellen). Reden: Afspraak bij de tandarts" in card
    assert "Afwezig van" in card and "Reden: Op vakantie" in card
    other = app.test_client()
    login(other, kees)
    assert _page(other, slug).status_code == 403


def test_cofacilitator_sees_cancellations_but_not_their_reasons(app, client, world):
    slug, lead = world.space()
    co = world.member(slug, lead, role="cofacilitator")
    anouk = world.member(slug, lead, name="Anouk")
    set_space(world, slug, overview_for_cofacilitators=True)
    coming = meeting(world, slug, hours_from_now=48)
    attendance(world, slug, coming, anouk, cancelled=True, reason="Mijn dochter is ziek")

    html = _page(_as(client, co), slug).get_data(as_text=True)
    card = _card(html, anouk.membership_id)
    assert "Afgemeld voor de bijeenkomst van" in card
    assert "Mijn dochter is ziek" not in html


def test_member_silent_past_the_threshold_is_marked_silent_since_n_days(app, client, world):
    slug, lead = world.space()
    quiet = world.member(slug, lead, name="Stille Sanne")
    never = world.member(slug, lead, name="Nooit Nina")
    busy = world.member(slug, lead, name="Bezige Bas")
    thread = world.thread(slug, lead)
    age_post(world, world.reply(slug, thread, quiet, "Lang geleden"), days=12)
    age_member(world, never, days=11)
    world.reply(slug, thread, busy, "Vandaag")
    _as(client, lead)

    html = _page(client, slug).get_data(as_text=True)
    assert "Stil sinds 12 dagen" in _card(html, quiet.membership_id)
    assert "Stil sinds 11 dagen" in _card(html, never.membership_id)
    assert "Stil sinds" not in _card(html, busy.membership_id)
    assert "2 deelnemers hebben 10 dagen of langer niets geschreven." in html

    set_space(world, slug, silent_after_days=12)
    html = _page(client, slug).get_data(as_text=True)
    assert "Stil sinds 12 dagen" in _card(html, quiet.membership_id)
    assert "Stil sinds" not in _card(html, never.membership_id)


# --- the group as a whole --------------------------------------------------------------------

def test_conversations_without_a_reply_after_48_hours_are_listed(app, client, world):
    slug, lead = world.space()
    anouk = world.member(slug, lead, name="Anouk")
    waiting = world.thread(slug, anouk, title="Niemand antwoordt")
    fresh = world.thread(slug, anouk, title="Net begonnen")
    answered = world.thread(slug, anouk, title="Wel antwoord")
    world.reply(slug, answered, lead, "Hier is een antwoord")
    news = world.thread(slug, lead, title="Mededeling", kind="announcement")
    age_thread(world, waiting, hours=49)
    age_thread(world, fresh, hours=47)
    age_thread(world, answered, hours=60)
    age_thread(world, news, hours=60)

    html = _page(_as(client, lead), slug).get_data(as_text=True)
    section = html.split('id="unanswered-heading"')[1].split("</section>")[0]
    assert "Niemand antwoordt" in section
    assert f'/s/{slug}/t/{waiting}"' in section
    for title in ("Net begonnen", "Wel antwoord", "Mededeling"):
        assert title not in section, title


def test_open_reports_are_listed_and_resolved_ones_are_not(app, client, world):
    from tests.moderation import case_id_of, resolve

    slug, lead = world.space()
    anouk = world.member(slug, lead, name="Anouk")
    bram = world.member(slug, lead, name="Bram")
    thread = world.thread(slug, lead, title="Gesprek met melding")
    worrying = world.reply(slug, thread, anouk, "Het gaat niet goed")
    settled = world.reply(slug, thread, anouk, "Al afgehandeld")
    flag(world, bram, worrying, reason="concern")
    flag(world, bram, settled)
    resolve(world, lead, case_id_of(world, settled), outcomes=["none"])

    html = _page(_as(client, lead), slug).get_data(as_text=True)
    section = html.split('id="cases-heading"')[1].split("</section>")[0]
    assert section.count('class="thread"') == 1
    assert f'/s/{slug}/moderation/{case_id_of(world, worrying)}"' in section
    assert "Zorgen om iemand" in section


def test_another_spaces_activity_never_shows(app, client, world):
    slug, lead = world.space()
    other_slug, other_lead = world.space()
    anouk = world.member(slug, lead, name="Anouk")
    # The same person in the other group: her posts there are not counted here.
    token = world.invite_token(other_slug, other_lead, email=anouk.email)
    elsewhere = world.accept(token, display_name="Anouk elders", email_user=anouk)
    other_thread = world.thread(other_slug, elsewhere, title="Gesprek elders")
    age_thread(world, other_thread, hours=72)
    other_post = world.reply(other_slug, world.thread(other_slug, other_lead), elsewhere, "Elders")
    flag(world, other_lead, other_post)
    held = meeting(world, other_slug, hours_from_now=48)
    attendance(world, other_slug, held, elsewhere, cancelled=True, reason="Reden elders")

    html = _page(_as(client, lead), slug).get_data(as_text=True)
    card = _card(html, anouk.membership_id)
    assert re.search(r"Berichten \(afgelopen 14 dagen\)</dt> <dd>0 ", card), card
    assert "Afmeldingen</dt> <dd> Geen" in card
    for text in ("Gesprek elders", "Reden elders", "Anouk elders"):
        assert text not in html, text
    assert "Geen open meldingen." in html


def test_weekly_chart_is_accessible_inline_svg_with_a_table(app, client, world):
    slug, lead = world.space()
    anouk = world.member(slug, lead, name="Anouk")
    thread = world.thread(slug, anouk)  # this week: 1 post by Anouk
    world.reply(slug, thread, lead, "Antwoord")  # this week: 2 posts, 2 writers
    age_post(world, world.reply(slug, thread, anouk, "Drie weken terug"), days=21)
    age_post(world, world.reply(slug, thread, anouk, "Een half jaar terug"), days=180)

    response = _page(_as(client, lead), slug)
    html = response.get_data(as_text=True)
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in svg and 'aria-labelledby="activity-title activity-desc"' in svg
    assert '<title id="activity-title">Activiteit per week</title>' in svg
    assert "3 in totaal" in svg  # the description says the figures too (not the old post)
    assert svg.count("<rect") == 12
    assert "style=" not in svg and "<script" not in html.split("<main", 1)[1]
    rows = re.findall(r'<tr><th scope="row">[^<]+</th><td>(\d+)</td><td>(\d+)</td></tr>', html)
    assert len(rows) == 12
    assert rows[-1] == ("2", "2")
    assert sum(int(posts) for posts, _w in rows) == 3
    assert "Content-Security-Policy" in response.headers


def test_hostile_names_and_titles_are_escaped_on_the_overview(app, client, world):
    slug, lead = world.space()
    anouk = world.member(slug, lead, name="<script>x</script>")
    thread = world.thread(slug, anouk, title="<img src=x onerror=alert(1)>")
    age_thread(world, thread, hours=50)
    coming = meeting(world, slug, hours_from_now=24, topic="<b>onderwerp</b>")
    attendance(world, slug, coming, anouk, cancelled=True, reason="<i>reden</i>")
    html = _page(_as(client, lead), slug).get_data(as_text=True)
    for raw in ("<script>x</script>", "<img src=x", "<b>onderwerp", "<i>reden"):
        assert raw not in html, raw
    assert "&lt;i&gt;reden&lt;/i&gt;" in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
