"""Ids that appear in links and emails are never handed out twice: a deleted row's id is not
reused (SQLite needs AUTOINCREMENT for that; PostgreSQL sequences never go back), in the
models and after `flask db upgrade`."""
from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import delete, func, select, text

from app import create_app
from app.extensions import db
from app.forum.models import Post, Thread
from app.notify.models import Notification
from app.notify.outbox import OutboxMessage

# Every table whose id is in a URL (/s/<slug>/t/<id>, /notifications/<id>, members and
# invitations by id) or an email (notification links, Message-ID), or in the session cookie.
NEVER_REUSED = {"users", "spaces", "memberships", "invitations", "agreements", "threads",
                "posts", "post_revisions", "notifications", "outbox",
                # Moderation: cases are in URLs; flags, notices and log rows are named by id
                # in the log and its CSV export.
                "moderation_cases", "flags", "member_notices", "moderation_log",
                # Uploads: /s/<slug>/files/<id>/<name>.
                "uploads",
                # The library: items and the group's own categories are in URLs.
                "library_items", "library_categories", "meetings", "meeting_series",
                # Evaluation and notes: questionnaires and notes are in URLs; the notes'
                # access record names rows by id like the moderation log.
                "questionnaires", "member_notes", "note_access_log",
                # The facilitators' line: read positions compare message ids.
                "line_conversations", "line_messages",
                # Periods away: /s/<slug>/meetings/away/<id>/remove.
                "away_periods",
                # Intake: registrations are in the facilitators' URLs.
                "registrations",
                # Trust: sessions and exports are in URLs (end this session, download this
                # export); audit events are named by id in the CSV export.
                "user_sessions", "data_exports", "audit_events"}


def _max_id(model) -> int:
    return db.session.scalar(select(func.max(model.id))) or 0


def test_a_deleted_notifications_id_is_never_given_to_the_next_one(app, world):
    slug, lead = world.space()
    member = world.member(slug, lead)
    thread_id = world.thread(slug, lead)
    world.reply(slug, thread_id, member, "Eerste antwoord")
    with world.ctx():
        old = _max_id(Notification), _max_id(OutboxMessage)
        # The newest rows go (a deleted post takes its notification and mail along).
        db.session.execute(delete(Notification))
        db.session.execute(delete(OutboxMessage))
        db.session.commit()
    world.reply(slug, thread_id, member, "Tweede antwoord")
    with world.ctx():
        new = (db.session.scalar(select(func.min(Notification.id))),
               db.session.scalar(select(func.min(OutboxMessage.id))))
    assert new[0] > old[0] and new[1] > old[1]


def test_a_deleted_threads_and_posts_ids_are_never_given_to_the_next_ones(app, world):
    slug, lead = world.space()
    thread_id = world.thread(slug, lead)
    post_id = world.first_post_id(thread_id)
    with world.ctx():
        db.session.execute(delete(Post).where(Post.thread_id == thread_id))
        db.session.execute(delete(Thread).where(Thread.id == thread_id))
        db.session.commit()
    again = world.thread(slug, lead)
    assert again > thread_id
    assert world.first_post_id(again) > post_id


def test_every_table_with_ids_in_links_uses_autoincrement_in_the_models():
    marked = {table.name for table in db.metadata.sorted_tables
              if table.dialect_options["sqlite"]["autoincrement"]}
    assert marked == NEVER_REUSED


def test_migrated_sqlite_database_never_reuses_ids(tmp_path):
    """A batch migration rebuilds a SQLite table from reflection, which does not see
    AUTOINCREMENT: a later migration that forgets table_kwargs fails here."""
    app = create_app("test", DATABASE_URL=f"sqlite:///{tmp_path / 'ids.db'}")
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            tables = dict(connection.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all())
            indexes = dict(connection.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")).all())
        db.engine.dispose()
    for name in NEVER_REUSED:
        assert "AUTOINCREMENT" in tables[name].upper(), name
    # The rebuilt tables kept their partial indexes (a copy must not widen them).
    assert indexes["uq_memberships_active_name_key"].endswith("WHERE ended_at IS NULL")
