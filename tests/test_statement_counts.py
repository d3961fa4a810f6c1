"""The number of SQL statements each main page takes, pinned: the same with a little data
and with a lot, and equal to the number below. A page that changes on purpose updates its
number here (the failure names the page and both counts)."""
from __future__ import annotations

import pytest

from app.extensions import db
from tests.conftest import QueryCounter, login

# page -> statements per request (after a warm-up visit); the same on SQLite and PostgreSQL.
# Every page of a space starts with the session and its user, then the reader's memberships
# with their spaces, of which the space in the URL is one (no query of its own since issue 12).
PINNED = {
    # + due dates and the reader's choices on the seeded rows (one query), + the unread
    # count of every tab (one query), + the next meeting (one query), + the group's size
    # for the facilitator's warning (one count; measured as the facilitator, members do
    # without it)
    "space home": 10,
    "space home tab": 9,  # one kind: no separate pinned list, so one query fewer
    # + the attachments of all posts on the page (one query), + the posts the replies on
    # the page quote (one query for all of them); the thread comes with the reader's read
    # position (one query for both)
    "thread page": 8,
    "notifications": 5,
    "members": 4,
    "agreement": 4,
    "invite page": 6,  # + how each open invitation's mail stands (one query)
    "account": 3,
    "account security": 4,  # + the open sessions of the account (one query for any number)
    "two-step login": 4,  # + the unused recovery codes (one count)
    "notification settings": 5,
    "my groups": 4,
    "admin spaces": 3,
    "library": 6,  # + own categories, count, items with author, category and conversation
    # Planned threads and replies (tests/test_schedule.py) are on the pages above too: the
    # home filters them out, the thread page loads its planned replies with its posts.
    "planned": 6,  # + planned library material (one query)
    "meetings": 5,  # coming and past meetings (one query each)
    # the meeting, its series, its planned threads (leads: one query), + the attendance
    # panel: the facilitators' list in one query (members: their own status, one query)
    "meeting": 7,
    "programme": 4,  # a closed group's sessions (one query)
    # Participation overview (issue 10): week sums, members with their post, assignment
    # and attendance aggregates, cancellations, periods away, unanswered threads, open
    # reports; grown in every dimension below (test_overview_statements_stay_fixed...).
    "overview": 9,
    # Exports (issue 11): the page with the newest export asked for (one query).
    "my data export": 4,
    "space export": 4,
    # Search within a space (app/search): the results, their threads, authors and
    # snippets in one statement, with one row more than a page instead of a count.
    "search": 4,
}
# A statement adds one query to its thread page (positions, counts and the reader's own choice
# together); an assignment one for its due date and the reader's own answer, and one more for
# the leads (every participant with their first answer). The home adds one for all its
# statement and assignment rows together (due dates, the reader's choices), none without them.
PINNED["statement thread page"] = PINNED["thread page"] + 1
PINNED["assignment thread page"] = PINNED["thread page"] + 2


def _paths(slug: str, thread_id: int, seeded: dict[str, int]) -> dict[str, str]:
    return {
        **{page: f"/s/{slug}/t/{seeded[page]}?page=1" for page in seeded if page != "meeting"},
        "space home": f"/s/{slug}/", "thread page": f"/s/{slug}/t/{thread_id}?page=1",
        "space home tab": f"/s/{slug}/?kind=assignment",
        "notifications": "/notifications", "members": f"/s/{slug}/members",
        "agreement": f"/s/{slug}/agreement", "invite page": f"/s/{slug}/invite",
        "account": "/account", "account security": "/account/security",
        "two-step login": "/account/2fa",
        "notification settings": "/notifications/settings", "my groups": "/",
        "library": f"/s/{slug}/library",
        "planned": f"/s/{slug}/planned",
        "meetings": f"/s/{slug}/meetings", "meeting": f"/s/{slug}/meetings/{seeded['meeting']}",
        "programme": f"/s/{slug}/meetings/programme",
        "overview": f"/s/{slug}/overview",
        "my data export": "/account/export", "space export": f"/s/{slug}/export",
        "search": f"/s/{slug}/search?q=antwoord",
    }


def _count(app, client, path: str) -> int:
    client.get(path)  # warm-up: a first visit may write (read position) once
    with app.app_context():
        engine = db.engine
    with QueryCounter(engine) as counter:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return counter.count


def _measure(app, world, slug, lead, threads) -> dict[str, int]:
    thread_id, seeded = threads
    client = app.test_client()
    login(client, lead)
    counts = {page: _count(app, client, path)
              for page, path in _paths(slug, thread_id, seeded).items()}
    operator = app.test_client()
    login(operator, world.operator)
    counts["admin spaces"] = _count(app, operator, "/admin/spaces")
    return counts


def _reply_with_files(world, slug, thread_id, author, n) -> None:
    from app.forum import service as forum
    from app.forum.models import Thread
    from tests import uploadfiles as files

    with world.ctx():
        forum.reply(world.actor(author.user_id), db.session.get(Thread, thread_id),
                    body=f"Met bijlagen {n}", files=[files.storage_of(files.png(), "foto.png"),
                                                      files.storage_of(files.pdf(), "blad.pdf")])


def _fill(world, slug, lead, *, members: int, threads: int, replies: int, invitations: int,
          planned: int):
    """Members, threads (some announcements), one thread with many replies that mention
    the lead (notifications), every other reply quoting an earlier post, open invitations,
    a statement everyone took a position on and an assignment everyone answered (both with
    due dates or positions, listed on the home).
    Returns the long thread's id and the seeded threads' ids by page name."""
    people = [lead, *(world.member(slug, lead, name=f"Deelnemer {n}") for n in range(members))]
    for n in range(threads):
        announcement = n % 5 == 0
        world.thread(slug, lead if announcement else people[n % len(people)], title=f"Onderwerp {n}",
                     kind="announcement" if announcement else "discussion")
    long_thread = world.thread(slug, lead, title="Het lange gesprek")
    posts = [world.first_post_id(long_thread)]
    for n in range(replies):
        posts.append(world.reply(slug, long_thread, people[1 + n % (len(people) - 1)],
                                 f"Antwoord {n}", quote=posts[n // 2] if n % 2 == 0 else None))
    for n in range(1 + replies // 10):  # replies with a photo and a document each
        _reply_with_files(world, slug, long_thread, people[n % len(people)], n)
    for _ in range(invitations):
        world.invite_token(slug, lead)
    _library(world, slug, people, items=max(1, threads))
    _plan(world, slug, lead, long_thread, planned)
    return long_thread, {**_seed(world, slug, lead, people),
                         "meeting": _meetings(world, slug, lead, planned)}


def _meetings(world, slug, lead, count: int) -> int:
    """A closed group's programme: a weekly series of sessions (with preparation and
    reflection threads for each) and a one-off meeting; returns the first session's id."""
    from app.meetings import rhythm
    from app.meetings.models import Meeting
    from tests.meetings import day_ahead, plan, plan_series

    with world.ctx():
        space = world.space_obj(slug)
        space.group_kind, space.planned_sessions = "closed", 2 * count + 2
        db.session.commit()
    ids = plan_series(world, slug, lead, day_ahead(4), count=2 * count + 1)
    plan(world, slug, lead, day_ahead(2), topic="Los")
    with world.ctx():
        rhythm.plan_content(world.actor(lead.user_id),
                            [db.session.get(Meeting, i) for i in ids],
                            preparation_title="Voorbereiding", preparation_body="Lees dit",
                            reflection_title="Nabespreking", reflection_body="Hoe was het?")
    return ids[0]


def _seed(world, slug, lead, people) -> dict[str, int]:
    from datetime import date, timedelta

    from app.forum import seeding, statements
    from app.forum.models import Thread

    with world.ctx():
        statement, assignment = (
            seeding.start_thread(world.actor(lead.user_id), world.space_obj(slug), kind=kind,
                                 title=f"Een {kind}", body="Van de begeleider",
                                 due_day=(date.today() + timedelta(days=7)).isoformat()).id
            for kind in ("statement", "assignment"))
        for n, person in enumerate(people[1:]):
            statements.take_position(world.actor(person.user_id),
                                     db.session.get(Thread, statement), position=1 + n % 3)
    opening = world.first_post_id(assignment)  # each answer quotes the assignment
    for n, person in enumerate(people[1:]):
        world.reply(slug, assignment, person, f"Mijn antwoord {n}", quote=opening)
    world.reply(slug, statement, people[1], "Ik ben het ermee eens",
                quote=world.first_post_id(statement))
    return {"statement thread page": statement, "assignment thread page": assignment}


def _library(world, slug, people, *, items: int) -> None:
    """Material by several people (links and files), some in the group's own category,
    some discussed."""
    from app.library import categories, service as library
    from tests import uploadfiles as files

    with world.ctx():
        lead_actor, space = world.actor(people[0].user_id), world.space_obj(slug)
        own = str(categories.add_category(lead_actor, space, name="Eigen categorie").id)
        for n in range(items):
            author = people[n % len(people)]
            file = files.storage_of(files.pdf(), f"werkblad {n}.pdf") if n % 5 == 1 else None
            item = library.add_item(world.actor(author.user_id), space,
                                    kind="file" if file else "link", file=file,
                                    title=f"Materiaal {n}", url=f"https://example.org/{n}",
                                    category=own if n % 3 == 0 else "tips",
                                    from_leads=author is people[0])
            if n % 4 == 0:
                library.discuss_item(world.actor(author.user_id), item)


def _plan(world, slug, lead, thread_id, count: int) -> None:
    """Planned threads and planned replies in the long thread, by the lead."""
    from datetime import timedelta

    from app.database import utcnow
    from app.forum import service as forum
    from app.forum.models import Thread

    with world.ctx():
        actor, space = world.actor(lead.user_id), world.space_obj(slug)
        for n in range(count):
            at = utcnow() + timedelta(hours=n + 1)
            forum.start_thread(actor, space, kind="announcement", title=f"Gepland {n}",
                               body=f"Later {n}", publish_at=at)
            forum.reply(actor, db.session.get(Thread, thread_id), body=f"Straks {n}",
                        publish_at=at)


def test_main_pages_take_a_pinned_number_of_statements_with_little_and_much_data(app, world, record_property):
    with app.app_context():
        backend = db.engine.dialect.name
    small_slug, small_lead = world.space()
    small_thread = _fill(world, small_slug, small_lead, members=1, threads=1, replies=1, invitations=1,
                         planned=1)
    small = _measure(app, world, small_slug, small_lead, small_thread)

    for _ in range(3):  # more rented spaces for the operator's list
        world.space()
    big_slug, big_lead = world.space(seat_limit=60)
    big_thread = _fill(world, big_slug, big_lead, members=12, threads=30, replies=45, invitations=8,
                       planned=6)
    large = _measure(app, world, big_slug, big_lead, big_thread)
    record_property("statement_counts", {"small": small, "large": large})
    print(f"statements per page ({backend}): small {small} large {large}")

    problems = [
        f"{page}: {small[page]} statements with little data, {large[page]} with much data, "
        f"pinned {PINNED[page]} ({backend})"
        for page in PINNED if not small[page] == large[page] == PINNED[page]
    ]
    assert not problems, "\n".join(problems)


def _grow_overview(world, slug, lead, n: int) -> None:
    """n of everything the overview aggregates: members (some silent, some with commitment
    and visits), posts, assignment answers, meetings with every outcome, cancellations with
    reasons, periods away, unanswered conversations and open reports."""
    from datetime import date, timedelta

    from app.forum import seeding
    from app.meetings.models import OUTCOMES
    from tests import overview as ov
    from tests.moderation import flag

    people = [world.member(slug, lead, name=f"Lid {slug} {k}") for k in range(n)]
    with world.ctx():
        task = seeding.start_thread(world.actor(lead.user_id), world.space_obj(slug),
                                    kind="assignment", title="Opdracht", body="Doe dit").id
    meetings = [ov.meeting(world, slug, hours_from_now=48 * (k - n // 2), topic=f"Thema {k}")
                for k in range(n)]
    for k, person in enumerate(people):
        ov.set_membership(world, person, commitment_sessions=k + 1,
                          last_seen_on=date.today() - timedelta(days=k))
        thread = world.thread(slug, person, title=f"Vraag {k}")
        ov.age_thread(world, thread, hours=50 + k)  # unanswered for two days
        ov.age_post(world, world.reply(slug, task, person, f"Antwoord {k}"), days=k * 3)
        flag(world, lead, world.reply(slug, task, person, f"Nog iets {k}"))
        for m, meeting_id in enumerate(meetings):
            ov.attendance(world, slug, meeting_id, person, outcome=OUTCOMES[(k + m) % 3],
                          cancelled=(k + m) % 3 == 1, reason=f"Reden {k}-{m}")
        ov.away(world, slug, person, date.today() + timedelta(days=k),
                date.today() + timedelta(days=k + 7), reason=f"Weg {k}")


def test_overview_statements_stay_fixed_whatever_grows(app, world, record_property):
    counts = {}
    for n in (1, 7):
        slug, lead = world.space(seat_limit=60)
        _grow_overview(world, slug, lead, n)
        client = app.test_client()
        login(client, lead)
        counts[n] = _count(app, client, f"/s/{slug}/overview")
        html = client.get(f"/s/{slug}/overview").get_data(as_text=True)
        assert html.count('class="card member"') == n
        assert (html.count('class="cancellation"') > 0) == (n > 1)
    record_property("overview_statements", counts)
    assert counts == {1: PINNED["overview"], 7: PINNED["overview"]}, counts
