"""search within a space: the posts' search index (FTS5 on SQLite, a Dutch tsvector with a GIN
index on PostgreSQL), its triggers on posts, and the posts the group can read filled in

Revision ID: 0026_search
Revises: 0025_audit_append_only
Create Date: 2026-12-04 16:00:00

"""
from alembic import op

# The objects as app/search/index.py gives them to db.create_all() (copied, so that this
# migration stays as it is when that module changes).
_SEARCHABLE = ("NEW.number IS NOT NULL AND NEW.publish_at IS NULL AND NEW.deleted_at IS NULL"
               " AND NEW.hidden_at IS NULL AND NEW.erased_at IS NULL")
_WATCHED = "body, number, publish_at, deleted_at, hidden_at, erased_at, space_id"

SQLITE = [
    """CREATE VIRTUAL TABLE post_search USING fts5(
    space, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '3 4')""",
    f"""CREATE TRIGGER post_search_insert AFTER INSERT ON posts WHEN {_SEARCHABLE}
BEGIN
    INSERT INTO post_search (rowid, space, body)
    VALUES (NEW.id, 's' || NEW.space_id, replace(replace(NEW.body, char(2), ''), char(3), ''));
END""",
    f"""CREATE TRIGGER post_search_update AFTER UPDATE OF {_WATCHED} ON posts
BEGIN
    DELETE FROM post_search WHERE rowid = OLD.id;
    INSERT INTO post_search (rowid, space, body)
    SELECT NEW.id, 's' || NEW.space_id, replace(replace(NEW.body, char(2), ''), char(3), '')
    WHERE {_SEARCHABLE};
END""",
    """CREATE TRIGGER post_search_delete AFTER DELETE ON posts
BEGIN
    DELETE FROM post_search WHERE rowid = OLD.id;
END""",
    "INSERT INTO post_search (rowid, space, body)"
    " SELECT id, 's' || space_id, replace(replace(body, char(2), ''), char(3), '') FROM posts"
    " WHERE " + _SEARCHABLE.replace("NEW.", ""),
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS post_search_insert",
               "DROP TRIGGER IF EXISTS post_search_update",
               "DROP TRIGGER IF EXISTS post_search_delete",
               "DROP TABLE IF EXISTS post_search"]

_PG_DOCUMENT = ("to_tsvector('dutch', {row}body)"
                " || array_to_tsvector(ARRAY['#space ' || {row}space_id])")
POSTGRESQL = [
    """CREATE TABLE post_search (
    post_id INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    space_id INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    document TSVECTOR NOT NULL)""",
    "CREATE INDEX ix_post_search_document ON post_search USING gin (document)",
    f"""CREATE OR REPLACE FUNCTION post_search_sync() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM post_search WHERE post_id = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' AND {_SEARCHABLE} THEN
        INSERT INTO post_search (post_id, space_id, document)
        VALUES (NEW.id, NEW.space_id, {_PG_DOCUMENT.format(row="NEW.")});
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER post_search_sync AFTER INSERT OR DELETE OR UPDATE OF {_WATCHED} ON posts
FOR EACH ROW EXECUTE FUNCTION post_search_sync()""",
    "INSERT INTO post_search (post_id, space_id, document)"
    f" SELECT id, space_id, {_PG_DOCUMENT.format(row='')} FROM posts"
    " WHERE " + _SEARCHABLE.replace("NEW.", ""),
]
POSTGRESQL_DROP = ["DROP TRIGGER IF EXISTS post_search_sync ON posts",
                   "DROP FUNCTION IF EXISTS post_search_sync()",
                   "DROP TABLE IF EXISTS post_search"]

revision = '0026_search'
down_revision = '0025_audit_append_only'
branch_labels = None
depends_on = None


def _run(statements):
    for statement in statements:
        op.execute(statement)


def upgrade():
    _run(POSTGRESQL if op.get_bind().dialect.name == "postgresql" else SQLITE)


def downgrade():
    _run(POSTGRESQL_DROP if op.get_bind().dialect.name == "postgresql" else SQLITE_DROP)
