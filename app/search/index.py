"""The search index of posts, per dialect: an FTS5 table on SQLite, a tsvector table with a GIN
index (the `dutch` configuration) on PostgreSQL. Triggers on `posts` keep it in step with every
write, whichever service makes it (posting, editing, hiding, deleting, erasure, the purge's
cascade), so no service has to remember it. The migrations 0026_search and
0029_search_by_space create the same objects; these DDL events create them for
db.create_all() (the tests). A later SQLite batch migration
that rebuilds `posts` drops its triggers: it must create them again."""
from __future__ import annotations

from sqlalchemy import DDL, Table, event, text
from sqlalchemy.orm import Session

# A post is in the index while the whole group may read it. Thread-level states (a hidden or
# planned conversation) are checked when searching: they change without touching the posts.
_SEARCHABLE = ("NEW.number IS NOT NULL AND NEW.publish_at IS NULL AND NEW.deleted_at IS NULL"
               " AND NEW.hidden_at IS NULL AND NEW.erased_at IS NULL")
_WATCHED = "body, number, publish_at, deleted_at, hidden_at, erased_at, space_id"
# The markers the snippet functions put around a match (app/search/highlight.py turns them
# into <mark> after escaping); stripped from the indexed copy so a post cannot forge one.
START, STOP = "\x02", "\x03"

# Each post's space is a term of its own in the FTS5 index, so SQLite narrows a search to one
# space inside the index instead of reading every match of every space. The term cannot come
# out of a reader's words: FTS5 only sees it in the `space` column.
def sqlite_space_term(space_id: int) -> str:
    return f"s{int(space_id)}"


# prefix: FTS5 also indexes every word's first 3 and 4 letters, so a search ending in a short
# word ("fie", "werk") reads one list instead of merging those of every longer word (at 1 M
# posts: 60 ms → under 1 ms, for about 45 % more index; measured in bench/search.py).
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
]
SQLITE_BACKFILL = (
    "INSERT INTO post_search (rowid, space, body)"
    " SELECT id, 's' || space_id, replace(replace(body, char(2), ''), char(3), '') FROM posts"
    " WHERE " + _SEARCHABLE.replace("NEW.", ""))
SQLITE_DROP = ["DROP TRIGGER IF EXISTS post_search_insert",
               "DROP TRIGGER IF EXISTS post_search_update",
               "DROP TRIGGER IF EXISTS post_search_delete",
               "DROP TABLE IF EXISTS post_search"]

# PostgreSQL: every word is stored with its space in front ("12 fiets") and a search asks for
# "12 fiets" too, so the GIN index finds a word, above all a prefix ("12 fie":*), among the
# words of that one space. With the space as a separate term (or btree_gin's (space_id,
# document)) a prefix first gathers its matches in every space and only then narrows: at 1 M
# posts in 50 spaces "fie" read ~290,000 matches to keep 5,800 (16 ms; now 0.5 ms). The Dutch
# parser never yields a word with a space in it, so one space's words cannot begin like
# another's. No positions: nothing ranks by them (newest first), ts_headline reads the post.
# Both functions are IMMUTABLE, as to_tsvector with a fixed configuration is, so the planner
# folds a search into a constant and estimates it from the index's statistics; PL/pgSQL, which
# keeps its plans for the session, where SQL would plan the body again for every post the
# trigger indexes (bulk inserts: 4,500 posts/s in SQL, 8,400 so; 11,000 before, one term).
PG_FUNCTIONS = [
    r"""CREATE OR REPLACE FUNCTION post_search_document(space integer, body text)
RETURNS tsvector LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN array_to_tsvector(ARRAY(
        SELECT space || ' ' || lexeme FROM unnest(to_tsvector('dutch', body))));
END
$$""",
    # The reader's words through the same configuration, each lexeme quoted (quotes and
    # backslashes doubled, as tsquery's input wants), all required, the last one's as a
    # prefix if asked; NULL for stop words only ("de het"), which then matches nothing.
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
PG_SYNC = f"""CREATE OR REPLACE FUNCTION post_search_sync() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM post_search WHERE post_id = OLD.id;
    END IF;
    IF TG_OP <> 'DELETE' AND {_SEARCHABLE} THEN
        INSERT INTO post_search (post_id, space_id, document)
        VALUES (NEW.id, NEW.space_id, post_search_document(NEW.space_id, NEW.body));
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql"""
# fastupdate off: a search never reads through GIN's unsorted list of pending entries (up to
# 4 MB, read whole by every search until a vacuum merges it: 384 pages after the benchmark's
# seeding, 2.4 ms of a rare word's 2.8); posts arrive one at a time, and putting each into the
# index at once cost bulk inserts nothing measurable (8,400 posts/s against 8,000).
PG_INDEX = ("CREATE INDEX ix_post_search_document ON post_search USING gin (document)"
            " WITH (fastupdate = off)")
POSTGRESQL = [
    # Rows go with their post (and with their space in a purge) by the cascade as well.
    """CREATE TABLE post_search (
    post_id INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    space_id INTEGER NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    document TSVECTOR NOT NULL)""",
    PG_INDEX,
    *PG_FUNCTIONS,
    PG_SYNC,
    f"""CREATE TRIGGER post_search_sync AFTER INSERT OR DELETE OR UPDATE OF {_WATCHED} ON posts
FOR EACH ROW EXECUTE FUNCTION post_search_sync()""",
]
POSTGRESQL_BACKFILL = (
    "INSERT INTO post_search (post_id, space_id, document)"
    " SELECT id, space_id, post_search_document(space_id, body) FROM posts"
    " WHERE " + _SEARCHABLE.replace("NEW.", ""))
POSTGRESQL_DROP = ["DROP TRIGGER IF EXISTS post_search_sync ON posts",
                   "DROP FUNCTION IF EXISTS post_search_sync()",
                   "DROP TABLE IF EXISTS post_search",
                   "DROP FUNCTION IF EXISTS post_search_query(integer, text[], boolean)",
                   "DROP FUNCTION IF EXISTS post_search_document(integer, text)"]

# Tables the index consists of (FTS5 keeps its own shadow tables beside it). They are not
# models: the comparison of models and migrations leaves them out (migrations/env.py).
OUTSIDE_MODELS = frozenset({"post_search", "post_search_data", "post_search_idx",
                            "post_search_content", "post_search_docsize",
                            "post_search_config"})


def include_name(name, type_, parent_names) -> bool:
    """Alembic's filter: compare everything but the search index."""
    return not (type_ == "table" and name in OUTSIDE_MODELS)


def keep_search_index(posts: Table) -> None:
    """Create the index and its triggers whenever the posts table is created."""
    for dialect, statements in (("sqlite", SQLITE), ("postgresql", POSTGRESQL)):
        for statement in statements:
            event.listen(posts, "after_create", DDL(statement).execute_if(dialect=dialect))
    # db.drop_all() drops posts: its index goes first (PostgreSQL's holds a foreign key).
    for dialect, statements in (("sqlite", SQLITE_DROP), ("postgresql", POSTGRESQL_DROP)):
        for statement in statements:
            event.listen(posts, "before_drop", DDL(statement).execute_if(dialect=dialect))


def forget_removed_words(session: Session) -> None:
    """Removing a post from FTS5 (before SQLite 3.42's secure-delete) only marks it gone: its
    words stay in the index's segments until they are merged. After an erasure, a purge or
    the wipe of deleted posts, merge them now, so that (with PRAGMA secure_delete zeroing the
    freed pages) the database file keeps none of the words. PostgreSQL's rows go with the post."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("INSERT INTO post_search (post_search) VALUES ('optimize')"))
