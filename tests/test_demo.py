"""The demo a newcomer meets: notifications dated like the posts they are about, a handful
unread per member, and `flask kring seed-demo --reset` for a fresh start."""
from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.forum.models import Post, Thread
from app.notify.models import Notification, OutboxMessage
from app.spaces.models import Membership, Space


def _seed(app, *args):
    result = app.test_cli_runner().invoke(args=["kring", "seed-demo", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _state(app):
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (User, Space, Membership, Thread, Post, Notification))


def test_demo_notifications_carry_the_time_of_their_post_and_few_are_unread(app):
    from app.demo import UNREAD_KEPT

    _seed(app)
    with app.app_context():
        mismatched = db.session.scalar(
            select(func.count()).select_from(Notification).join(Post, Post.id == Notification.post_id)
            .where(Notification.created_at != Post.created_at))
        assert mismatched == 0
        newest_post = db.session.scalar(select(func.max(Post.created_at)))
        assert db.session.scalar(select(func.max(Notification.created_at))) <= newest_post
        unread = dict(db.session.execute(
            select(Membership.display_name, func.count(Notification.id))
            .join(Notification, (Notification.membership_id == Membership.id)
                  & Notification.read_at.is_(None), isouter=True)
            .group_by(Membership.display_name)).all())
        total = db.session.scalar(select(func.count()).select_from(Notification))
    assert total > 100  # the demo has plenty of history ...
    assert unread and all(count <= UNREAD_KEPT for count in unread.values()), unread
    members = [count for name, count in unread.items() if name in ("Sanne", "Hamid", "Petra")]
    assert all(3 <= count <= 8 for count in members), unread  # ... and a handful is new


def test_seed_demo_reset_starts_the_demo_afresh(app):
    from app.demo import CONTENT

    _seed(app)
    fresh = _state(app)
    with app.app_context():
        # Someone tried things out: a thread deleted, a display name changed.
        db.session.delete(db.session.scalar(select(Thread).limit(1)))
        db.session.scalar(select(Membership).where(Membership.display_name == "Sanne")).display_name = "X"
        db.session.commit()
    assert _state(app) != fresh
    output = _seed(app, "--reset")
    assert "reset" in output and "welkom-bij-kring" in output
    assert _state(app) == fresh
    with app.app_context():
        assert db.session.scalar(select(Space.slug)) == CONTENT["space"]["slug"]
        assert db.session.scalar(select(func.count()).select_from(Membership)
                                 .where(Membership.display_name == "Sanne")) == 1


def test_seed_demo_reset_leaves_other_spaces_and_accounts_alone(app, world):
    slug, lead = world.space()
    before = _state(app)
    _seed(app, "--reset")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Space).where(Space.slug == slug)) == 1
        assert db.session.get(User, lead.user_id) is not None
    assert _state(app)[1] == before[1] + 1


def test_seed_demo_is_refused_in_production_with_or_without_reset(app):
    """The demo's accounts share a password printed in the README: never on a real server."""
    app.config["PRODUCTION"] = True
    try:
        for args in (["kring", "seed-demo"], ["kring", "seed-demo", "--reset"]):
            result = app.test_cli_runner().invoke(args=args)
            assert result.exit_code != 0
            assert "production" in result.output
        with app.app_context():
            assert db.session.scalar(select(func.count()).select_from(User)) == 0
    finally:
        app.config["PRODUCTION"] = False


def _outbox(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_seeding_the_demo_queues_no_mail_and_neither_does_a_reset(app):
    """The seeded history is not news: no invitation or notification mail for it, so the
    first `make run` does not print hundreds of mails to the console."""
    _seed(app)
    assert _outbox(app) == 0
    _seed(app, "--reset")
    assert _outbox(app) == 0


def test_the_demo_shows_a_reply_that_quotes_an_earlier_post(app):
    _seed(app)
    with app.app_context():
        quoting = db.session.scalars(select(Post).where(Post.quote_of_id.is_not(None))).all()
        assert len(quoting) >= 1
        for post in quoting:
            quoted = db.session.get(Post, post.quote_of_id)
            assert quoted.thread_id == post.thread_id and quoted.number < post.number


def test_demo_has_an_answered_questionnaire_and_a_note(app, client):
    """Three members answered the group's questionnaire (so the summary shows); the
    facilitator keeps a note about Wim."""
    from app.evaluation.models import Questionnaire, Recipient
    from app.notes.models import MemberNote
    from tests.conftest import Person, login

    _seed(app)
    with app.app_context():
        answered = db.session.scalar(select(func.count()).select_from(Recipient)
                                     .where(Recipient.answered_at.is_not(None)))
        questionnaire_id = db.session.scalar(select(Questionnaire.id))
        lead = db.session.scalar(select(User).where(User.email == "begeleider@example.org"))
        lead_person = Person(lead.id, lead.email)
        wim = db.session.scalar(select(Membership).where(Membership.display_name == "Wim"))
        assert db.session.scalar(select(MemberNote.membership_id)) == wim.id
    assert answered == 3
    login(client, lead_person)
    page = client.get(f"/s/grip-op-je-geld/evaluations/{questionnaire_id}/results")
    assert page.status_code == 200
    assert "Gemiddelde" in page.get_data(as_text=True)
    _seed(app, "--reset")  # the notes' record goes with the demo space
