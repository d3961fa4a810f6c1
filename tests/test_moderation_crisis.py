"""The crisis reason first (issue 8, item 2): where to get help now, beside the reason, after
the flag and on /hulp from every footer, in the platform's own words; and an urgent report
nobody picks up goes out again as a reminder, once per period, from the worker round."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.moderation.crisis import send_crisis_reminders
from app.moderation.models import Flag, ModerationCase, ModerationLog
from app.notify.kinds import FLAG_REMINDER, FLAG_URGENT
from app.notify.models import Notification
from tests.conftest import login
from tests.moderation import as_, case_id_of, claim, flag, group, kinds_for, mails_to, resolve
from tests.test_mail_worker import inbox, use_smtp  # noqa: F401 (the real SMTP fixture)


def _html(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


# --- help texts -------------------------------------------------------------------------------

def test_help_stands_right_beside_the_worried_reason_without_javascript(app, client, world):
    g = group(world, flaggers=1)
    login(client, g.members[0])
    html = _html(client, f"/s/{g.slug}/p/{g.post_id}/flag")

    concern, hurtful = html.index('value="concern"'), html.index('value="hurtful"')
    assert concern < html.index("0800-0113") < hurtful
    assert concern < html.index("112") < hurtful
    assert "<script" not in html[concern:hurtful]  # in the page itself, not added by a script


def test_a_flag_for_another_reason_gets_no_crisis_block(app, client, world):
    g = group(world, flaggers=1)
    send = as_(client, g.members[0])
    response = send(f"/s/{g.slug}/p/{g.post_id}/flag", reason="spam")

    confirmation = _html(client, response.headers["Location"])

    assert "crisis-help" not in confirmation


def test_help_page_is_open_to_visitors_and_linked_from_every_footer(app, client, world):
    g = group(world, flaggers=1)
    page = _html(client, "/hulp")
    assert "0800-0113" in page and "113.nl" in page and "112" in page and "huisartsenpost" in page
    assert 'href="/hulp"' in _html(client, "/login")
    login(client, g.members[0])
    for path in ("/", f"/s/{g.slug}/", f"/s/{g.slug}/t/{g.thread_id}?page=1",
                 f"/s/{g.slug}/p/{g.post_id}/flag", "/hulp"):
        assert 'href="/hulp"' in _html(client, path), path


def test_english_readers_get_the_help_texts_in_english(app, client, world):
    slug, lead = world.space()
    english = world.user(locale="en")
    token = world.invite_token(slug, lead, email=english.email)
    world.accept(token, display_name="Alex", email_user=english)
    login(client, english)

    page = _html(client, "/hulp")

    assert "In danger right now: call 112." in page
    assert "Bel 112" not in page and "bel 113" not in page


def test_the_platform_sets_its_own_help_texts_per_language(app, client, tmp_path):
    texts = tmp_path / "crisis_help.txt"
    texts.write_text("Hulp bij Stichting Voorbeeld:\nBel de Luisterlijn: 088-0767000\n\n"
                     "Huisartsenpost Voorbeeldstad: 0900-1234\n", encoding="utf-8")
    (tmp_path / "crisis_help.en.txt").write_text(
        "Help from the Example Foundation:\nCall the listening line: 088-0767000\n",
        encoding="utf-8")
    app.config["CRISIS_HELP_FILE"] = str(texts)

    dutch = _html(client, "/hulp")
    client.set_cookie("kring_lang", "en")
    english = _html(client, "/hulp")

    assert "Hulp bij Stichting Voorbeeld:" in dutch and "Huisartsenpost Voorbeeldstad" in dutch
    assert "0800-0113" not in dutch
    assert "Help from the Example Foundation:" in english and "Voorbeeldstad" not in english


def test_an_unreadable_help_file_falls_back_to_the_built_in_texts(app, client, tmp_path):
    app.config["CRISIS_HELP_FILE"] = str(tmp_path / "missing.txt")
    assert "0800-0113" in _html(client, "/hulp")
    (tmp_path / "missing.txt").write_bytes(b"\xff\xfe not utf-8 \xff")
    assert "0800-0113" in _html(client, "/hulp")


# --- the reminder -----------------------------------------------------------------------------

def _worried(world, g) -> tuple[int, object]:
    """A worried flag on the author's post: (case id, when it came in)."""
    flag(world, g.members[0], g.post_id, reason="concern")
    case_id = case_id_of(world, g.post_id)
    with world.ctx():
        at = db.session.scalar(select(Flag.created_at).where(Flag.case_id == case_id))
    return case_id, at


def _reminders(world, person) -> int:
    return kinds_for(world, person).count(FLAG_REMINDER)


def _run(world, now) -> int:
    with world.ctx():
        return send_crisis_reminders(now)


def test_unclaimed_urgent_report_goes_out_again_as_a_reminder_once_per_period(app, world):
    g = group(world, flaggers=1, post="Ik zie het niet meer zitten")
    case_id, at = _worried(world, g)

    assert _run(world, at + timedelta(minutes=29)) == 0
    assert _run(world, at + timedelta(minutes=31)) == 1
    assert _run(world, at + timedelta(minutes=45)) == 0  # once per period
    assert _run(world, at + timedelta(minutes=62)) == 1

    for moderator in (g.moderator, g.lead):
        assert kinds_for(world, moderator) == [FLAG_URGENT, FLAG_REMINDER, FLAG_REMINDER]
    assert _reminders(world, g.author) == 0
    assert all(FLAG_REMINDER not in kinds_for(world, m) for m in g.members)
    with world.ctx():
        entries = db.session.scalars(select(ModerationLog).where(
            ModerationLog.action == "reminder", ModerationLog.case_id == case_id)).all()
        assert [e.actor_id for e in entries] == [None, None]  # Kring itself
        assert db.session.get(ModerationCase, case_id).reminded_at is not None
    # Urgent: by email whatever the settings, and the email says nothing about the post.
    reminder_mails = [m for m in mails_to(world, g.moderator) if "Herinnering" in m]
    assert len(reminder_mails) == 2
    for mail in reminder_mails:
        assert "Ik zie het niet meer zitten" not in mail and "Een gesprek" not in mail
        assert "Schrijver Sam" not in mail and "Melder" not in mail


def test_a_claimed_or_handled_urgent_report_sends_no_reminder(app, world):
    g = group(world, flaggers=1)
    case_id, at = _worried(world, g)
    claim(world, g.moderator, case_id)
    assert _run(world, at + timedelta(minutes=31)) == 0

    resolve(world, g.moderator, case_id, outcomes=["none"])
    assert _run(world, at + timedelta(hours=5)) == 0
    assert _reminders(world, g.lead) == 0


def test_a_report_that_is_not_urgent_sends_no_reminder(app, world):
    g = group(world, flaggers=1)
    flag(world, g.members[0], g.post_id, reason="hurtful")
    with world.ctx():
        at = db.session.scalar(select(Flag.created_at))
    assert _run(world, at + timedelta(hours=3)) == 0


def test_the_reminder_clock_starts_at_the_worried_flag_not_at_an_older_report(app, world):
    g = group(world, flaggers=2)
    flag(world, g.members[0], g.post_id, reason="hurtful")
    with world.ctx():
        first = db.session.scalar(select(Flag.created_at))
        db.session.execute(  # the case and its first flag are two hours old
            Flag.__table__.update().values(created_at=first - timedelta(hours=2)))
        db.session.execute(
            ModerationCase.__table__.update().values(created_at=first - timedelta(hours=2)))
        db.session.commit()
    flag(world, g.members[1], g.post_id, reason="concern")
    with world.ctx():
        worried = db.session.scalar(select(Flag.created_at).where(Flag.reason == "concern"))

    assert _run(world, worried + timedelta(minutes=5)) == 0
    assert _run(world, worried + timedelta(minutes=31)) == 1


@pytest.mark.parametrize("minutes, sent", [(0, 0), (10, 1)])
def test_the_reminder_period_is_a_platform_setting(app, world, minutes, sent):
    app.config["CRISIS_REMINDER_MINUTES"] = minutes
    g = group(world, flaggers=1)
    _case_id, at = _worried(world, g)
    assert _run(world, at + timedelta(minutes=11)) == sent


def test_a_withdrawn_worry_sends_no_reminder(app, client, world):
    g = group(world, flaggers=1)
    _case_id, at = _worried(world, g)
    send = as_(client, g.members[0])
    assert send(f"/s/{g.slug}/p/{g.post_id}/flag/withdraw").status_code == 302
    assert _run(world, at + timedelta(hours=1)) == 0


def test_the_worker_round_sends_the_reminder_through_the_real_mail_server(app, world, inbox):  # noqa: F811
    from app.notify.worker import run_once

    use_smtp(app, inbox.port)
    g = group(world, flaggers=1, post="Het gaat echt niet goed")
    _case_id, at = _worried(world, g)
    with world.ctx():
        run_once(at + timedelta(minutes=1))  # the first, urgent notice goes out
        assert run_once(at + timedelta(minutes=31))["crisis_reminders"] == 1
        db.session.commit()

    received = [env.message for env in inbox.to(g.moderator.email)]
    assert [m["Subject"] for m in received if "melding" in m["Subject"].lower()] == [
        "Dringende melding wacht in je groep", "Herinnering: dringende melding wacht in je groep"]
    reminder = received[-1]
    body = reminder.get_body(("plain",)).get_content()
    assert "Het gaat echt niet goed" not in body and "Een gesprek" not in body
    with world.ctx():
        assert db.session.scalar(select(Notification.kind).where(
            Notification.user_id == g.moderator.user_id).order_by(Notification.id.desc())
        ) == FLAG_REMINDER
