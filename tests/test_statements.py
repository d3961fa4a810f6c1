"""Statements (stellingen): the positions a facilitator offers, one changeable position per
member, counts only after choosing (always for the leads), never who chose what."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.forum import seeding, statements
from app.forum.models import Thread
from app.forum.seed_models import StatementChoice, StatementPosition
from app.spaces.models import Space
from tests.conftest import csrf_token, login


def start_statement(world, slug, lead, labels=("Eens", "Oneens", "Weet ik niet"),
                    title="Stelling: over geld praat je niet") -> int:
    with world.ctx():
        thread = seeding.start_thread(world.actor(lead.user_id), world.space_obj(slug),
                                      kind="statement", title=title, body="Wat vind jij?",
                                      labels=list(labels))
        return thread.id


def choose(client, slug, thread_id, position) -> object:
    token = csrf_token(client, f"/s/{slug}/t/{thread_id}?page=1")
    return client.post(f"/s/{slug}/t/{thread_id}/position",
                       data={"csrf_token": token, "position": position})


def counts(world, thread_id) -> dict[str, int]:
    with world.ctx():
        rows = db.session.execute(
            select(StatementPosition.label, func.count(StatementChoice.id))
            .outerjoin(StatementChoice, StatementChoice.position_id == StatementPosition.id)
            .where(StatementPosition.thread_id == thread_id)
            .group_by(StatementPosition.label)).all()
        return dict(rows)


def poll_html(response) -> str:
    html = response.get_data(as_text=True)
    start = html.find('id="poll"')
    assert start != -1, "no poll on the page"
    return html[start:html.find("</section>", start)]


def test_start_form_offers_the_default_positions_to_a_facilitator(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    page = client.get(f"/s/{slug}/t/new?kind=statement").get_data(as_text=True)
    for label in ("Eens", "Oneens", "Weet ik niet"):
        assert f'value="{label}"' in page


def test_facilitator_starts_a_statement_with_reworded_positions(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    response = client.post(f"/s/{slug}/t/new", data={
        "csrf_token": csrf_token(client, f"/s/{slug}/t/new"), "kind": "statement",
        "title": "Sparen lukt alleen met een hoog inkomen", "body": "Wat denk jij?",
        "label_1": "Klopt", "label_2": "Klopt niet", "label_3": "Twijfel"})
    assert response.status_code == 302
    with world.ctx():
        thread = db.session.scalar(select(Thread).where(Thread.kind == "statement"))
        labels = db.session.scalars(select(StatementPosition.label).where(
            StatementPosition.thread_id == thread.id).order_by(StatementPosition.number)).all()
    assert labels == ["Klopt", "Klopt niet", "Twijfel"]


def test_empty_long_or_twin_position_is_refused_at_its_field_and_the_text_is_kept(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    token = csrf_token(client, f"/s/{slug}/t/new")
    for labels, field in ((["Eens", "  ", "Weet niet"], "label_2"),
                          (["Eens", "Oneens", "x" * 41], "label_3"),
                          (["Eens", "eens", "Weet niet"], "label_2")):
        response = client.post(f"/s/{slug}/t/new", data={
            "csrf_token": token, "kind": "statement", "title": "Mijn stelling",
            "body": "Mijn uitleg", "label_1": labels[0], "label_2": labels[1],
            "label_3": labels[2]})
        page = response.get_data(as_text=True)
        assert response.status_code == 400, labels
        assert f'id="{field}-error"' in page
        assert "Mijn stelling" in page and "Mijn uitleg" in page
        assert f'value="{labels[0]}"' in page
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(Thread)) == 0
        assert db.session.scalar(select(func.count()).select_from(StatementPosition)) == 0


def test_hostile_labels_are_shown_as_text(app, client, world):
    slug, lead = world.space()
    thread_id = start_statement(world, slug, lead,
                                labels=("<script>alert(1)</script>", "<b>Oneens</b>", "Weet ik niet"))
    login(client, lead)
    page = client.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Oneens&lt;/b&gt;" in page


def test_member_sees_the_counts_only_after_choosing_and_never_who_chose(app, client, world):
    slug, lead = world.space()
    sanne = world.member(slug, lead, name="Sanne")
    hamid = world.member(slug, lead, name="Hamid")
    thread_id = start_statement(world, slug, lead)

    login(client, hamid)
    before = poll_html(client.get(f"/s/{slug}/t/{thread_id}?page=1"))
    assert "poll-results" not in before
    assert "Choose a position first" in before or "Kies eerst" in before

    other = app.test_client()
    login(other, sanne)
    assert choose(other, slug, thread_id, "2").status_code == 302
    assert choose(client, slug, thread_id, "1").status_code == 302

    after = client.get(f"/s/{slug}/t/{thread_id}?page=1")
    poll = poll_html(after)
    assert "poll-results" in poll
    assert '<meter min="0" max="2" value="1"' in poll
    assert "checked" in poll.split('id="position-1"')[1].split(">")[0]
    assert "Sanne" not in after.get_data(as_text=True)

    facilitator = app.test_client()
    login(facilitator, lead)
    page = facilitator.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)
    assert "poll-results" in poll_html(facilitator.get(f"/s/{slug}/t/{thread_id}?page=1"))
    assert "Sanne" not in page and "Hamid" not in page


def test_facilitator_sees_the_counts_before_anyone_chose(app, client, world):
    slug, lead = world.space()
    cofacilitator = world.member(slug, lead, role="cofacilitator")
    moderator = world.member(slug, lead, role="moderator")
    thread_id = start_statement(world, slug, lead)
    for person, sees in ((lead, True), (cofacilitator, True), (moderator, False)):
        login(client, person)
        assert ("poll-results" in poll_html(client.get(f"/s/{slug}/t/{thread_id}?page=1"))) is sees


def test_changed_position_is_counted_once(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = start_statement(world, slug, lead)
    login(client, member)
    choose(client, slug, thread_id, "1")
    choose(client, slug, thread_id, "3")
    assert counts(world, thread_id) == {"Eens": 0, "Oneens": 0, "Weet ik niet": 1}


def test_the_same_choice_sent_twice_leaves_one_row(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = start_statement(world, slug, lead)
    login(client, member)
    assert choose(client, slug, thread_id, "2").status_code == 302
    assert choose(client, slug, thread_id, "2").status_code == 302
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(StatementChoice)) == 1


def test_invalid_or_missing_position_is_refused_beside_the_positions(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = start_statement(world, slug, lead)
    login(client, member)
    token = csrf_token(client, f"/s/{slug}/t/{thread_id}?page=1")
    for data in ({"position": "7"}, {"position": "abc"}, {"position": "0"}, {"position": "²"},
                 {"position": "9" * 40}, {}):
        response = client.post(f"/s/{slug}/t/{thread_id}/position",
                               data={"csrf_token": token, **data})
        assert response.status_code == 400, data
        assert 'id="position-error"' in poll_html(response)
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(StatementChoice)) == 0


def test_a_position_of_another_statement_is_refused(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    first = start_statement(world, slug, lead, title="Eerste stelling")
    second = start_statement(world, slug, lead, title="Tweede stelling")
    login(client, member)
    choose(client, slug, second, "1")
    with world.ctx():
        choice = db.session.scalar(select(StatementChoice))
        position = db.session.get(StatementPosition, choice.position_id)
    assert (choice.thread_id, position.thread_id) == (second, second)
    assert counts(world, first) == {"Eens": 0, "Oneens": 0, "Weet ik niet": 0}


def test_choosing_on_a_thread_that_is_no_statement_is_404(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    for kind in ("discussion", "assignment", "announcement"):
        thread_id = world.thread(slug, lead, title=f"Een {kind}", kind=kind)
        login(client, member)
        assert choose(client, slug, thread_id, "1").status_code == 404, kind


def test_another_spaces_statement_is_404(app, client, world):
    slug, lead = world.space()
    thread_id = start_statement(world, slug, lead)
    other_slug, other_lead = world.space()
    outsider = world.member(other_slug, other_lead)
    login(client, outsider)
    token = csrf_token(client, f"/s/{other_slug}/")
    for path in (f"/s/{other_slug}/t/{thread_id}/position", f"/s/{slug}/t/{thread_id}/position"):
        assert client.post(path, data={"csrf_token": token, "position": "1"}).status_code == 404
    assert client.get(f"/s/{other_slug}/t/{thread_id}/positions").status_code == 404
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(StatementChoice)) == 0


def test_closed_statement_takes_no_positions_and_shows_the_counts(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = start_statement(world, slug, lead)
    login(client, lead)
    client.post(f"/s/{slug}/t/{thread_id}/lock",
                data={"csrf_token": csrf_token(client, f"/s/{slug}/"), "on": "1"})
    login(client, member)
    page = client.get(f"/s/{slug}/t/{thread_id}?page=1")
    poll = poll_html(page)
    assert 'name="position"' not in poll and "poll-results" in poll
    assert choose(client, slug, thread_id, "1").status_code == 403
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(StatementChoice)) == 0


def test_read_only_space_takes_no_positions(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = start_statement(world, slug, lead)
    login(client, member)
    token = csrf_token(client, f"/s/{slug}/t/{thread_id}?page=1")
    with world.ctx():
        space = world.space_obj(slug)
        space.rental_start = date.today() - timedelta(days=30)
        space.rental_end = date.today() - timedelta(days=1)
        db.session.commit()
    assert 'name="position"' not in poll_html(client.get(f"/s/{slug}/t/{thread_id}?page=1"))
    response = client.post(f"/s/{slug}/t/{thread_id}/position",
                           data={"csrf_token": token, "position": "1"})
    assert response.status_code == 403


def test_facilitator_rewords_positions_until_someone_chose(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = start_statement(world, slug, lead)
    path = f"/s/{slug}/t/{thread_id}/positions"

    login(client, member)
    assert client.get(path).status_code == 403
    login(client, lead)
    assert 'value="Oneens"' in client.get(path).get_data(as_text=True)
    token = csrf_token(client, path)
    refused = client.post(path, data={"csrf_token": token, "label_1": "Ja", "label_2": "",
                                      "label_3": "Misschien"})
    assert refused.status_code == 400 and 'value="Misschien"' in refused.get_data(as_text=True)
    response = client.post(path, data={"csrf_token": token, "label_1": "Ja", "label_2": "Nee",
                                       "label_3": "Misschien"})
    assert response.status_code == 302
    assert counts(world, thread_id) == {"Ja": 0, "Nee": 0, "Misschien": 0}

    member_client = app.test_client()
    login(member_client, member)
    choose(member_client, slug, thread_id, "1")
    page = client.get(path)
    assert page.status_code == 403
    assert "al" in page.get_data(as_text=True) or "already" in page.get_data(as_text=True)
    again = client.post(path, data={"csrf_token": token, "label_1": "Eens", "label_2": "Oneens",
                                    "label_3": "Weet niet"})
    assert again.status_code == 403
    assert counts(world, thread_id) == {"Ja": 1, "Nee": 0, "Misschien": 0}


def test_a_resent_start_form_makes_one_statement_with_three_positions(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    token = csrf_token(client, f"/s/{slug}/t/new")
    data = {"csrf_token": token, "kind": "statement", "title": "Tweemaal verstuurd",
            "body": "Dezelfde tekst", "label_1": "Eens", "label_2": "Oneens",
            "label_3": "Weet ik niet"}
    first = client.post(f"/s/{slug}/t/new", data=data)
    second = client.post(f"/s/{slug}/t/new", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(Thread)) == 1
        assert db.session.scalar(select(func.count()).select_from(StatementPosition)) == 3


def test_members_cannot_start_a_statement(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    login(client, member)
    response = client.post(f"/s/{slug}/t/new", data={
        "csrf_token": csrf_token(client, f"/s/{slug}/"), "kind": "statement",
        "title": "Mijn stelling", "body": "Tekst", "label_1": "", "label_2": "", "label_3": ""})
    assert response.status_code == 403
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(Thread)) == 0


def test_home_hints_at_the_statement_until_the_member_chose(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = start_statement(world, slug, lead)
    login(client, member)
    home = client.get(f"/s/{slug}/").get_data(as_text=True)
    assert 'class="poll-hint"' in home
    hint = home.split('class="poll-hint">')[1].split("<")[0]
    choose(client, slug, thread_id, "1")
    chosen = client.get(f"/s/{slug}/").get_data(as_text=True).split('class="poll-hint">')[1].split("<")[0]
    assert hint != chosen


def test_demo_has_a_statement_with_choices_and_an_assignment_with_a_due_date(app):
    from app.demo import seed_demo
    from app.forum.seed_models import AssignmentDue

    with app.app_context():
        seed_demo()
        thread_id = db.session.scalar(select(Thread.id).where(
            Thread.title == "Stelling: over geld praat je niet"))
        assert db.session.scalar(select(func.count()).select_from(StatementChoice).where(
            StatementChoice.thread_id == thread_id)) == 5
        # Every statement can be answered, also those without choices in the demo.
        statements_without = db.session.scalar(select(func.count()).select_from(Thread).where(
            Thread.kind == "statement", Thread.id.not_in(select(StatementPosition.thread_id))))
        assert statements_without == 0
        assert db.session.scalar(select(func.count()).select_from(AssignmentDue)) == 1
