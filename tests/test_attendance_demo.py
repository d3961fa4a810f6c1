"""The demo shows attendance at work: Sanne sees her commitment and the two meetings she
attended, the facilitator sees Hamid's cancellation with its reason and Dennis away."""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.meetings.models import Attendance, AwayPeriod
from app.spaces.models import Membership
from tests.conftest import Person, login


def test_demo_has_commitments_records_a_cancellation_and_a_period_away(app):
    result = app.test_cli_runner().invoke(args=["kring", "seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        names = dict(db.session.execute(select(Membership.display_name, Membership.id)).all())
        ids = dict(db.session.execute(select(Membership.display_name, Membership.user_id)).all())
        cancelled = db.session.scalar(select(Attendance).where(
            Attendance.membership_id == names["Hamid"], Attendance.cancelled_at.is_not(None)))
        assert cancelled is not None and "ouderavond" in cancelled.reason
        assert db.session.scalar(select(AwayPeriod.id).where(
            AwayPeriod.membership_id == names["Dennis"])) is not None
        slug = "grip-op-je-geld"
    sanne, lead = app.test_client(), app.test_client()
    login(sanne, Person(ids["Sanne"], "deelnemer1@example.org"))
    login(lead, Person(ids["Marieke (begeleider)"], "begeleider@example.org"))
    mine = sanne.get(f"/s/{slug}/meetings/mine").get_data(as_text=True)
    assert "Je hebt afgesproken minstens 6 bijeenkomsten mee te doen: 2 gedaan." in mine
    page = lead.get(f"/s/{slug}/meetings/{cancelled.meeting_id}/attendance").get_data(as_text=True)
    assert "ouderavond" in page and "Hamid" in page
    meeting = sanne.get(f"/s/{slug}/meetings/{cancelled.meeting_id}").get_data(as_text=True)
    assert "Ik meld me af" in meeting and "ouderavond" not in meeting
