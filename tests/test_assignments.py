"""Assignments: a due date typed in Kring's zone and stored in UTC, kind words when it has
passed, and for the leads (only) who has responded and who has not."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select, update

from app.extensions import db
from app.forum import seeding
from app.forum import service as forum
from app.forum.models import Post, Thread
from app.forum.seed_models import AssignmentDue
from tests.conftest import csrf_token, login

NEXT_YEAR = datetime.now(timezone.utc).year + 1


def start_assignment(world, slug, lead, *, day="", time="", title="Huiswerk: je vaste lasten") -> int:
    with world.ctx():
        thread = seeding.start_thread(world.actor(lead.user_id), world.space_obj(slug),
                                      kind="assignment", title=title, body="Maak een lijstje.",
                                      due_day=day, due_time=time)
        return thread.id


def due_row(world, thread_id) -> AssignmentDue | None:
    with world.ctx():
        return db.session.scalar(select(AssignmentDue).where(AssignmentDue.thread_id == thread_id))


def post_new(client, slug, **fields):
    data = {"csrf_token": csrf_token(client, f"/s/{slug}/t/new"), "kind": "assignment",
            "title": "Huiswerk", "body": "Schrijf een week je uitgaven op.", **fields}
    return client.post(f"/s/{slug}/t/new", data=data)


def test_due_date_with_a_time_is_amsterdam_time_stored_in_utc(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    response = post_new(client, slug, due_date=f"{NEXT_YEAR}-07-01", due_time="19:30")
    assert response.status_code == 302
    with world.ctx():
        thread_id = db.session.scalar(select(Thread.id))
    due = due_row(world, thread_id)
    # Summer time: Amsterdam is UTC+2.
    assert due.due_at == datetime(NEXT_YEAR, 7, 1, 17, 30, tzinfo=timezone.utc)
    assert not due.all_day
    page = client.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)
    assert "Inleveren vóór 1 jul" in page and f"{NEXT_YEAR}, 19:30" in page


def test_a_day_without_a_time_is_due_by_the_end_of_that_day(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    assert post_new(client, slug, due_date=f"24-12-{NEXT_YEAR}").status_code == 302
    with world.ctx():
        thread_id = db.session.scalar(select(Thread.id))
    due = due_row(world, thread_id)
    # Winter time: the end of 24 December in Amsterdam is 23:00 UTC that day.
    assert due.due_at == datetime(NEXT_YEAR, 12, 24, 23, 0, tzinfo=timezone.utc)
    assert due.all_day
    page = client.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)
    assert "Inleveren uiterlijk 24 dec" in page
    home = client.get(f"/s/{slug}/").get_data(as_text=True)
    assert "inleveren uiterlijk 24 dec" in home


def test_a_bad_due_date_is_refused_at_its_field_and_every_text_is_kept(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    cases = [
        ({"due_date": "31-02-2099"}, "due_date"),
        ({"due_date": "morgen"}, "due_date"),
        ({"due_date": f"{NEXT_YEAR}-01-10", "due_time": "25:00"}, "due_time"),
        ({"due_date": f"{NEXT_YEAR}-01-10", "due_time": "half acht"}, "due_time"),
        ({"due_date": "", "due_time": "19:30"}, "due_date"),
        ({"due_date": "01-01-2020"}, "due_date"),
        ({"due_date": "01-01-2999"}, "due_date"),
        ({"due_date": "9" * 300}, "due_date"),
    ]
    for fields, field in cases:
        response = post_new(client, slug, **fields)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, fields
        assert f'id="{field}-error"' in page, fields
        assert "Schrijf een week je uitgaven op." in page
        for value in fields.values():
            if value:
                assert f'value="{value}"' in page, fields
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(Thread)) == 0


def test_an_assignment_without_a_due_date_has_none(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    assert post_new(client, slug).status_code == 302
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(AssignmentDue)) == 0


def _overdue(world, thread_id) -> None:
    with world.ctx():
        db.session.execute(update(AssignmentDue).where(AssignmentDue.thread_id == thread_id)
                           .values(due_at=datetime.now(timezone.utc) - timedelta(hours=1)))
        db.session.commit()


def test_a_member_who_missed_the_due_date_is_told_kindly_and_can_still_respond(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = start_assignment(world, slug, lead, day=f"{NEXT_YEAR}-03-01")
    _overdue(world, thread_id)
    login(client, member)
    page = client.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)
    assert "De inleverdatum is voorbij" in page
    assert 'id="reply"' in page
    world.reply(slug, thread_id, member, "Hier is mijn lijstje, iets later.")
    page = client.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)
    assert "De inleverdatum is voorbij" not in page
    assert "Je hebt op deze opdracht gereageerd" in page


def test_leads_see_who_responded_and_who_did_not(app, client, world):
    slug, lead = world.space()
    cofacilitator = world.member(slug, lead, role="cofacilitator", name="Ruud")
    sanne = world.member(slug, lead, name="Sanne")
    hamid = world.member(slug, lead, name="Hamid")
    petra = world.member(slug, lead, role="moderator", name="Petra")
    wim = world.member(slug, lead, name="Wim")
    thread_id = start_assignment(world, slug, lead, day=f"{NEXT_YEAR}-03-01")
    world.reply(slug, thread_id, sanne, "Gedaan!")
    deleted = world.reply(slug, thread_id, hamid, "Oeps, verkeerd gesprek")
    with world.ctx():
        forum.delete_post(world.actor(hamid.user_id), db.session.get(Post, deleted))
    world.reply(slug, thread_id, cofacilitator, "Goed bezig allemaal")
    _overdue(world, thread_id)
    world.reply(slug, thread_id, petra, "Te laat, maar hier is het")

    for person in (lead, cofacilitator):
        login(client, person)
        page = client.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)
        panel = page[page.index('id="responses"'):page.index("</details>")]
        done, waiting = panel.split("Nog niet")
        assert "2 van de 4 deelnemers hebben gereageerd" in panel
        assert "Sanne" in done and "Petra" in done and "na de inleverdatum" in done
        assert "Hamid" in waiting and "Wim" in waiting
        assert "Ruud" not in panel  # co-facilitators set the work, they do not hand it in

    for person in (sanne, petra, wim):
        login(client, person)
        page = client.get(f"/s/{slug}/t/{thread_id}?page=1").get_data(as_text=True)
        assert 'id="responses"' not in page
        assert "Nog niet" not in page and "deelnemers hebben gereageerd" not in page


def test_due_date_can_be_changed_or_removed_by_a_lead_only(app, client, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = start_assignment(world, slug, lead, day=f"{NEXT_YEAR}-03-01")
    path = f"/s/{slug}/t/{thread_id}/due"
    login(client, member)
    assert client.get(path).status_code == 403
    token = csrf_token(client, f"/s/{slug}/")
    assert client.post(path, data={"csrf_token": token, "due_date": ""}).status_code == 403
    assert due_row(world, thread_id) is not None

    login(client, lead)
    assert f'value="{NEXT_YEAR}-03-01"' in client.get(path).get_data(as_text=True)
    token = csrf_token(client, path)
    refused = client.post(path, data={"csrf_token": token, "due_date": "1-3-", "due_time": ""})
    assert refused.status_code == 400 and 'value="1-3-"' in refused.get_data(as_text=True)
    moved = client.post(path, data={"csrf_token": token, "due_date": f"2-3-{NEXT_YEAR}",
                                    "due_time": "9.15"})
    assert moved.status_code == 302
    assert due_row(world, thread_id).due_at == datetime(NEXT_YEAR, 3, 2, 8, 15, tzinfo=timezone.utc)
    assert client.post(path, data={"csrf_token": token, "due_date": "", "due_time": ""}).status_code == 302
    assert due_row(world, thread_id) is None


def test_due_date_of_another_kind_or_another_space_is_404(app, client, world):
    slug, lead = world.space()
    discussion = world.thread(slug, lead)
    assignment = start_assignment(world, slug, lead)
    other_slug, other_lead = world.space()
    login(client, lead)
    assert client.get(f"/s/{slug}/t/{discussion}/due").status_code == 404
    login(client, other_lead)
    assert client.get(f"/s/{other_slug}/t/{assignment}/due").status_code == 404
    assert client.get(f"/s/{slug}/t/{assignment}/due").status_code == 404


def test_a_resent_assignment_form_keeps_one_thread_and_one_due_date(app, client, world):
    slug, lead = world.space()
    login(client, lead)
    first = post_new(client, slug, due_date=f"{NEXT_YEAR}-05-05", due_time="")
    second = post_new(client, slug, due_date=f"{NEXT_YEAR}-05-05", due_time="")
    assert first.headers["Location"] == second.headers["Location"]
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(Thread)) == 1
        assert db.session.scalar(select(func.count()).select_from(AssignmentDue)) == 1
