"""Before the last rental day the facilitators are warned (RENTAL_WARNING_DAYS, "30,7"): a
notification and a content-free mail, each warning once however often the worker runs;
members are not warned; an extension arms the warnings again for the new end."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.notify.kinds import RENTAL_ENDING
from app.notify.models import Notification, OutboxMessage
from app.retention.common import warning_days
from app.retention.warnings import send_rental_warnings
from tests.conftest import login
from tests.mail import rendered_mail

TODAY = date.today()


def _end_in(world, slug: str, days: int) -> None:
    with world.ctx():
        space = world.space_obj(slug)
        space.rental_start = min(space.rental_start, TODAY - timedelta(days=10))
        space.rental_end = TODAY + timedelta(days=days)
        db.session.commit()


def _warned(app) -> dict[int, int]:
    """Rental notifications per user id."""
    with app.app_context():
        return dict(db.session.execute(
            select(Notification.user_id, func.count()).where(Notification.kind == RENTAL_ENDING)
            .group_by(Notification.user_id)).all())


def _run(app) -> int:
    with app.app_context():
        return send_rental_warnings()


def test_facilitators_are_warned_once_30_days_before_the_last_rental_day(app, world):
    slug, lead = world.space()
    co = world.member(slug, lead, role="cofacilitator")
    member = world.member(slug, lead)
    _end_in(world, slug, 31)
    assert _run(app) == 0 and _warned(app) == {}
    _end_in(world, slug, 30)
    assert _run(app) == 1
    assert _run(app) == 0  # the next rounds: already sent
    assert _run(app) == 0
    assert _warned(app) == {lead.user_id: 1}
    assert co.user_id not in _warned(app) and member.user_id not in _warned(app)


def test_the_warning_mail_says_nothing_but_that_the_rental_ends_soon(app, world):
    slug, lead = world.space()
    world.thread(slug, lead, title="Geheime titel", body="Geheime tekst")
    _end_in(world, slug, 7)
    _run(app)
    [mail] = rendered_mail(app, OutboxMessage.to_addr == lead.email,
                           OutboxMessage.kind == "notification")
    assert mail.subject == "De huurperiode van je groep loopt bijna af"
    for secret in ("Geheime", f"Groep {slug}", slug):
        assert secret not in mail.body_text and secret not in mail.subject
    assert "/notifications/" in mail.body_text


def test_the_seven_day_warning_follows_the_thirty_day_warning(app, world):
    slug, lead = world.space()
    _end_in(world, slug, 20)
    assert _run(app) == 1
    _end_in(world, slug, 7)
    assert _run(app) == 1 and _run(app) == 0
    assert _warned(app) == {lead.user_id: 2}


def test_warnings_due_at_once_reach_the_facilitator_once(app, world):
    """A rental that ends within a week of being set: the 30- and 7-day warnings are both due;
    one notification, and neither comes again."""
    slug, lead = world.space()
    _end_in(world, slug, 3)
    assert _run(app) == 1 and _run(app) == 0
    assert _warned(app) == {lead.user_id: 1}


def test_an_extension_brings_the_warnings_back_for_the_new_end(app, world):
    from app.admin.service import extend_rental

    slug, lead = world.space()
    _end_in(world, slug, 7)
    _run(app)
    with world.ctx():
        extend_rental(world.actor(world.operator.user_id), world.space_obj(slug),
                      rental_end=TODAY + timedelta(days=30))
    assert _run(app) == 1
    assert _warned(app) == {lead.user_id: 2}


def test_no_warning_after_the_rental_ended_or_for_far_ends(app, world):
    slug, _lead = world.space()
    _end_in(world, slug, -1)
    far_slug, _far_lead = world.space()  # a year away
    assert _run(app) == 0 and _warned(app) == {}


def test_the_facilitator_sees_the_end_on_the_space_page_and_members_do_not(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    _end_in(world, slug, 10)
    lead_client, member_client = app.test_client(), app.test_client()
    login(lead_client, lead)
    login(member_client, member)
    assert "rental-ending" in lead_client.get(f"/s/{slug}/").get_data(as_text=True)
    assert "rental-ending" not in member_client.get(f"/s/{slug}/").get_data(as_text=True)


def test_warning_days_ignore_what_is_not_a_positive_number(app):
    with app.app_context():
        assert warning_days("30,7") == [30, 7]
        assert warning_days(" 7, 30 ,x,0,-3,,7") == [30, 7]
        assert warning_days("") == []


def test_two_workers_at_once_send_each_warning_once(app, world):
    import threading

    slugs = [world.space()[0] for _ in range(3)]
    for slug in slugs:
        _end_in(world, slug, 7)
    barrier, counts = threading.Barrier(2), []

    def worker():
        with app.app_context():
            barrier.wait()
            counts.append(send_rental_warnings())
            db.session.remove()

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert sum(counts) == 3
    assert sorted(_warned(app).values()) == [1, 1, 1]
