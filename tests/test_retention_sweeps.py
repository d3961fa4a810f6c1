"""The worker's sweeps: each removes personal data whose time is up, and nothing younger.
Deleted posts lose text and revisions after DELETED_POST_REVIEW_DAYS (not while a report on
them is open); sent mail its address and subject after MAIL_KEEP_DAYS; failed logins after an
hour; expired links, old sessions and finished exports' rows on schedule."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.accounts.models import LoginFailure, PasswordReset
from app.accounts.security_models import EmailChange, UserSession
from app.database import utcnow
from app.exports.models import DataExport
from app.extensions import db
from app.forum.models import Post, PostRevision, Thread
from app.notify.outbox import DEAD, SENT, OutboxMessage
from app.retention import sweeps
from app.spaces.models import Invitation

DAY = timedelta(days=1)


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _deleted_post(world, slug, author, *, opener: bool = False, body="Mijn adres is Dorpsstraat 1"):
    """A post with one earlier version, deleted by its author; its id."""
    from app.forum import service as forum
    from app.forum.models import Post as P

    if opener:
        thread_id = world.thread(slug, author, title="Titel met naam", body=body)
        post_id = world.first_post_id(thread_id)
    else:
        thread_id = world.thread(slug, author)
        post_id = world.reply(slug, thread_id, author, body)
    with world.ctx():
        actor = world.actor(author.user_id)
        forum.edit_post(actor, db.session.get(P, post_id), body=body + " (aangepast)")
        forum.delete_post(world.actor(author.user_id), db.session.get(P, post_id))
    return post_id


def test_deleted_posts_lose_text_and_revisions_after_the_review_window(app, world):
    slug, lead = world.space()
    post_id = _deleted_post(world, slug, lead)
    with app.app_context():
        window = timedelta(days=app.config["DELETED_POST_REVIEW_DAYS"])
        assert sweeps.wipe_deleted_posts(utcnow() + window - DAY) == 0
        post = db.session.get(Post, post_id)
        assert "Dorpsstraat" in post.body and post.erased_at is None
        assert sweeps.wipe_deleted_posts(utcnow() + window + DAY) == 1
        db.session.expire_all()
        post = db.session.get(Post, post_id)
        assert (post.body, post.body_html) == ("", "") and post.erased_at is not None
        assert _count(PostRevision, PostRevision.post_id == post_id) == 0
        assert sweeps.wipe_deleted_posts(utcnow() + window + DAY) == 0  # once


def test_a_deleted_opening_post_takes_the_thread_title_along(app, world):
    slug, lead = world.space()
    post_id = _deleted_post(world, slug, lead, opener=True)
    with app.app_context():
        sweeps.wipe_deleted_posts(utcnow() + timedelta(days=31))
        thread = db.session.get(Thread, db.session.get(Post, post_id).thread_id)
        assert thread.title == "" and thread.title_removed_at is not None


def test_a_deleted_post_with_an_open_report_keeps_its_text_for_the_moderator(app, world):
    from app.forum import service as forum
    from app.moderation.flags import flag_post

    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, lead)
    post_id = world.reply(slug, thread_id, member, "Iets kwetsends")
    with world.ctx():
        flag_post(world.actor(lead.user_id), db.session.get(Post, post_id), reason="hurtful")
        forum.delete_post(world.actor(member.user_id), db.session.get(Post, post_id))
    with app.app_context():
        assert sweeps.wipe_deleted_posts(utcnow() + timedelta(days=60)) == 0
        assert db.session.get(Post, post_id).body == "Iets kwetsends"


def test_sent_mail_loses_address_and_subject_after_mail_keep_days(app):
    with app.app_context():
        keep = timedelta(days=app.config["MAIL_KEEP_DAYS"])
        now = utcnow()
        old, recent, dead = (OutboxMessage(kind="notification", to_addr=f"{n}@example.org",
                                           status=status, subject="Onderwerp", sent_at=at,
                                           created_at=at - DAY)
                             for n, status, at in (("old", SENT, now - keep - DAY),
                                                   ("recent", SENT, now - keep + DAY),
                                                   ("dead", DEAD, now - keep - DAY)))
        dead.sent_at = None
        db.session.add_all([old, recent, dead])
        db.session.commit()
        ids = old.id, recent.id, dead.id
        assert sweeps.clear_old_mail(now) == 2
        db.session.expire_all()
        old, recent = db.session.get(OutboxMessage, ids[0]), db.session.get(OutboxMessage, ids[1])
        assert (old.to_addr, old.subject, old.status) == ("", None, SENT)
        assert (recent.to_addr, recent.subject) == ("recent@example.org", "Onderwerp")
        assert db.session.get(OutboxMessage, ids[2]) is None
        assert sweeps.clear_old_mail(now) == 0


def test_failed_logins_older_than_an_hour_are_swept_without_a_new_failure(app):
    with app.app_context():
        now = utcnow()
        db.session.add_all([LoginFailure(key="a", at=now - timedelta(minutes=61)),
                            LoginFailure(key="b", at=now - timedelta(minutes=59))])
        db.session.commit()
        assert sweeps.sweep_login_failures(now) == 1
        assert [f.key for f in db.session.scalars(select(LoginFailure))] == ["b"]


def test_expired_links_go_and_open_ones_and_accepted_invitations_stay(app, world):
    slug, lead = world.space()
    person = world.user()
    with app.app_context():
        now = utcnow()
        space_id = world.space_obj(slug).id
        db.session.add_all([
            PasswordReset(user_id=person.user_id, token_hash="r1", expires_at=now - DAY),
            PasswordReset(user_id=person.user_id, token_hash="r2", expires_at=now + DAY),
            EmailChange(user_id=person.user_id, new_email="n@example.org", token_hash="e1",
                        expires_at=now - DAY),
            EmailChange(user_id=person.user_id, new_email="m@example.org", token_hash="e2",
                        expires_at=now + DAY),
            Invitation(space_id=space_id, email="weg@example.org", token_hash="i1",
                       expires_at=now - DAY),
            Invitation(space_id=space_id, email="open@example.org", token_hash="i2",
                       expires_at=now + DAY)])
        db.session.commit()
        accepted = _count(Invitation, Invitation.accepted_at.is_not(None))
        assert sweeps.sweep_expired_tokens(now) == 3
        assert [r.token_hash for r in db.session.scalars(select(PasswordReset))] == ["r2"]
        assert [c.token_hash for c in db.session.scalars(select(EmailChange))] == ["e2"]
        assert _count(Invitation, Invitation.email == "weg@example.org") == 0
        assert _count(Invitation, Invitation.email == "open@example.org") == 1
        assert _count(Invitation, Invitation.accepted_at.is_not(None)) == accepted == 1


def test_sessions_ended_or_idle_for_a_month_are_swept(app, world):
    person = world.user()
    with app.app_context():
        now = utcnow()
        month = timedelta(days=sweeps.SESSION_KEEP_DAYS)
        db.session.add_all([
            UserSession(user_id=person.user_id, key_hash="ended-long-ago",
                        last_seen_at=now - month - DAY, ended_at=now - month - DAY),
            UserSession(user_id=person.user_id, key_hash="ended-recently",
                        last_seen_at=now - DAY, ended_at=now - DAY),
            UserSession(user_id=person.user_id, key_hash="idle", last_seen_at=now - month - DAY),
            UserSession(user_id=person.user_id, key_hash="active", last_seen_at=now)])
        db.session.commit()
        assert sweeps.sweep_sessions(now) == 2
        assert sorted(s.key_hash for s in db.session.scalars(select(UserSession))) == [
            "active", "ended-recently"]


def test_rows_of_exports_whose_file_is_gone_are_swept_after_a_month(app, world):
    person = world.user()
    with app.app_context():
        now = utcnow()
        old = now - timedelta(days=sweeps.EXPORT_ROW_DAYS) - DAY
        db.session.add_all([
            DataExport(user_id=person.user_id, status="expired", created_at=old),
            DataExport(user_id=person.user_id, status="failed", created_at=old),
            DataExport(user_id=person.user_id, status="ready", created_at=old),
            DataExport(user_id=person.user_id, status="expired", created_at=now - DAY)])
        db.session.commit()
        assert sweeps.sweep_export_rows(now) == 2
        assert _count(DataExport) == 2


def test_the_worker_round_runs_every_retention_job(app):
    from app.notify.worker import run_once

    with app.app_context():
        outcome = run_once()
    for job in ("rental_warnings", "spaces_purged", *(s.__name__ for s in sweeps.SWEEPS)):
        assert outcome[job] == 0
