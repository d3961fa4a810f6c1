"""Evaluation questionnaires (issue 10, item 9): the facilitator sends the Dutch default (or
an edited one) to one member or the whole group; members answer once and see only their
own; the answers, the summary (from 3 answers on) and the CSV go to the facilitators only."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.evaluation.models import Question, Questionnaire, Recipient
from app.extensions import db
from app.notify.models import Notification
from app.notify.outbox import OutboxMessage
from tests.conftest import csrf_token, login
from tests.evaluation import answer, answers_of, group, send  # noqa: F401


# --- sending --------------------------------------------------------------------------------

def test_new_questionnaire_starts_from_the_dutch_default(app, client, group):
    slug, p = group
    login(client, p["lead"])
    html = client.get(f"/s/{slug}/evaluations/new").get_data(as_text=True)
    for text in ("Wat heeft de groep je gegeven?", "Wat was moeilijk voor je?",
                 "Wat neem je mee?", "Ik voelde me veilig in de groep.",
                 "De hele groep", "Anna", "Moderator Mo"):
        assert text in html, text
    # The group's leads are not offered as recipients: they do not answer evaluations.
    assert "Co Begeleider" not in html


def test_facilitator_sends_edited_questionnaire_to_the_whole_group(app, client, world, group):
    slug, p = group
    login(client, p["lead"])
    response = client.post(f"/s/{slug}/evaluations/new", data={
        "csrf_token": csrf_token(client, f"/s/{slug}/evaluations/new"), "to": "0",
        "title": "Onze eigen terugblik", "intro": "Fijn dat je meedeed.",
        "open_questions": "Wat was je mooiste moment?\n\n  Wat mis je?  ",
        "scale_questions": "Ik kom graag terug."})
    assert response.status_code == 302
    with world.ctx():
        q = db.session.scalar(select(Questionnaire))
        assert q.title == "Onze eigen terugblik" and q.for_membership_id is None
        assert [(x.kind, x.prompt) for x in db.session.scalars(
            select(Question).order_by(Question.position))] == [
            ("open", "Wat was je mooiste moment?"), ("open", "Wat mis je?"),
            ("scale", "Ik kom graag terug.")]
        recipients = set(db.session.scalars(select(Recipient.membership_id)))
        # Members and moderators are asked; the facilitator and co-facilitator are not.
        assert recipients == {p[k].membership_id for k in ("mod", "anna", "bram", "cees")}
        told = set(db.session.scalars(select(Notification.membership_id).where(
            Notification.kind == "evaluation")))
        assert told == recipients


def test_evaluation_mail_is_content_free(app, world, group):
    """The "facilitator" category is a daily digest by default; Anna chose direct mail."""
    from app.notify.models import NotificationSettings

    slug, p = group
    with world.ctx():
        settings = NotificationSettings.defaults(p["anna"].membership_id,
                                                 world.space_obj(slug).id)
        settings.facilitator = "direct"
        db.session.add(settings)
        db.session.commit()
    send(world, slug, p["lead"], to=p["anna"], title="Geheime titel",
         open_questions="Een heel persoonlijke vraag?")
    from tests.mail import rendered_mail

    mails = rendered_mail(app, OutboxMessage.to_addr == p["anna"].email,
                          OutboxMessage.kind == "notification")
    assert len(mails) == 1
    everything = "\n".join((mails[0].subject, mails[0].body_text, mails[0].body_html))
    assert "vragenlijst" in everything.lower()
    assert "Geheime titel" not in everything
    assert "persoonlijke vraag" not in everything
    assert f"Groep {slug}" not in everything  # the group's name stays out by default too


def test_questionnaire_for_one_member_reaches_only_that_member(app, client, world, group):
    slug, p = group
    qid = send(world, slug, p["lead"], to=p["anna"])
    login(client, p["anna"])
    assert "Terugblik" in client.get(f"/s/{slug}/evaluations").get_data(as_text=True)
    assert client.get(f"/s/{slug}/evaluations/{qid}").status_code == 200
    login(client, p["bram"])
    assert "Terugblik" not in client.get(f"/s/{slug}/evaluations").get_data(as_text=True)
    assert client.get(f"/s/{slug}/evaluations/{qid}").status_code == 404


def test_cofacilitator_and_member_cannot_send_a_questionnaire(app, client, world, group):
    slug, p = group
    for who in ("co", "anna", "mod"):
        login(client, p[who])
        assert client.get(f"/s/{slug}/evaluations/new").status_code == 403
        response = client.post(f"/s/{slug}/evaluations/new", data={
            "csrf_token": csrf_token(client, "/"), "to": "0", "title": "Stiekem",
            "open_questions": "Vraag?"})
        assert response.status_code == 403
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(Questionnaire)) == 0


# --- answering ------------------------------------------------------------------------------

def test_member_answers_once_and_then_sees_only_their_own_answers(app, client, world, group):
    slug, p = group
    qid = send(world, slug, p["lead"])
    assert answer(client, p["anna"], slug, qid, {0: "Steun en herkenning", 1: "4"}).status_code == 302
    page = client.get(f"/s/{slug}/evaluations/{qid}").get_data(as_text=True)
    assert "Steun en herkenning" in page and "4 van 5" in page
    assert 'type="radio"' not in page  # no form any more

    # Answering a second time (a second tab, a forged form) changes nothing.
    again = answer(client, p["anna"], slug, qid, {0: "Toch iets anders", 1: "1"})
    assert again.status_code == 400
    assert "al ingevuld" in again.get_data(as_text=True)
    assert answers_of(app, qid) == [(p["anna"].membership_id, "Steun en herkenning", None),
                                    (p["anna"].membership_id, "", 4)]

    # Another member sees neither Anna's answers nor that she answered.
    assert answer(client, p["bram"], slug, qid, {0: "Rust"}).status_code == 302
    page = client.get(f"/s/{slug}/evaluations/{qid}").get_data(as_text=True)
    assert "Rust" in page and "Steun en herkenning" not in page


def test_member_cannot_open_or_answer_another_members_questionnaire(app, client, world, group):
    slug, p = group
    qid = send(world, slug, p["lead"], to=p["anna"])
    response = answer(client, p["bram"], slug, qid, {0: "Ik ben Anna niet"})
    assert response.status_code == 404
    assert client.get(f"/s/{slug}/evaluations/{qid}").status_code == 404
    assert answers_of(app, qid) == []


def test_answers_go_to_the_facilitator_only(app, client, world, group):
    slug, p = group
    qid = send(world, slug, p["lead"])
    answer(client, p["anna"], slug, qid, {0: "Alleen voor de begeleider"})
    for who in ("anna", "bram", "mod", "co"):
        login(client, p[who])
        assert client.get(f"/s/{slug}/evaluations/{qid}/results").status_code == 403, who
        assert client.get(f"/s/{slug}/evaluations/{qid}/results.csv").status_code == 403, who
    login(client, p["lead"])
    page = client.get(f"/s/{slug}/evaluations/{qid}/results")
    assert page.status_code == 200
    assert "Alleen voor de begeleider" in page.get_data(as_text=True)
    # The facilitator was not asked: their own answer page does not exist.
    assert client.get(f"/s/{slug}/evaluations/{qid}").status_code == 404


def test_another_spaces_questionnaire_is_not_found(app, client, world, group):
    slug, p = group
    qid = send(world, slug, p["lead"])
    other_slug, other_lead = world.space()
    stranger = world.member(other_slug, other_lead)
    login(client, other_lead)
    for path in (f"/s/{other_slug}/evaluations/{qid}/results",
                 f"/s/{other_slug}/evaluations/{qid}/results.csv",
                 f"/s/{other_slug}/evaluations/{qid}", f"/s/{slug}/evaluations/{qid}/results"):
        assert client.get(path).status_code == 404, path
    login(client, stranger)
    assert client.get(f"/s/{other_slug}/evaluations/{qid}").status_code == 404
    assert answer(client, stranger, other_slug, qid, {0: "Hoi"}).status_code == 404
    assert answers_of(app, qid) == []


# --- bad input ------------------------------------------------------------------------------

def _post_new(client, slug, **fields):
    data = {"csrf_token": csrf_token(client, "/"), "to": "0", "title": "Terugblik",
            "intro": "", "open_questions": "Vraag?", "scale_questions": ""}
    data.update(fields)
    return client.post(f"/s/{slug}/evaluations/new", data=data)


@pytest.mark.parametrize("fields, message", [
    ({"title": "   "}, "Dit veld is verplicht."),
    ({"open_questions": "\n \n", "scale_questions": ""}, "Stel minstens één vraag."),
    ({"open_questions": "x" * 301}, "Een vraag mag hoogstens 300 tekens lang zijn."),
    ({"open_questions": "\n".join(f"V{n}" for n in range(21))}, "Stel hoogstens 20 vragen."),
    ({"to": "abc"}, "Kies een deelnemer van deze groep."),
    ({"to": "99999999999999"}, "Kies een deelnemer van deze groep."),
    ({"to": "-1"}, "Kies een deelnemer van deze groep."),
    ({"title": "Titel\x00"}, "een teken dat niet mag"),
])
def test_bad_questionnaire_is_refused_at_the_field_with_the_text_kept(app, client, world, group,
                                                                     fields, message):
    slug, p = group
    login(client, p["lead"])
    response = _post_new(client, slug, intro="Mijn eigen inleiding", **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert "Mijn eigen inleiding" in html
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(Questionnaire)) == 0


def test_questionnaire_cannot_go_to_a_lead_or_someone_in_another_group(app, client, world, group):
    slug, p = group
    other_slug, other_lead = world.space()
    stranger = world.member(other_slug, other_lead)
    login(client, p["lead"])
    for target in (p["co"], p["lead"], stranger):
        response = _post_new(client, slug, to=str(target.membership_id))
        assert response.status_code == 400
        assert "Kies een deelnemer van deze groep." in response.get_data(as_text=True)
    with world.ctx():
        assert db.session.scalar(select(func.count()).select_from(Questionnaire)) == 0


@pytest.mark.parametrize("values, message", [
    ({1: "6"}, "Kies een getal van 1 tot en met 5."),
    ({1: "0"}, "Kies een getal van 1 tot en met 5."),
    ({1: "drie"}, "Kies een getal van 1 tot en met 5."),
    ({1: "٣"}, "Kies een getal van 1 tot en met 5."),
    ({0: "x" * 5001}, "Maximaal 5000 tekens (nu 5001)"),
    ({0: "   "}, "Beantwoord minstens één vraag."),
])
def test_bad_answer_is_refused_with_the_text_kept(app, client, world, group, values, message):
    slug, p = group
    qid = send(world, slug, p["lead"])
    values = {0: "Mijn getypte antwoord", **values} if 0 not in values else values
    response = answer(client, p["anna"], slug, qid, values)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    if values[0] == "Mijn getypte antwoord":
        assert "Mijn getypte antwoord" in html
    assert answers_of(app, qid) == []
    with world.ctx():
        assert db.session.scalar(select(Recipient.answered_at)) is None


def test_hostile_answer_text_is_shown_as_text(app, client, world, group):
    slug, p = group
    qid = send(world, slug, p["lead"])
    answer(client, p["anna"], slug, qid, {0: "<script>alert(1)</script>"})
    login(client, p["lead"])
    page = client.get(f"/s/{slug}/evaluations/{qid}/results").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_suspended_or_departed_member_cannot_answer(app, client, world, group):
    slug, p = group
    qid = send(world, slug, p["lead"])
    from app.spaces import members
    from app.spaces.models import Membership

    with world.ctx():
        members.remove_member(world.actor(p["lead"].user_id),
                              db.session.get(Membership, p["anna"].membership_id), confirmed=True)
    assert answer(client, p["anna"], slug, qid, {0: "Nog even"}).status_code == 404
    assert answers_of(app, qid) == []


def test_questionnaires_cannot_be_sent_after_the_rental_ended_but_answers_stay_readable(
        app, client, world, group):
    slug, p = group
    qid = send(world, slug, p["lead"])
    answer(client, p["anna"], slug, qid, {0: "Herkenning", 1: "5"})
    with world.ctx():
        space = world.space_obj(slug)
        space.rental_start, space.rental_end = date.today() - timedelta(days=60), \
            date.today() - timedelta(days=1)
        db.session.commit()
    login(client, p["lead"])
    assert _post_new(client, slug).status_code == 403
    listed = client.get(f"/s/{slug}/evaluations").get_data(as_text=True)
    assert "Terugblik" in listed and f"/evaluations/{qid}/results" in listed
    results = client.get(f"/s/{slug}/evaluations/{qid}/results")
    assert results.status_code == 200 and "Herkenning" in results.get_data(as_text=True)
    assert client.get(f"/s/{slug}/evaluations/{qid}/results.csv").status_code == 200
    login(client, p["co"])
    assert client.get(f"/s/{slug}/evaluations/{qid}/results").status_code == 403


