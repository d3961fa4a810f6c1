"""search by space on PostgreSQL: each word of the index stored with its post's space in front
("12 fiets"), so a search, above all a prefix, reads only that space's part of the GIN index;
the index without fastupdate, so no search reads a list of pending entries. The documents are
rebuilt from the posts. SQLite's FTS5 index already keeps the space as a term: nothing changes
there.

Revision ID: 0029_search_by_space
Revises: 0028_reply_indexes
Create Date: 2026-12-05 10:00:00

"""
from alembic import op

revision = '0029_search_by_space'
down_revision = '0028_reply_indexes'
branch_labels = None
depends_on = None

# The objects as app/search/index.py gives them to db.create_all() (copied, so that this
# migration stays as it is when that module changes).
_SEARCHABLE = ("NEW.number IS NOT NULL AND NEW.publish_at IS NULL AND NEW.deleted_at IS NULL"
               " AND NEW.hidden_at IS NULL AND NEW.erased_at IS NULL")

FUNCTIONS = [
    r"""CREATE OR REPLACE FUNCTION post_search_document(space integer, body text)
RETURNS tsvector LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN array_to_tsvector(ARRAY(
        SELECT space || ' ' || lexeme FROM unnest(to_tsvector('dutch', body))));
END
$$""",
    r"""CREATE OR REPLACE FUNCTION post_search_query(space integer, words text[], prefix boolean)
RETURNS tsquery LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN (SELECT string_agg(
        '''' || replace(replace(space || ' ' || lexeme, '\', '\\'), '''', '''''') || ''''
            || CASE WHEN prefix AND w.n = cardinality(words) THEN ':*' ELSE '' END,
        ' & ')::tsquery
    FROM unnest(words) WITH ORDINALITY AS w (word, n),
         unnest(to_tsvector('dutch', w.word)) AS l);
END
$$""",
]
DROP_FUNCTIONS = ["DROP FUNCTION post_search_query(integer, text[], boolean)",
                  "DROP FUNCTION post_search_document(integer, text)"]

_SYNC = """CREATE OR REPLACE FUNCTION post_search_sync() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM post_search WHERE post_id = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' AND {searchable} THEN
        INSERT INTO post_search (post_id, space_id, document)
        VALUES (NEW.id, NEW.space_id, {document});
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql"""
NEW_DOCUMENT = "post_search_document({row}space_id, {row}body)"
OLD_DOCUMENT = ("to_tsvector('dutch', {row}body)"
                " || array_to_tsvector(ARRAY['#space ' || {row}space_id])")


def _rebuild(document: str, index_options: str) -> None:
    """Every document again from the posts: emptied and filled rather than updated (no dead
    rows left behind), with the index built once at the end rather than row by row."""
    op.execute(_SYNC.format(searchable=_SEARCHABLE, document=document.format(row="NEW.")))
    op.execute("DROP INDEX ix_post_search_document")
    op.execute("TRUNCATE post_search")
    op.execute("INSERT INTO post_search (post_id, space_id, document)"
               f" SELECT id, space_id, {document.format(row='')} FROM posts"
               " WHERE " + _SEARCHABLE.replace("NEW.", ""))
    op.execute("CREATE INDEX ix_post_search_document ON post_search USING gin (document)"
               + index_options)


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in FUNCTIONS:
        op.execute(statement)
    _rebuild(NEW_DOCUMENT, " WITH (fastupdate = off)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    _rebuild(OLD_DOCUMENT, "")
    for statement in DROP_FUNCTIONS:
        op.execute(statement)
