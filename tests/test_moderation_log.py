"""The moderation log (issue 8, item 8): every action with who, when, what and why; read,
filtered and exported as CSV by facilitators only; append-only in the database too (a
trigger on both engines refuses UPDATE and DELETE; rows go only with their space); no post
text in it. And the moderation emails stay content-free."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from app.extensions import db
from app.moderation.log import ACTIONS, log_action
from app.moderation.models import ModerationLog
from app.notify.models import OutboxMessage
from app.spaces.models import Space
from tests.conftest import login
from tests.mail import rendered
from tests.moderation import case_id_of, claim, flag, group, resolve


def _html(response) -> str:
    return response.get_data(as_text=True)


def _full_story(world):
    """Flag → claim → hide, edit, warn and suspend → resolve, in one group."""
    g = group(world)
    flag(world, g.members[0], g.post_id, reason="concern")
    flag(world, g.members[1], g.post_id, reason="privacy", note="Er staat een adres in")
    case_id = case_id_of(world, g.post_id)
    claim(world, g.moderator, case_id)
    resolve(world, g.moderator, case_id, outcomes=["hide", "edit", "warn", "suspend"],
            reason="Adres van iemand anders", body="Tekst zonder adres",
            warning="Deel geen adressen", indefinitely=True, note="Besproken met Anna")
    return g, case_id


def test_every_step_is_logged_with_who_when_what_and_why(app, world):
    g, case_id = _full_story(world)
    with world.ctx():
        rows = list(db.session.scalars(select(ModerationLog).where(
            ModerationLog.space_id == g.space_id).order_by(ModerationLog.id)))
    assert [r.action for r in rows] == ["flag", "flag", "claim", "edit_post", "hide_post", "warn",
                                        "suspend", "resolve"]
    by_action = {r.action: r for r in rows}
    assert all(r.created_at is not None for r in rows)
    assert by_action["claim"].actor_name == "Moderator Mo"
    assert by_action["hide_post"].reason == "Adres van iemand anders"
    assert by_action["hide_post"].subject_name == "Schrijver Sam"
    assert by_action["suspend"].detail == "until=indefinite"
    assert by_action["resolve"].reason == "Besproken met Anna"
    assert by_action["resolve"].detail == "outcomes=hide,edit,warn,suspend"
    assert by_action["edit_post"].detail.startswith("revision=")
    # Flags are logged without their flagger: facilitators read the log.
    assert all(r.actor_id is None and r.actor_name == "" for r in rows if r.action == "flag")


def test_the_log_holds_no_post_text(app, world):
    g, _case = _full_story(world)
    with world.ctx():
        dump = " ".join(" ".join(str(v) for v in row) for row in db.session.execute(
            select(ModerationLog.__table__)))
    assert "Een bericht dat gemeld wordt" not in dump and "Tekst zonder adres" not in dump


def test_only_facilitators_read_the_log(app, client, world):
    g, _case = _full_story(world)
    for person, status in ((g.moderator, 403), (g.members[0], 403), (g.lead, 200)):
        login(client, person)
        assert client.get(f"/s/{g.slug}/moderation/log").status_code == status
        assert client.get(f"/s/{g.slug}/moderation/log.csv").status_code == status


def test_the_log_page_filters_by_action_person_and_date(app, client, world):
    g, _case = _full_story(world)
    login(client, g.lead)
    everything = _html(client.get(f"/s/{g.slug}/moderation/log"))
    assert "Bericht verborgen" in everything and "Melding ontvangen" in everything
    only_hides = _html(client.get(f"/s/{g.slug}/moderation/log?action=hide_post"))
    assert "Adres van iemand anders" in only_hides and "Besproken met Anna" not in only_hides
    by_person = _html(client.get(
        f"/s/{g.slug}/moderation/log?who={g.moderator.membership_id}"))
    assert "Besproken met Anna" in by_person and "Zorgen om iemand" not in by_person
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    assert "Niets in het logboek" in _html(client.get(
        f"/s/{g.slug}/moderation/log?since={tomorrow}"))
    # Nonsense in the filters is ignored, never an error.
    assert client.get(f"/s/{g.slug}/moderation/log?since=gisteren&who=x&action=%00"
                      ).status_code in (200, 400)
    assert client.get(f"/s/{g.slug}/moderation/log?since=gisteren&who=x&action=nope"
                      ).status_code == 200


def test_the_log_exports_as_csv_with_the_same_filters(app, client, world):
    g, _case = _full_story(world)
    login(client, g.lead)
    response = client.get(f"/s/{g.slug}/moderation/log.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(_html(response))))
    assert rows[0][:4] == ["id", "time", "action", "by"]
    assert [r[2] for r in rows[1:]][:3] == ["Melding ontvangen", "Melding ontvangen", "Opgepakt"]
    assert ["Moderator Mo", "Schrijver Sam", "Adres van iemand anders"] == rows[5][3:6]
    filtered = list(csv.reader(io.StringIO(_html(client.get(
        f"/s/{g.slug}/moderation/log.csv?action=resolve")))))
    assert len(filtered) == 2


def test_csv_cells_that_look_like_formulas_are_defused(app, client, world):
    g = group(world)
    flag(world, g.members[0], g.post_id)
    resolve(world, g.moderator, case_id_of(world, g.post_id), outcomes=["none"],
            note="=HYPERLINK(\"http://evil\")")
    login(client, g.lead)
    body = _html(client.get(f"/s/{g.slug}/moderation/log.csv"))
    assert "'=HYPERLINK" in body


# --- append-only in the database ----------------------------------------------------------------

def _one_entry(world) -> tuple[int, int]:
    slug, lead = world.space()
    with world.ctx():
        space_id = world.space_obj(slug).id
        entry = log_action(space_id, "claim", reason="iets")
        db.session.commit()
        return space_id, entry.id


@pytest.mark.parametrize("statement", ["update", "delete"])
def test_the_database_refuses_to_change_or_delete_log_rows(app, world, statement):
    space_id, entry_id = _one_entry(world)
    with world.ctx():
        if statement == "update":
            change = update(ModerationLog).where(ModerationLog.id == entry_id).values(reason="x")
        else:
            change = delete(ModerationLog).where(ModerationLog.id == entry_id)
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(change)
        db.session.rollback()
        # Raw SQL cannot go around it either.
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text("DELETE FROM moderation_log"))
        db.session.rollback()
        assert db.session.get(ModerationLog, entry_id).reason == "iets"


def test_purging_a_whole_space_takes_its_log_along(app, world):
    space_id, entry_id = _one_entry(world)
    with world.ctx():
        db.session.execute(delete(Space).where(Space.id == space_id))
        db.session.commit()
        assert db.session.get(ModerationLog, entry_id) is None


def test_every_log_action_has_a_label(app):
    from app.moderation.labels import ACTION_LABELS

    assert set(ACTION_LABELS) == set(ACTIONS)


# --- content-free email -----------------------------------------------------------------------

def test_moderation_emails_reveal_no_post_text_titles_names_or_reasons(app, world):
    from app.notify import service as notify
    from app.notify.models import DEFAULT_MODES

    g = group(world, post="Zilverreiger8841 schreef dit")
    with world.ctx():
        from app.forum.models import Thread
        db.session.get(Thread, g.thread_id).title = "Ijsvogel5521 gesprek"
        db.session.commit()
    for person in (g.moderator, g.lead, g.author, *g.members):
        with world.ctx():
            notify.save_settings(world.actor(person.user_id), world.space_obj(g.slug),
                                 modes={**DEFAULT_MODES, "flags": "direct"}, digest_hour=8,
                                 neutral_label=False)
    flag(world, g.members[0], g.post_id, reason="concern", note="Boomklever3307 zorgen")
    flag(world, g.members[1], g.post_id, reason="hurtful")
    case_id = case_id_of(world, g.post_id)
    claim(world, g.moderator, case_id)
    resolve(world, g.moderator, case_id, outcomes=["hide", "warn"], reason="Goudhaan6610 reden",
            warning="Roodborst4471 waarschuwing", note="Merel9932 notitie")
    with world.ctx():
        mails = [rendered(m) for m in db.session.scalars(select(OutboxMessage))]
        kinds = "\n".join(m.subject for m in mails)
    assert "Dringende melding" in kinds and "afgehandeld" in kinds and "verborgen" in kinds
    assert "persoonlijk bericht" in kinds
    markers = ["Zilverreiger8841", "Ijsvogel5521", "Boomklever3307", "Goudhaan6610",
               "Roodborst4471", "Merel9932", "Moderator Mo", "Schrijver Sam", "Melder 0",
               "Melder 1", "Zorgen om iemand", "Kwetsend"]
    for mail in mails:
        content = "\n".join((mail.subject, mail.body_text, mail.body_html, mail.headers))
        leaked = [m for m in markers if m.lower() in content.lower()]
        assert not leaked, f"mail to {mail.to_addr} reveals {leaked}"


def test_a_dated_suspension_and_its_lifting_are_both_logged(app, world):
    from datetime import datetime, timezone

    from app.spaces import members
    from app.spaces.models import Membership

    slug, lead = world.space()
    member = world.member(slug, lead, name="Schrijver Sam")
    until = datetime(2099, 1, 31, 12, 0, tzinfo=timezone.utc)
    with world.ctx():
        members.suspend_member(world.actor(lead.user_id), db.session.get(Membership, member.membership_id),
                               until=until)
    with world.ctx():
        members.lift_suspension(world.actor(lead.user_id), db.session.get(Membership, member.membership_id))
        rows = list(db.session.scalars(select(ModerationLog).where(
            ModerationLog.subject_id == member.membership_id).order_by(ModerationLog.id)))
    assert [r.action for r in rows] == ["suspend", "unsuspend"]
    assert rows[0].detail == "until=2099-01-31T12:00+00:00"
    assert rows[1].subject_name == "Schrijver Sam" and rows[1].actor_name.startswith("Begeleider")
