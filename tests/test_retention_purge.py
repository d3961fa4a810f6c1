"""The end of a rental: a grace period in which the space stays readable with a banner that
says when it will be deleted, then the purge (`flask kring purge`, the worker) deletes its
rows, files and the accounts that were only in it, and records SPACE_PURGED. An operator's
extension brings a space in its grace period back."""
from __future__ import annotations

import io
from datetime import date, timedelta

from babel.dates import format_date
from sqlalchemy import func, select

from app import storage
from app.accounts.models import User
from app.audit.models import AuditEvent
from app.dates import DAY
from app.extensions import db
from app.retention.purge import purge_space, purge_spaces, spaces_to_purge
from app.spaces.models import Membership, Space
from tests.conftest import login

TODAY = date.today()
GRACE = 30


def _end(world, slug: str, days_ago: int) -> int:
    """Let the space's last rental day lie `days_ago` days back; its id."""
    with world.ctx():
        space = world.space_obj(slug)
        space.rental_start = TODAY - timedelta(days=days_ago + 100)
        space.rental_end = TODAY - timedelta(days=days_ago)
        db.session.commit()
        return space.id


def _store_file(app, space_id: int) -> str:
    with app.app_context():
        key, _size = storage.save(space_id, io.BytesIO(b"bestand"))
        return key


def _client(app, person):
    client = app.test_client()
    login(client, person)
    return client


def test_a_space_stays_readable_for_the_grace_period_and_is_not_purged_in_it(app, world):
    slug, lead = world.space()
    space_id = _end(world, slug, GRACE)  # last readable day: today
    key = _store_file(app, space_id)
    with app.app_context():
        assert spaces_to_purge() == []
        assert purge_spaces() == 0
        assert db.session.get(Space, space_id) is not None
        assert storage.keys(space_id) == [key]
    assert _client(app, lead).get(f"/s/{slug}/").status_code == 200


def test_a_space_past_its_grace_period_is_purged_rows_files_and_accounts(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread = world.thread(slug, member, body="Iets over mijn schulden")
    world.reply(slug, thread, lead, "Dank je")
    other_slug, other_lead = world.space()
    both = world.member(other_slug, other_lead)
    world.accept(world.invite_token(slug, lead, email=both.email), display_name="Ook hier",
                 email_user=both)
    space_id = _end(world, slug, GRACE + 1)
    _store_file(app, space_id)
    with app.app_context():
        [candidate] = spaces_to_purge()
        assert (candidate.slug, candidate.members, candidate.files) == (slug, 3, 1)
        assert candidate.purge_day == TODAY
        assert purge_spaces() == 1
        assert db.session.get(Space, space_id) is None
        assert storage.keys(space_id) == []
        # The member and the facilitator were only here; the one in another space stays.
        assert db.session.get(User, member.user_id) is None
        assert db.session.get(User, lead.user_id) is None
        assert db.session.get(User, both.user_id) is not None
        assert db.session.scalar(select(func.count()).select_from(Membership)
                                 .where(Membership.user_id == both.user_id)) == 1
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.event == "space_purged"))
        assert event.space_id == space_id and event.actor_user_id is None
        assert event.detail == f"slug={slug} accounts_removed=2"
        assert "schulden" not in event.detail
        # The other space is untouched.
        assert db.session.scalar(select(Space.slug)) == other_slug
    assert _client(app, both).get(f"/s/{slug}/").status_code == 404


def test_purging_the_demo_space_leaves_no_row_of_it_in_any_table(app):
    """Every table with a space_id: nothing of the purged space is left, the append-only
    moderation log and record of access to notes included (on both databases)."""
    from app.demo import seed_demo

    with app.app_context():
        seed_demo()
        space = db.session.scalar(select(Space))
        space_id = space.id
        _leave_a_trace_in_the_append_only_tables(space)
        space.rental_start = TODAY - timedelta(days=200)
        space.rental_end = TODAY - timedelta(days=GRACE + 5)
        db.session.commit()
        with_space = [t for t in db.metadata.sorted_tables
                      if "space_id" in t.c and t.name != "audit_events"]
        before = {t.name: db.session.scalar(select(func.count()).select_from(t)
                                            .where(t.c.space_id == space_id))
                  for t in with_space}
        assert before["moderation_log"] > 0 and before["note_access_log"] > 0
        assert before["posts"] > 0 and before["uploads"] > 0
        assert purge_spaces() == 1
        left = {t.name: db.session.scalar(select(func.count()).select_from(t)
                                          .where(t.c.space_id == space_id))
                for t in with_space}
        assert set(left.values()) == {0}
        # The operator's account stays; the demo people (only in this space) are gone.
        assert [u.is_operator for u in db.session.scalars(select(User))] == [True]


def _leave_a_trace_in_the_append_only_tables(space) -> None:
    """A facilitator removes a post for good (the moderation log) and writes a note about a
    member (the record of access to notes)."""
    from app.forum.models import Post
    from app.moderation.takedown import erase_post
    from app.notes.service import add_note
    from app.spaces.queries import load_actor

    lead = db.session.scalar(select(Membership).where(Membership.space_id == space.id,
                                                      Membership.role == "facilitator"))
    member = db.session.scalar(select(Membership).where(Membership.space_id == space.id,
                                                        Membership.role == "member"))
    actor = load_actor(db.session.get(User, lead.user_id))
    post = db.session.scalar(select(Post).where(Post.space_id == space.id,
                                                Post.author_id == member.id).limit(1))
    erase_post(actor, post, reason="adres", confirmed=True)
    add_note(actor, member, body="Gaat goed")


def test_a_purge_run_twice_or_by_two_workers_purges_once(app, world):
    slug, _lead = world.space()
    space_id = _end(world, slug, GRACE + 3)
    with app.app_context():
        assert purge_space(space_id) == []
        assert purge_space(space_id) is None
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.event == "space_purged")) == 1


def test_an_extension_in_the_grace_period_revives_the_space(app, world):
    from app.admin.service import extend_rental

    slug, lead = world.space()
    space_id = _end(world, slug, GRACE + 1)  # due for the purge today
    with world.ctx():
        extend_rental(world.actor(world.operator.user_id), world.space_obj(slug),
                      rental_end=TODAY + timedelta(days=60))
    with app.app_context():
        assert spaces_to_purge() == [] and purge_spaces() == 0
        assert db.session.get(Space, space_id).rental_state(TODAY) == "open"
    html = _client(app, lead).get(f"/s/{slug}/").get_data(as_text=True)
    assert "closed-banner" not in html and "verwijderd" not in html
    world.thread(slug, lead, title="We gaan door")  # writing works again


def test_the_banner_says_from_which_day_the_space_will_be_deleted(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    _end(world, slug, 10)
    purge_on = format_date(TODAY + timedelta(days=GRACE - 10 + 1), DAY, locale="nl")
    for person in (member, lead):
        html = _client(app, person).get(f"/s/{slug}/").get_data(as_text=True)
        assert f"Vanaf {purge_on} wordt de groepsruimte verwijderd" in html


def test_the_banner_offers_the_facilitator_the_export_and_members_not(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    _end(world, slug, 3)
    lead_html = _client(app, lead).get(f"/s/{slug}/").get_data(as_text=True)
    member_html = _client(app, member).get(f"/s/{slug}/").get_data(as_text=True)
    assert f'href="/s/{slug}/export"' in lead_html
    assert f'href="/s/{slug}/export"' not in member_html


def test_purge_command_dry_run_lists_and_deletes_nothing(app, world):
    slug, _lead = world.space()
    space_id = _end(world, slug, GRACE + 2)
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["kring", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert slug in dry.output and "Dry run: nothing was deleted." in dry.output
    with app.app_context():
        assert db.session.get(Space, space_id) is not None
    real = runner.invoke(args=["kring", "purge"])
    assert real.exit_code == 0, real.output
    assert "1 space(s) purged." in real.output
    with app.app_context():
        assert db.session.get(Space, space_id) is None
    again = runner.invoke(args=["kring", "purge", "--dry-run"])
    assert "No space is past its grace period." in again.output


def test_upload_folders_of_spaces_that_are_gone_are_removed(app, world):
    slug, _lead = world.space()
    with app.app_context():
        space_id = world.space_obj(slug).id
        storage.save(space_id + 1000, io.BytesIO(b"wees"))
        storage.save(space_id, io.BytesIO(b"blijft"))
        purge_spaces()
        assert storage.space_ids() == [space_id]


def test_the_operator_sees_when_an_ended_space_will_be_deleted(app, world):
    slug, _lead = world.space()
    _end(world, slug, 5)
    client = _client(app, world.operator)
    html = client.get(f"/admin/spaces/{slug}").get_data(as_text=True)
    purge_on = format_date(TODAY + timedelta(days=GRACE - 5 + 1), DAY, locale="nl")
    assert f"verwijderd vanaf {purge_on}" in html


def test_the_grace_period_banner_costs_no_statement(app, world):
    """The space home of a space in its grace period takes the statements of an open one
    (the banner's dates come from the space the request loaded already)."""
    from tests.conftest import QueryCounter

    slug, lead = world.space()
    client = _client(app, lead)

    def statements() -> int:
        client.get(f"/s/{slug}/")  # warm-up
        with app.app_context(), QueryCounter(db.engine) as counter:
            assert client.get(f"/s/{slug}/").status_code == 200
        return counter.count

    open_count = statements()
    _end(world, slug, 5)
    html = client.get(f"/s/{slug}/").get_data(as_text=True)
    assert "closed-banner" in html
    # The group-size warning is not shown in a closed space: one count fewer at most.
    closed_count = statements()
    assert closed_count <= open_count


def test_the_rules_of_the_grace_period_count_whole_local_days():
    from types import SimpleNamespace

    from app import policy

    space = SimpleNamespace(rental_end=date(2026, 1, 31))
    assert policy.purge_day(space, 30) == date(2026, 3, 3)  # readable 1 Feb … 2 Mar
    assert not policy.purge_due(space, date(2026, 3, 2), 30)
    assert policy.purge_due(space, date(2026, 3, 3), 30)
    assert not policy.warning_due(space, date(2026, 1, 23), 7)
    assert policy.warning_due(space, date(2026, 1, 24), 7)
    assert policy.warning_due(space, date(2026, 1, 31), 7)
    assert not policy.warning_due(space, date(2026, 2, 1), 7)  # ended: too late to warn


def test_the_purge_removes_the_space_exports_and_those_of_accounts_that_went(app, world):
    from app.exports.models import DataExport

    slug, lead = world.space()
    other_slug, other_lead = world.space()
    space_id = _end(world, slug, GRACE + 1)
    with app.app_context():
        keys = {}
        for name, user_id, of_space in (("space", other_lead.user_id, space_id),
                                        ("lead", lead.user_id, None),
                                        ("survivor", other_lead.user_id, None)):
            key, handle = storage.create_export()
            handle.write(b"zip")
            handle.close()
            keys[name] = key
            db.session.add(DataExport(user_id=user_id, space_id=of_space, file_key=key,
                                      kind="space" if of_space else "personal", status="ready"))
        db.session.commit()
        assert purge_spaces() == 1
        assert storage.export_keys() == [keys["survivor"]]
        assert db.session.scalar(select(func.count()).select_from(DataExport)) == 1
