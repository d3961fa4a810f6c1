"""Tables the app only ever appends to (the moderation log, the record of access to notes):
triggers refuse UPDATE and DELETE in the database itself. A DELETE is let through only when
the row's space is already gone: the cascade of purging a space. The migrations create the
same triggers; these DDL events create them for db.create_all() (the tests)."""
from __future__ import annotations

from sqlalchemy import DDL, Table, event


def _postgresql(name: str) -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION {name}_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM spaces WHERE id = OLD.space_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '{name} is append-only';
END;
$$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER {name}_append_only BEFORE UPDATE OR DELETE ON {name}
FOR EACH ROW EXECUTE FUNCTION {name}_append_only()""",
    ]


def _sqlite(name: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {name}_no_update BEFORE UPDATE ON {name}
BEGIN SELECT RAISE(ABORT, '{name} is append-only'); END""",
        f"""CREATE TRIGGER {name}_no_delete BEFORE DELETE ON {name}
WHEN EXISTS (SELECT 1 FROM spaces WHERE id = OLD.space_id)
BEGIN SELECT RAISE(ABORT, '{name} is append-only'); END""",
    ]


def make_append_only(table: Table) -> None:
    """Give `table` (with a space_id column) its triggers whenever it is created."""
    for dialect, statements in (("postgresql", _postgresql(table.name)),
                                ("sqlite", _sqlite(table.name))):
        for statement in statements:
            event.listen(table, "after_create", DDL(statement).execute_if(dialect=dialect))
