"""Notifications (issue 3): who is told about what (and never about something they cannot
read), the in-app list with its links and read state, the header count, a fixed number of
SQL statements, content-free email through the outbox, preferences, one-click unsubscribe,
digests, and that a rolled-back change notifies nobody."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from app.accounts.models import User
from app.database import transactional
from app.extensions import db
from app.forum.models import Post, Thread
from app.forum.queries import page_of
from app.notify.kinds import MENTION, NEW_MEMBER, REPLY, SEED_CONTENT, offered_categories
from app.notify.models import DEFAULT_MODES, Notification, NotificationSettings, OutboxMessage
from app.spaces.models import Membership
from sqlalchemy import select
from tests.conftest import QueryCounter, csrf_token, login
from tests.mail import rendered_mail

BASE = "http://kring.test"

# --- helpers ----------------------------------------------------------------------------------


@dataclass
class Mail:
    id: int
    to: str
    subject: str
    text: str
    html: str
    headers: str

    @property
    def everything(self) -> str:
        return "\n".join((self.subject, self.text, self.html, self.headers))


def _mails(app, since: int = 0, to: str | None = None) -> list[Mail]:
    where = [OutboxMessage.id > since] + ([OutboxMessage.to_addr == to] if to is not None else [])
    return [Mail(m.id, m.to_addr, m.subject, m.body_text, m.body_html, m.headers)
            for m in rendered_mail(app, *where)]


def _last_mail_id(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.max(OutboxMessage.id))) or 0


def _outbox_count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage))


@dataclass
class N:
    id: int
    kind: str
    user_id: int
    membership_id: int
    thread_id: int | None
    post_id: int | None
    about_id: int | None
    read: bool
    mailed: bool


def _notes(app, person=None, *, post_id: int | None = None) -> list[N]:
    with app.app_context():
        query = db.select(Notification).order_by(Notification.id)
        if person is not None:
            query = query.where(Notification.user_id == person.user_id)
        if post_id is not None:
            query = query.where(Notification.post_id == post_id)
        return [N(n.id, n.kind, n.user_id, n.membership_id, n.thread_id, n.post_id, n.about_id,
                  n.read_at is not None, n.mailed_at is not None)
                for n in db.session.scalars(query)]


def _recipients(app, post_id: int) -> dict[int, str]:
    """user id → kind of the notifications about one post."""
    notes = _notes(app, post_id=post_id)
    assert len({n.user_id for n in notes}) == len(notes), "someone was notified twice"
    return {n.user_id: n.kind for n in notes}


def _post_id(app, thread_id: int, number: int) -> int:
    with app.app_context():
        return db.session.scalar(db.select(Post.id).where(Post.thread_id == thread_id,
                                                          Post.number == number))


def _client(app, person):
    client = app.test_client()
    login(client, person)
    return client


def _listed(client) -> list[int]:
    """Notification ids linked from /notifications (first page)."""
    response = client.get("/notifications")
    assert response.status_code == 200
    return [int(i) for i in re.findall(r'href="/notifications/(\d+)"', response.get_data(as_text=True))]


def _header_unread(html: str) -> int:
    assert '<header class="site">' in html
    header = html.split('<header class="site">', 1)[1].split("</header>", 1)[0]
    match = re.search(r'<span class="count"[^>]*>\s*(\d+)\s*</span>', header)
    return int(match.group(1)) if match else 0


def _unread_on(client, path: str = "/account") -> int:
    response = client.get(path)
    assert response.status_code == 200
    return _header_unread(response.get_data(as_text=True))


def _actor_call(world, person, fn, *args, **kwargs):
    with world.ctx():
        return fn(world.actor(person.user_id), *args, **kwargs)


def _membership(membership_id: int) -> Membership:
    return db.session.get(Membership, membership_id)


def _leave(world, slug, person):
    from app.spaces import members

    with world.ctx():
        members.leave_space(world.actor(person.user_id), world.space_obj(slug))


def _remove(world, by, person):
    from app.spaces import members

    with world.ctx():
        members.remove_member(world.actor(by.user_id), _membership(person.membership_id), confirmed=True)


def _suspend(world, by, person):
    from app.spaces import members

    with world.ctx():
        members.suspend_member(world.actor(by.user_id), _membership(person.membership_id), until=None)


def _rename(world, slug, person, name):
    from app.spaces import members

    with world.ctx():
        members.change_display_name(world.actor(person.user_id), world.space_obj(slug), display_name=name)
    person.name = name


def _prefs(world, slug, person, *, digest_hour=8, neutral_label=False, **modes):
    from app.notify import service as notify

    with world.ctx():
        notify.save_settings(world.actor(person.user_id), world.space_obj(slug),
                             modes={**DEFAULT_MODES, **modes}, digest_hour=digest_hour,
                             neutral_label=neutral_label)


def _stored_prefs(app, person):
    with app.app_context():
        s = db.session.get(NotificationSettings, person.membership_id)
        if s is None:
            return None
        return {"replies": s.replies, "facilitator": s.facilitator, "members": s.members,
                "flags": s.flags, "digest_hour": s.digest_hour, "neutral_label": s.neutral_label}


def _next_morning(hour: int = 9) -> datetime:
    """Tomorrow at `hour`:00 in Amsterdam, as aware UTC."""
    zone = ZoneInfo("Europe/Amsterdam")
    day = datetime.now(zone).date() + timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, tzinfo=zone).astimezone(timezone.utc)


def _send_digests(app, now: datetime) -> int:
    from app.notify.digest import send_digests

    with app.app_context():
        return send_digests(now)


def _unsubscribe_link(mail: Mail) -> str:
    match = re.search(r"^List-Unsubscribe: <([^>]+)>$", mail.headers, re.M)
    assert match, mail.headers
    return match.group(1)


def _tr(app, msgid: str) -> str:
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale("nl"):
        return gettext(msgid)


# --- who is told about what -------------------------------------------------------------------


def test_reply_notifies_thread_starter_and_participants_but_never_the_author(app, world):
    slug, lead = world.space()
    starter = world.member(slug, lead)
    first = world.member(slug, lead)
    second = world.member(slug, lead)
    bystander = world.member(slug, lead)
    thread = world.thread(slug, starter, title="Slapen", body="Hoe slapen jullie?")

    one = world.reply(slug, thread, first, "Slecht, eerlijk gezegd.")
    assert _recipients(app, one) == {starter.user_id: REPLY}

    two = world.reply(slug, thread, second, "Ik slaap beter sinds ik wandel.")
    assert _recipients(app, two) == {starter.user_id: REPLY, first.user_id: REPLY}

    # The starter answering notifies the participants but not the starter.
    three = world.reply(slug, thread, starter, "Dank jullie.")
    assert _recipients(app, three) == {first.user_id: REPLY, second.user_id: REPLY}
    assert bystander.user_id not in _recipients(app, three)
    assert lead.user_id not in _recipients(app, three)

    note = _notes(app, first, post_id=three)[0]
    assert (note.thread_id, note.about_id) == (thread, starter.membership_id)
    assert [n for n in _notes(app, bystander) if n.kind != NEW_MEMBER] == []


def test_mention_of_display_name_notifies_case_insensitively_even_with_spaces(app, world):
    slug, lead = world.space()
    writer = world.member(slug, lead, name="Writer")
    anna_full = world.member(slug, lead, name="Anna de Vries")
    anna = world.member(slug, lead, name="Anna")
    other = world.member(slug, lead, name="Bram")
    thread = world.thread(slug, lead, title="Welkom", body="Stel je voor.")

    post = world.reply(slug, thread, writer, "Hoi @anna DE vries, hoe gaat het?")
    got = _recipients(app, post)
    assert got[anna_full.user_id] == MENTION
    assert anna.user_id not in got  # the longer name was meant
    assert other.user_id not in got
    assert got[lead.user_id] == REPLY  # the thread starter

    post = world.reply(slug, thread, writer, "En @ANNA!")
    got = _recipients(app, post)
    assert got[anna.user_id] == MENTION
    assert anna_full.user_id not in got  # anna_full never posted here: not a participant

    # A participant who is also mentioned gets one notification, of the mention kind.
    post = world.reply(slug, thread, other, "@Writer dank je")
    assert _recipients(app, post)[writer.user_id] == MENTION

    # Mentioning oneself notifies nobody about one's own post.
    post = world.reply(slug, thread, writer, "Ik (@writer) ben er ook nog.")
    assert writer.user_id not in _recipients(app, post)

    # A mention in the first post of a new conversation notifies only who is mentioned.
    new = world.thread(slug, writer, title="Vraagje", body="@Bram, weet jij dit?")
    assert _recipients(app, world.first_post_id(new)) == {other.user_id: MENTION}


@pytest.mark.parametrize("kind", ["announcement", "assignment", "statement"])
def test_seed_content_notifies_every_member_except_its_author(app, world, kind):
    slug, lead = world.space()
    cofac = world.member(slug, lead, role="cofacilitator")
    members = [world.member(slug, lead) for _ in range(3)]

    thread = world.thread(slug, lead, kind=kind, title="Opdracht 1", body="Schrijf drie dingen op.")
    got = _recipients(app, world.first_post_id(thread))
    assert got == {p.user_id: SEED_CONTENT for p in [cofac, *members]}

    thread = world.thread(slug, cofac, kind=kind, title="Opdracht 2", body="Nog eentje.")
    got = _recipients(app, world.first_post_id(thread))
    assert got == {p.user_id: SEED_CONTENT for p in [lead, *members]}


def test_plain_conversation_without_mentions_notifies_nobody(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    world.member(slug, lead)
    thread = world.thread(slug, member, title="Gewoon", body="Zomaar een vraag")
    assert _recipients(app, world.first_post_id(thread)) == {}


def test_new_member_notifies_every_existing_member_but_not_the_newcomer(app, world):
    slug, lead = world.space()
    first = world.member(slug, lead)
    newcomer = world.member(slug, lead)

    about = [n for n in _notes(app) if n.about_id == newcomer.membership_id]
    assert sorted((n.user_id, n.kind) for n in about) == sorted(
        [(lead.user_id, NEW_MEMBER), (first.user_id, NEW_MEMBER)])
    assert _notes(app, newcomer) == []

    # Opening it leads to the member list of that space.
    note = next(n for n in about if n.user_id == first.user_id)
    response = _client(app, first).get(f"/notifications/{note.id}")
    assert response.status_code == 302
    assert response.location == f"/s/{slug}/members"


# --- nobody hears about what they cannot read -------------------------------------------------


def test_mention_of_someone_outside_the_space_notifies_nobody_outside(app, world):
    slug, lead = world.space()
    writer = world.member(slug, lead)
    inside = world.member(slug, lead, name="Gerrit Jansen")
    other_slug, other_lead = world.space()
    outside_same_name = world.member(other_slug, other_lead, name="Gerrit Jansen")
    outside_only = world.member(other_slug, other_lead, name="Truus Bakker")
    thread = world.thread(slug, lead, title="Vraag", body="Wie weet dit?")

    post = world.reply(slug, thread, writer, "@Gerrit Jansen en @Truus Bakker, wat vinden jullie?")
    got = _recipients(app, post)
    assert got == {inside.user_id: MENTION, lead.user_id: REPLY}
    assert _notes(app, outside_same_name, post_id=post) == []
    assert _notes(app, outside_only, post_id=post) == []
    assert _notes(app, other_lead, post_id=post) == []


def test_members_who_left_were_removed_or_are_suspended_are_not_notified(app, world):
    slug, lead = world.space()
    left = world.member(slug, lead, name="Vertrokken")
    removed = world.member(slug, lead, name="Verwijderd")
    suspended = world.member(slug, lead, name="Geschorst")
    writer = world.member(slug, lead, name="Schrijver")
    thread = world.thread(slug, lead, title="Gesprek", body="Begin")
    for person in (left, removed, suspended):
        world.reply(slug, thread, person, f"Ik doe mee, {person.name}")
    _leave(world, slug, left)
    _remove(world, lead, removed)
    _suspend(world, lead, suspended)
    gone = {left.user_id, removed.user_id, suspended.user_id}

    post = world.reply(slug, thread, writer, "@Vertrokken @Verwijderd @Geschorst waar zijn jullie?")
    assert set(_recipients(app, post)) == {lead.user_id}

    seed = world.thread(slug, lead, kind="announcement", title="Mededeling", body="Let op")
    assert set(_recipients(app, world.first_post_id(seed))) == {writer.user_id}

    newcomer = world.member(slug, lead)
    about = {n.user_id for n in _notes(app) if n.about_id == newcomer.membership_id}
    assert about == {lead.user_id, writer.user_id}
    assert not gone & about


def test_notifications_in_a_space_left_or_suspended_from_are_not_listed_or_counted(app, world):
    slug_a, lead_a = world.space()
    slug_b, lead_b = world.space()
    person = world.user()
    me_a = world.accept(world.invite_token(slug_a, lead_a, email=person.email),
                        display_name="Ik", email_user=person)
    me_b = world.accept(world.invite_token(slug_b, lead_b, email=person.email),
                        display_name="Ik", email_user=person)
    thread_a = world.thread(slug_a, me_a, title="A", body="in a")
    thread_b = world.thread(slug_b, me_b, title="B", body="in b")
    world.reply(slug_a, thread_a, lead_a, "antwoord a")
    world.reply(slug_b, thread_b, lead_b, "antwoord b")
    in_a = [n.id for n in _notes(app, person) if n.membership_id == me_a.membership_id]
    in_b = [n.id for n in _notes(app, person) if n.membership_id == me_b.membership_id]
    assert len(in_a) == 1 and len(in_b) == 1

    client = _client(app, person)
    assert sorted(_listed(client)) == sorted(in_a + in_b)
    assert _unread_on(client) == 2

    _leave(world, slug_a, me_a)
    assert _listed(client) == in_b
    assert _unread_on(client) == 1
    assert client.get(f"/notifications/{in_a[0]}").status_code == 404

    _suspend(world, lead_b, me_b)
    client = _client(app, person)  # suspension ended the old session
    assert _listed(client) == []
    assert _unread_on(client) == 0
    assert client.get(f"/notifications/{in_b[0]}").status_code == 404
    # The rows still exist: they come back when the suspension is lifted.
    from app.spaces import members

    with world.ctx():
        members.lift_suspension(world.actor(lead_b.user_id), _membership(me_b.membership_id))
    assert _listed(client) == in_b
    assert _unread_on(client) == 1


def test_deleting_a_post_makes_its_notifications_disappear(app, world):
    slug, lead = world.space()
    starter = world.member(slug, lead)
    writer = world.member(slug, lead)
    named = world.member(slug, lead, name="Genoemd")
    thread = world.thread(slug, starter, title="Vraag", body="Iets")
    keep = world.reply(slug, thread, lead, "Dit blijft staan")
    doomed = world.reply(slug, thread, writer, "Dit verdwijnt, @Genoemd")
    assert set(_recipients(app, doomed)) == {starter.user_id, lead.user_id, named.user_id}

    starter_client, named_client = _client(app, starter), _client(app, named)
    doomed_ids = {n.id for n in _notes(app, post_id=doomed)}
    assert doomed_ids & set(_listed(starter_client))
    assert _unread_on(named_client) >= 1
    before_starter = _unread_on(starter_client)

    writer_client = _client(app, writer)
    token = csrf_token(writer_client, f"/s/{slug}/t/{thread}?page=1")
    response = writer_client.post(f"/s/{slug}/p/{doomed}/delete", data={"csrf_token": token})
    assert response.status_code == 302

    assert _notes(app, post_id=doomed) == []
    assert not doomed_ids & set(_listed(starter_client))
    assert not doomed_ids & set(_listed(named_client))
    assert _unread_on(starter_client) == before_starter - 1
    assert _unread_on(named_client) == len([n for n in _notes(app, named) if not n.read])
    # The other reply's notification is untouched.
    assert _recipients(app, keep) == {starter.user_id: REPLY}
    for nid in doomed_ids:
        assert starter_client.get(f"/notifications/{nid}").status_code == 404


# --- the list, opening, read state, the header count ------------------------------------------


def test_opening_a_notification_redirects_to_the_exact_post_and_marks_it_read(app, world):
    slug, lead = world.space()
    starter = world.member(slug, lead)
    writer = world.member(slug, lead)
    stranger = world.member(slug, lead)
    thread = world.thread(slug, starter, title="Vraag", body="Iets")
    world.reply(slug, thread, writer, "Eerste antwoord")
    second = world.reply(slug, thread, writer, "Tweede antwoord")
    mine = [n for n in _notes(app, starter) if n.kind == REPLY]
    assert len(mine) == 2

    client = _client(app, starter)
    assert set(n.id for n in mine) <= set(_listed(client))
    unread = _unread_on(client)
    target = next(n for n in mine if n.post_id == second)

    response = client.get(f"/notifications/{target.id}")
    assert response.status_code == 302
    assert response.location == f"/s/{slug}/t/{thread}?page={page_of(3)}#p3"
    assert next(n for n in _notes(app, starter) if n.id == target.id).read
    assert not next(n for n in _notes(app, starter) if n.id != target.id and n.kind == REPLY).read
    assert _unread_on(client) == unread - 1

    # Someone else's notification, or one that does not exist, is not found.
    other = _client(app, stranger)
    assert other.get(f"/notifications/{target.id}").status_code == 404
    assert other.get(f"/notifications/{mine[0].id}").status_code == 404
    assert other.get("/notifications/999999").status_code == 404
    assert not next(n for n in _notes(app, starter) if n.id == mine[0].id).read


def test_reading_the_thread_marks_its_notifications_read(app, world):
    slug, lead = world.space()
    starter = world.member(slug, lead)
    writer = world.member(slug, lead)
    read_thread = world.thread(slug, starter, title="Gelezen", body="a")
    other_thread = world.thread(slug, starter, title="Ongelezen", body="b")
    world.reply(slug, read_thread, writer, "een")
    world.reply(slug, read_thread, writer, "twee")
    world.reply(slug, other_thread, writer, "drie")
    client = _client(app, starter)
    before = _unread_on(client)

    response = client.get(f"/s/{slug}/t/{read_thread}", follow_redirects=True)
    assert response.status_code == 200

    by_thread = {}
    for n in _notes(app, starter):
        if n.thread_id is not None:
            by_thread.setdefault(n.thread_id, []).append(n.read)
    assert by_thread[read_thread] == [True, True]
    assert by_thread[other_thread] == [False]
    assert _unread_on(client) == before - 2


def test_mark_all_read_clears_the_unread_count(app, world):
    slug, lead = world.space()
    starter = world.member(slug, lead)
    writer = world.member(slug, lead)
    thread = world.thread(slug, starter, title="Vraag", body="Iets")
    world.reply(slug, thread, writer, "een")
    world.reply(slug, thread, writer, "twee")
    world.member(slug, lead)  # a new_member notification as well
    client = _client(app, starter)
    expected = len(_notes(app, starter))
    assert expected >= 3
    assert _unread_on(client) == expected
    assert _unread_on(client, "/notifications") == expected
    # Someone else's notifications stay unread.
    writer_unread = [n.id for n in _notes(app, writer) if not n.read]

    # Without the CSRF token nothing changes.
    client.post("/notifications/read")
    assert _unread_on(client) == expected

    token = csrf_token(client, "/notifications")
    response = client.post("/notifications/read", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.location == "/notifications"
    assert all(n.read for n in _notes(app, starter))
    assert _unread_on(client) == 0
    assert [n.id for n in _notes(app, writer) if not n.read] == writer_unread


def test_notification_list_names_what_happened_where(app, world):
    """The in-app list (not email) shows who did what in which conversation."""
    slug, lead = world.space()
    starter = world.member(slug, lead)
    writer = world.member(slug, lead, name="Roerdomp")
    thread = world.thread(slug, starter, title="Fietsenstalling", body="a")
    world.reply(slug, thread, writer, "b")
    html = _client(app, starter).get("/notifications").get_data(as_text=True)
    assert "Roerdomp" in html and "Fietsenstalling" in html


# --- a fixed number of SQL statements ---------------------------------------------------------


def _engine(app):
    with app.app_context():
        return db.engine


def _count_queries(app, client, path: str) -> int:
    client.get(path)  # warm-up: the first request may set up things once
    with QueryCounter(_engine(app)) as counter:
        response = client.get(path)
    assert response.status_code == 200
    return counter.count


def test_pages_with_notifications_issue_the_same_number_of_queries_for_2_and_40(app, world, record_property):
    slug, lead = world.space()
    starter = world.member(slug, lead)
    writer = world.member(slug, lead)
    thread = world.thread(slug, starter, title="Veel", body="a")
    other_thread = world.thread(slug, starter, title="Nog een", body="b")
    client = _client(app, starter)
    paths = ["/notifications", "/account", "/", f"/s/{slug}/members"]
    with world.ctx():  # the new_member notification about the writer aside
        from app.notify import service as notify

        notify.mark_all_read(world.actor(starter.user_id))
    world.reply(slug, thread, writer, "antwoord 0")
    world.reply(slug, other_thread, writer, "antwoord 1")
    assert len([n for n in _notes(app, starter) if n.kind == REPLY]) == 2
    assert _unread_on(client) == 2
    few = {path: _count_queries(app, client, path) for path in paths}

    for i in range(2, 40):
        world.reply(slug, thread if i % 2 else other_thread, writer, f"antwoord {i}")
    assert len([n for n in _notes(app, starter) if n.kind == REPLY]) == 40
    assert _unread_on(client) == 40
    many = {path: _count_queries(app, client, path) for path in paths}
    record_property("query_counts", {"2": few, "40": many})
    print("query counts with 2 / 40 notifications:", few, many)
    assert many == few


def test_one_reply_in_a_space_of_50_members_inserts_notifications_in_one_statement(app, world, record_property):
    from app.forum import service as forum

    slug, lead = world.space(seat_limit=50)
    members = [world.member(slug, lead, name=f"Deelnemer {i:02d}") for i in range(49)]
    writer = members[0]
    thread = world.thread(slug, lead, title="Iedereen", body="Hallo allemaal")
    body = "Hallo " + " ".join(f"@{m.name}" for m in members[1:])

    with world.ctx():
        actor = world.actor(writer.user_id)
        thread_obj = db.session.get(Thread, thread)
        with QueryCounter(db.engine) as counter:
            post = forum.reply(actor, thread_obj, body=body)
        post_id = post.id
    inserts = [s for s in counter.statements
               if s.lstrip().upper().startswith("INSERT INTO NOTIFICATIONS")]
    outbox_inserts = [s for s in counter.statements if s.lstrip().upper().startswith("INSERT INTO OUTBOX")]
    record_property("reply_statements", counter.count)
    print(f"reply in 50-member space: {counter.count} statements, {len(inserts)} INSERT INTO "
          f"notifications, {len(outbox_inserts)} INSERT INTO outbox")
    assert len(_notes(app, post_id=post_id)) == 49
    assert len(inserts) == 1
    # The 49 direct emails are one bulk insert too, not one per member.
    assert len(outbox_inserts) == 1
    assert counter.count < 30


# --- email: content-free, complete, with unsubscribe headers ----------------------------------


@dataclass
class MarkerWorld:
    slug: str
    markers: list[str]
    people: dict
    # Outbox ids of mails that are notification mails (direct or digest), by what caused them.
    notification_mails: dict[str, list[int]] = field(default_factory=dict)


def _build_marker_world(app, world) -> MarkerWorld:
    """Every kind of notification email, plus invitation and password-reset mail, in a space
    whose posts, titles and member names all carry unique marker strings."""
    from app.accounts import service as accounts

    slug, lead = world.space()
    _rename(world, slug, lead, "Grutto4410 Begeleider")
    starter = world.member(slug, lead, name="Zwanenmeer7391 Kade")
    replier = world.member(slug, lead, name="Oeverloper4826")
    watcher = world.member(slug, lead, name="Lisdodde5530")
    _prefs(world, slug, watcher, members="direct", facilitator="direct")
    caused: dict[str, list[int]] = {}

    def step(name, action):
        since = _last_mail_id(app)
        result = action()
        caused[name] = [m.id for m in _mails(app, since)]
        return result

    thread = step("mention in new thread", lambda: world.thread(
        slug, starter, title="Kievitsbloem2284 vraag",
        body="Ik vertel over Moerasspirea6671, @Lisdodde5530 weet je dit?"))
    step("mention in reply", lambda: world.reply(
        slug, thread, replier, "Antwoord Waterhoen3319 @Zwanenmeer7391 Kade"))
    step("reply", lambda: world.reply(slug, thread, watcher, "Rietzanger8042 ook van mij"))
    step("seed content", lambda: world.thread(
        slug, lead, kind="announcement", title="Dotterbloem1175 mededeling",
        body="Paddenstoel9062 is het thema"))
    invitation = world.invite_token(slug, lead)
    newcomer = step("new member", lambda: world.accept(invitation, display_name="Kwartelkoning7713"))
    step("digest", lambda: _send_digests(app, _next_morning(9)))

    since = _last_mail_id(app)
    world.invite_token(slug, lead, email="later@example.org")
    with world.ctx():
        accounts.request_password_reset(email=starter.email, client_ip="127.0.0.1")
    other = [m.id for m in _mails(app, since)]
    assert len(other) == 2, "an invitation and a password-reset mail"

    markers = ["Grutto4410", "Zwanenmeer7391", "Kade", "Oeverloper4826", "Lisdodde5530",
               "Kievitsbloem2284", "Moerasspirea6671", "Waterhoen3319", "Rietzanger8042",
               "Dotterbloem1175", "Paddenstoel9062", "Kwartelkoning7713"]
    people = {"lead": lead, "starter": starter, "replier": replier, "watcher": watcher,
              "newcomer": newcomer}
    return MarkerWorld(slug, markers, people, caused)


def test_no_email_reveals_posts_titles_or_member_names(app, world):
    mw = _build_marker_world(app, world)
    p = mw.people
    caused = {k: {m.to for m in _mails(app) if m.id in ids} for k, ids in mw.notification_mails.items()}
    # Every kind of notification mail really was sent.
    assert p["watcher"].email in caused["mention in new thread"]
    assert p["starter"].email in caused["mention in reply"]
    assert {p["starter"].email, p["replier"].email} <= caused["reply"]
    assert p["watcher"].email in caused["seed content"]
    assert p["watcher"].email in caused["new member"]
    assert {p["starter"].email, p["replier"].email, p["lead"].email} <= caused["digest"]

    # The markers are really in the data (the in-app list shows names and titles).
    html = _client(app, p["starter"]).get("/notifications").get_data(as_text=True)
    assert "Oeverloper4826" in html and "Kievitsbloem2284" in html

    mails = _mails(app)
    assert len(mails) >= 12
    for mail in mails:
        content = mail.everything.lower()
        # An invitation names who invites (the lead's name in the group, issue 7); nothing else.
        allowed = {"Grutto4410"} if "nodigt je uit voor een groep" in content else set()
        leaked = [marker for marker in mw.markers if marker.lower() in content
                  and marker not in allowed]
        assert not leaked, f"mail {mail.id} to {mail.to} reveals {leaked}:\n{mail.everything}"


def test_notification_emails_have_text_html_unsubscribe_headers_and_base_url_links(app, world):
    mw = _build_marker_world(app, world)
    ids = [i for group in mw.notification_mails.values() for i in group]
    mails = [m for m in _mails(app) if m.id in ids]
    assert len(mails) >= 8
    with app.app_context():
        users = {u.email: u.id for u in db.session.scalars(db.select(User))}
    for mail in mails:
        assert mail.subject.strip()
        assert mail.text.strip() and mail.html.strip()
        assert "<html" in mail.html and "<html" not in mail.text
        lines = mail.headers.splitlines()
        unsubscribe = _unsubscribe_link(mail)
        assert unsubscribe.startswith(f"{BASE}/unsubscribe/")
        assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in lines
        assert unsubscribe in mail.text and unsubscribe in mail.html
        links = re.findall(re.escape(BASE) + r"/notifications(?:/(\d+))?", mail.text)
        assert links, mail.text
        assert re.search(re.escape(BASE) + r"/notifications", mail.html)
        # A direct mail links to the recipient's own notification.
        for nid in [int(i) for i in links if i]:
            with app.app_context():
                assert db.session.get(Notification, nid).user_id == users[mail.to]
    digest_ids = set(mw.notification_mails["digest"])
    direct = [m for m in mails if m.id not in digest_ids]
    assert all(re.search(re.escape(BASE) + r"/notifications/\d+", m.text) for m in direct)


def test_neutral_label_keeps_the_space_name_out_of_that_members_emails(app, world):
    slug, lead = world.space("reiger-5813")
    neutral = world.member(slug, lead)
    plain = world.member(slug, lead)
    _prefs(world, slug, neutral, neutral_label=True)
    _prefs(world, slug, plain, neutral_label=False)
    space_name = "Groep reiger-5813"
    start = _last_mail_id(app)

    thread = world.thread(slug, lead, title="Vraag", body="Iets")
    world.reply(slug, thread, neutral, "Ik")
    world.reply(slug, thread, plain, "Ik ook")
    world.reply(slug, thread, lead, "Dank")  # a direct reply mail to both
    world.thread(slug, lead, kind="statement", title="Stelling", body="Eens?")  # daily
    assert _send_digests(app, _next_morning(9)) >= 2

    neutral_mails = _mails(app, start, to=neutral.email)
    plain_mails = _mails(app, start, to=plain.email)
    # Direct reply mails and a daily digest each.
    for mails in (neutral_mails, plain_mails):
        direct = [m for m in mails if re.search(r"/notifications/\d+", m.text)]
        assert direct and len(direct) < len(mails)
    # Control: without the setting the space name is used.
    assert all(space_name in m.subject + m.text + m.html for m in plain_mails)
    your_group = _tr(app, "your group")
    for mail in neutral_mails:
        assert "reiger-5813" not in mail.everything.lower()
        assert your_group in mail.subject + mail.text


# --- preferences ------------------------------------------------------------------------------


def test_default_preferences_mail_replies_directly_and_the_rest_daily(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    start = _last_mail_id(app)
    thread = world.thread(slug, member, title="Vraag", body="Iets")
    assert _mails(app, start, to=member.email) == []

    world.reply(slug, thread, lead, "Antwoord")  # replies: direct
    assert len(_mails(app, start, to=member.email)) == 1

    world.thread(slug, lead, kind="assignment", title="Opdracht", body="Doe dit")  # daily
    world.member(slug, lead)  # members: daily
    assert len(_mails(app, start, to=member.email)) == 1
    kinds = sorted(n.kind for n in _notes(app, member) if not n.mailed)
    assert kinds == [NEW_MEMBER, SEED_CONTENT]

    assert _send_digests(app, _next_morning(9)) >= 1
    assert len(_mails(app, start, to=member.email)) == 2
    assert all(n.mailed for n in _notes(app, member))

    response = _client(app, member).get("/notifications/settings")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for category in offered_categories():  # "flags" waits for a kind (moderation)
        mode = DEFAULT_MODES[category]
        select = re.search(rf'<select[^>]*name="{slug}-{category}"[^>]*>(.*?)</select>', html, re.S)
        assert select, category
        assert re.search(rf'<option[^>]*selected[^>]*value="{mode}"|<option[^>]*value="{mode}"[^>]*selected',
                         select.group(1)), (category, mode)


def _later_categories(slug: str) -> dict[str, str]:
    """The categories added after the first four (the rhythm's line, meetings, intake), at
    their defaults: the form needs a mode for every offered category."""
    return {f"{slug}-{c}": DEFAULT_MODES[c] for c in offered_categories()
            if c not in ("replies", "facilitator", "members", "flags")}


def test_settings_form_saves_the_chosen_preferences(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    client = _client(app, member)
    token = csrf_token(client, "/notifications/settings")
    response = client.post("/notifications/settings", data={
        f"{slug}-csrf_token": token, "space": slug, f"{slug}-replies": "daily",
        f"{slug}-facilitator": "direct", f"{slug}-members": "never", f"{slug}-flags": "weekly",
        f"{slug}-digest_hour": "18", f"{slug}-neutral_label": "y", **_later_categories(slug)})
    assert response.status_code == 302
    assert _stored_prefs(app, member) == {"replies": "daily", "facilitator": "direct",
                                          "members": "never", "flags": "weekly",
                                          "digest_hour": 18, "neutral_label": True}

    # Saving again without the box ticked turns the neutral label off.
    response = client.post("/notifications/settings", data={
        f"{slug}-csrf_token": token, "space": slug, f"{slug}-replies": "direct",
        f"{slug}-facilitator": "daily", f"{slug}-members": "daily", f"{slug}-flags": "daily",
        f"{slug}-digest_hour": "7", **_later_categories(slug)})
    assert response.status_code == 302
    assert _stored_prefs(app, member) == {"replies": "direct", "facilitator": "daily",
                                          "members": "daily", "flags": "daily",
                                          "digest_hour": 7, "neutral_label": False}


def test_invalid_settings_are_refused_without_error_and_save_nothing(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    other_slug, other_lead = world.space()
    client = _client(app, member)
    token = csrf_token(client, "/notifications/settings")
    valid = {"space": slug, f"{slug}-replies": "daily", f"{slug}-facilitator": "daily",
             f"{slug}-members": "daily", f"{slug}-flags": "daily", f"{slug}-meetings": "daily",
             f"{slug}-digest_hour": "8", **_later_categories(slug)}
    bad = [
        {f"{slug}-replies": "sometimes"},
        {f"{slug}-facilitator": ""},
        {f"{slug}-members": "DIRECT"},
        {f"{slug}-facilitator": "x" * 500},
        {f"{slug}-digest_hour": "24"},
        {f"{slug}-digest_hour": "-1"},
        {f"{slug}-digest_hour": "acht"},
        {f"{slug}-digest_hour": ""},
    ]
    for change in bad:
        response = client.post("/notifications/settings",
                               data={f"{slug}-csrf_token": token, **valid, **change})
        assert response.status_code == 400, (change, response.status_code)
        assert _stored_prefs(app, member) is None, change
    # A space one is not in, or none at all: not found, not a crash.
    for space in (other_slug, "", "does-not-exist"):
        response = client.post("/notifications/settings",
                               data={f"{slug}-csrf_token": token, **valid, "space": space})
        assert response.status_code == 404
    # Without the CSRF token nothing is saved either.
    response = client.post("/notifications/settings", data=valid)
    assert response.status_code == 400  # refused by the CSRF check, nothing saved
    assert _stored_prefs(app, member) is None
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(NotificationSettings)) == 0


def test_never_stops_the_email_but_keeps_the_in_app_notification(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    _prefs(world, slug, member, replies="never", members="never", facilitator="never")
    start = _last_mail_id(app)
    thread = world.thread(slug, member, title="Vraag", body="Iets")
    world.reply(slug, thread, lead, "Antwoord")
    world.reply(slug, thread, lead, "@" + member.name + " hoor je me?")
    world.thread(slug, lead, kind="announcement", title="Mededeling", body="Let op")
    world.member(slug, lead)

    assert sorted(n.kind for n in _notes(app, member)) == sorted(
        [REPLY, MENTION, SEED_CONTENT, NEW_MEMBER])
    assert _unread_on(_client(app, member)) == 4
    assert _send_digests(app, _next_morning(9)) >= 0
    assert _mails(app, start, to=member.email) == []


def test_daily_mode_sends_no_direct_email_and_goes_into_the_digest(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    _prefs(world, slug, member, replies="daily")
    start = _last_mail_id(app)
    thread = world.thread(slug, member, title="Vraag", body="Iets")
    world.reply(slug, thread, lead, "Antwoord")
    world.reply(slug, thread, lead, "Nog een antwoord")
    assert _mails(app, start, to=member.email) == []
    assert [n.mailed for n in _notes(app, member) if n.kind == REPLY] == [False, False]

    morning = _next_morning(9)
    assert _send_digests(app, morning) >= 1
    digests = _mails(app, start, to=member.email)
    assert len(digests) == 1
    assert "List-Unsubscribe" in digests[0].headers
    assert all(n.mailed for n in _notes(app, member))
    # One digest per period: running again the same morning sends nothing new.
    world.reply(slug, thread, lead, "Derde antwoord")
    assert _send_digests(app, morning + timedelta(hours=1)) == 0
    assert len(_mails(app, start, to=member.email)) == 1
    # The next day's digest carries the new one.
    assert _send_digests(app, morning + timedelta(days=1)) >= 1
    assert len(_mails(app, start, to=member.email)) == 2


# --- unsubscribe ------------------------------------------------------------------------------


def _reply_mail_for(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    start = _last_mail_id(app)
    thread = world.thread(slug, member, title="Vraag", body="Iets")
    world.reply(slug, thread, lead, "Antwoord")
    [mail] = _mails(app, start, to=member.email)
    return slug, lead, member, thread, mail, start


def test_unsubscribe_get_changes_nothing_and_one_click_post_sets_never(app, world):
    slug, lead, member, thread, mail, start = _reply_mail_for(app, world)
    link = _unsubscribe_link(mail)
    path = link[len(BASE):]
    anonymous = app.test_client()

    response = anonymous.get(path)
    assert response.status_code == 200
    assert _stored_prefs(app, member) is None  # defaults: replies direct

    response = anonymous.post(path)  # no login, no CSRF token: the mail client's one click
    assert response.status_code == 200
    prefs = _stored_prefs(app, member)
    assert prefs["replies"] == "never"
    assert {k: prefs[k] for k in ("facilitator", "members", "flags")} == {
        "facilitator": "daily", "members": "daily", "flags": "daily"}

    # And it works: the next reply is not mailed, but still shown.
    world.reply(slug, thread, lead, "Nog een antwoord")
    assert len(_mails(app, start, to=member.email)) == 1
    assert len([n for n in _notes(app, member) if n.kind == REPLY]) == 2


def test_tampered_unsubscribe_token_is_gone_and_changes_nothing(app, world):
    slug, lead, member, thread, mail, start = _reply_mail_for(app, world)
    token = _unsubscribe_link(mail).rsplit("/", 1)[1]
    payload, _dot, signature = token.rpartition(".")
    # A middle character: the last one of base64 may carry only padding bits, so changing it
    # can leave the decoded signature as it was.
    middle = len(signature) // 2
    flipped = signature[:middle] + ("A" if signature[middle] != "A" else "B") + signature[middle + 1:]
    anonymous = app.test_client()
    for bad in (payload + "." + flipped, token[1:], "garbage", token + "x"):
        assert anonymous.get(f"/unsubscribe/{bad}").status_code == 410, bad
        assert anonymous.post(f"/unsubscribe/{bad}").status_code == 410, bad
    assert _stored_prefs(app, member) is None


def test_digest_unsubscribe_turns_daily_and_weekly_categories_to_never(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    _prefs(world, slug, member, replies="direct", facilitator="daily", members="weekly", flags="daily")
    start = _last_mail_id(app)
    world.thread(slug, lead, kind="announcement", title="Mededeling", body="Let op")
    assert _send_digests(app, _next_morning(9)) >= 1
    [digest] = _mails(app, start, to=member.email)
    path = _unsubscribe_link(digest)[len(BASE):]

    response = app.test_client().post(path)
    assert response.status_code == 200
    prefs = _stored_prefs(app, member)
    assert {k: prefs[k] for k in ("replies", "facilitator", "members", "flags")} == {
        "replies": "direct", "facilitator": "never", "members": "never", "flags": "never"}


# --- transactions -----------------------------------------------------------------------------


def test_rolled_back_reply_notifies_and_mails_nobody(app, world):
    from app.forum import service as forum

    slug, lead = world.space()
    starter = world.member(slug, lead)
    writer = world.member(slug, lead)
    named = world.member(slug, lead, name="Benoemd")
    thread = world.thread(slug, starter, title="Vraag", body="Iets")
    notes_before = len(_notes(app))
    mails_before = _outbox_count(app)

    @transactional
    def reply_then_fail():
        post = forum.reply(world.actor(writer.user_id), db.session.get(Thread, thread),
                           body="Dit gaat mis, @Benoemd")
        assert db.session.scalar(db.select(db.func.count()).select_from(Notification)
                                 .where(Notification.post_id == post.id)) == 2
        raise RuntimeError("something after notify fails")

    with world.ctx():
        with pytest.raises(RuntimeError):
            reply_then_fail()

    assert len(_notes(app)) == notes_before
    assert _outbox_count(app) == mails_before
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Post)
                                 .where(Post.thread_id == thread)) == 1
    assert _notes(app, named) == []
    assert [n for n in _notes(app, starter) if n.kind != NEW_MEMBER] == []


def test_by_default_emails_do_not_name_the_group(app, world):
    slug, lead = world.space("kraanvogel-2231")
    member = world.member(slug, lead)
    start = _last_mail_id(app)
    thread = world.thread(slug, member, title="Vraag", body="Iets")
    world.reply(slug, thread, lead, "Antwoord")
    mails = _mails(app, start, to=member.email)
    assert mails
    for mail in mails:
        assert "kraanvogel-2231" not in mail.everything.lower()
        assert _tr(app, "your group") in mail.subject + mail.text


def test_a_group_name_with_html_is_escaped_in_html_mail(app, world):
    from app.spaces.models import Space

    slug, lead = world.space()
    member = world.member(slug, lead)
    _prefs(world, slug, member, neutral_label=False)
    with app.app_context():
        space = db.session.scalar(select(Space).where(Space.slug == slug))
        space.name = 'Groep <a href="https://evil.example/">klik</a>'
        db.session.commit()
    start = _last_mail_id(app)
    thread = world.thread(slug, member, title="Vraag", body="Iets")
    world.reply(slug, thread, lead, "Antwoord")
    (mail,) = _mails(app, start, to=member.email)
    assert "<a href=\"https://evil.example/" not in mail.html
    assert "&lt;a href=" in mail.html


def test_sent_mail_keeps_no_body_with_its_links(app, world):
    from app.mailer import _record

    slug, lead = world.space()
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage).order_by(OutboxMessage.id.desc()))
        assert "/invite/" in message.context  # what to render: the link is in it
        message.status, message.claimed_by = "sending", "w1"
        db.session.commit()
        _record(message.id, "w1", sent="Je uitnodiging voor Kring")
        db.session.expire_all()
        sent = db.session.get(OutboxMessage, message.id)
        assert sent.status == "sent" and sent.to_addr.startswith("lead-")
        assert sent.context is sent.body_text is sent.body_html is None and sent.headers == ""
        assert sent.subject == "Je uitnodiging voor Kring"


@pytest.mark.parametrize("page", ["%C2%B2", "abc", "-1", "99999999", "0"])
def test_notification_list_survives_any_page_number(app, client, world, page):
    slug, lead = world.space()
    world.member(slug, lead)
    login(client, lead)
    assert client.get(f"/notifications?page={page}").status_code == 200
