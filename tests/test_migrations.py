"""`flask db upgrade` builds the schema from an empty database on SQLite and PostgreSQL, and
the migrations agree with the models (a model change without a migration fails here)."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    if request.param == "postgresql":
        return request.getfixturevalue("pg_cluster").create_database("kring_migrations")
    return f"sqlite:///{tmp_path / 'migrations.db'}"


def _differences(app, metadata=None):
    from app.search.index import include_name  # the search index is no model (see there)

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                               "include_name": include_name})
        return compare_metadata(context, metadata if metadata is not None else db.metadata)


def test_upgrade_from_empty_database_matches_the_models(empty_database_url):
    app = create_app("test", DATABASE_URL=empty_database_url)
    with app.app_context():
        upgrade()
        assert _differences(app) == []
        tables = set(db.inspect(db.engine).get_table_names())
        assert {"users", "spaces", "memberships", "threads", "posts", "outbox"} <= tables
        db.engine.dispose()


def test_downgrade_to_base_and_upgrade_again(empty_database_url):
    app = create_app("test", DATABASE_URL=empty_database_url)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(db.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        assert "post_search" not in db.inspect(db.engine).get_table_names()
        upgrade()
        assert _differences(app) == []
        db.engine.dispose()


def test_a_model_without_migration_is_detected(empty_database_url):
    """The check above can fail: a column added to the metadata only shows up as a difference."""
    import sqlalchemy as sa

    app = create_app("test", DATABASE_URL=empty_database_url)
    with app.app_context():
        upgrade()
        changed = sa.MetaData()
        for table in db.metadata.sorted_tables:
            table.to_metadata(changed)
        changed.tables["spaces"].append_column(sa.Column("not_migrated", sa.Integer))
        assert any(diff[0] == "add_column" for diff in _differences(app, changed))
        db.engine.dispose()


def test_upgrades_and_downgrades_keep_existing_rows(empty_database_url):
    """Batch migrations copy tables on SQLite; rows (and their children) must survive."""
    from sqlalchemy import text

    app = create_app("test", DATABASE_URL=empty_database_url)
    with app.app_context():
        upgrade(revision="0001_foundation")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO outbox (id, to_addr, subject, body_text, body_html, status, attempts,"
                " created_at, next_attempt_at, last_error) VALUES (1, 'a@example.org', 's', 't',"
                " 'h', 'pending', 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00', '')"))
        upgrade()
        downgrade(revision="0001_foundation")
        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT to_addr FROM outbox")).scalars().all() == ["a@example.org"]
        db.engine.dispose()


def test_mail_queued_before_render_later_keeps_its_rendered_body(empty_database_url):
    """0007 moves rendering to the mailer; a row queued before it keeps its bodies (and no
    context), so the mailer sends it as it was rendered."""
    from sqlalchemy import text

    app = create_app("test", DATABASE_URL=empty_database_url)
    with app.app_context():
        upgrade(revision="0006_invitation_mail")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO outbox (id, kind, to_addr, subject, body_text, body_html, headers,"
                " status, attempts, created_at, next_attempt_at, claimed_by, last_error) VALUES"
                " (7, 'invitation', 'a@example.org', 's', 't', 'h', '', 'pending', 0,"
                " '2026-01-01 00:00:00', '2026-01-01 00:00:00', '', '')"))
        upgrade()
        with db.engine.connect() as connection:
            row = connection.execute(text(
                "SELECT subject, body_text, body_html, context, locale FROM outbox")).one()
        assert tuple(row) == ("s", "t", "h", None, "nl")
        db.engine.dispose()



def test_the_search_index_is_filled_with_the_posts_the_group_can_read(empty_database_url):
    """0026 fills the index from the posts already there (written through the services on
    the schema before it): published, not deleted, hidden or erased ones; downgrading
    removes the index and its triggers, and posts written then stay out of it."""
    from sqlalchemy import text, update

    from app.database import utcnow
    from app.forum.models import Post
    from app.search import queries
    from tests.conftest import World

    app = create_app("test", DATABASE_URL=empty_database_url)
    world = World(app)
    with app.app_context():
        upgrade(revision="0025_audit_append_only")
    slug, lead = world.space()
    thread = world.thread(slug, lead, body="Een fiets om te vinden")
    states = {state: world.reply(slug, thread, lead, f"Fiets {state}")
              for state in ("deleted_at", "hidden_at", "erased_at", "publish_at")}
    with app.app_context():
        for column, post_id in states.items():
            db.session.execute(update(Post).where(Post.id == post_id).values(
                {column: utcnow(), **({"number": None} if column == "publish_at" else {})}))
        db.session.commit()
        db.session.remove()
        upgrade()
        actor, space = world.actor(lead.user_id), world.space_obj(slug)
        found = queries.search_posts(actor, space, "fiets").results
        assert [r.post_id for r in found] == [world.first_post_id(thread)]
        db.session.remove()  # its open transaction would hold up the DROP on PostgreSQL
        downgrade(revision="0025_audit_append_only")
        assert "post_search" not in db.inspect(db.engine).get_table_names()
        db.session.remove()
    world.reply(slug, thread, lead, "Na het terugdraaien")  # no trigger left to fail
    with app.app_context():
        upgrade()
        actor, space = world.actor(lead.user_id), world.space_obj(slug)
        assert len(queries.search_posts(actor, space, "terugdraaien").results) == 1
        db.session.remove()
        db.engine.dispose()


def test_0029_keeps_postgresql_words_by_space_and_downgrades_to_a_space_term(
        empty_database_url):
    """0029 rebuilds PostgreSQL's documents from the posts, each word with its space in front,
    in an index without fastupdate; downgrading brings back the separate space term. SQLite's
    index is left as it is; a prefix finds the post on both."""
    from sqlalchemy import text

    from app.search import queries
    from tests.conftest import World

    app = create_app("test", DATABASE_URL=empty_database_url)
    world = World(app)
    with app.app_context():
        upgrade(revision="0028_reply_indexes")
    slug, lead = world.space()
    thread = world.thread(slug, lead, body="Een fiets om te vinden")

    def one(sql: str):
        return db.session.execute(text(sql)).scalar_one()

    with app.app_context():
        upgrade()
        actor, space = world.actor(lead.user_id), world.space_obj(slug)
        found = queries.search_posts(actor, space, "fie").results
        assert [r.post_id for r in found] == [world.first_post_id(thread)]
        postgresql = db.engine.dialect.name == "postgresql"
        if postgresql:
            assert f"'{space.id} fiet'" in one("SELECT document::text FROM post_search")
            assert one("SELECT array_to_string(reloptions, ',') FROM pg_class"
                       " WHERE relname = 'ix_post_search_document'") == "fastupdate=off"
        db.session.remove()  # its open transaction would hold up the DROP on PostgreSQL
        downgrade(revision="0028_reply_indexes")
        if postgresql:
            document = one("SELECT document::text FROM post_search")
            assert f"'#space {space.id}'" in document and "'fiet':" in document
            assert one("SELECT to_regprocedure('post_search_query(integer,text[],boolean)')"
                       " IS NULL")
        db.session.remove()
        db.engine.dispose()
