"""Tables the app only ever appends to (the moderation log, the record of access to notes, the
audit trail): triggers refuse UPDATE and DELETE in the database itself. Each table names the
one DELETE it lets through (by default: the row's space is already gone, the cascade of
purging a space). The migrations create the same triggers; these DDL events create them for
db.create_all() (the tests)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import DDL, Table, event


@dataclass(frozen=True)
class DeleteWhen:
    """The condition on OLD under which a DELETE passes, per dialect."""
    postgresql: str
    sqlite: str


SPACE_GONE = DeleteWhen(
    postgresql="NOT EXISTS (SELECT 1 FROM spaces WHERE id = OLD.space_id)",
    sqlite="NOT EXISTS (SELECT 1 FROM spaces WHERE id = OLD.space_id)",
)


def older_than(column: str, days: int) -> DeleteWhen:
    """Rows whose `column` (naive UTC, as Kring stores it) lies more than `days` days back:
    the floor below which no retention setting can reach."""
    return DeleteWhen(
        postgresql=f"OLD.{column} < (now() AT TIME ZONE 'UTC') - interval '{int(days)} days'",
        # SQLite keeps "YYYY-MM-DD HH:MM:SS.ffffff" text, which sorts like the moment itself.
        sqlite=f"OLD.{column} < datetime('now', '-{int(days)} days')",
    )


def postgresql_triggers(name: str, when: DeleteWhen = SPACE_GONE) -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION {name}_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND {when.postgresql} THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '{name} is append-only';
END;
$$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER {name}_append_only BEFORE UPDATE OR DELETE ON {name}
FOR EACH ROW EXECUTE FUNCTION {name}_append_only()""",
    ]


def sqlite_triggers(name: str, when: DeleteWhen = SPACE_GONE) -> list[str]:
    return [
        f"""CREATE TRIGGER {name}_no_update BEFORE UPDATE ON {name}
BEGIN SELECT RAISE(ABORT, '{name} is append-only'); END""",
        f"""CREATE TRIGGER {name}_no_delete BEFORE DELETE ON {name}
WHEN NOT ({when.sqlite})
BEGIN SELECT RAISE(ABORT, '{name} is append-only'); END""",
    ]


def make_append_only(table: Table, delete_when: DeleteWhen = SPACE_GONE) -> None:
    """Give `table` its triggers whenever it is created. Without `delete_when` the table needs
    a space_id column (the purge's cascade is its one DELETE)."""
    for dialect, statements in (("postgresql", postgresql_triggers(table.name, delete_when)),
                                ("sqlite", sqlite_triggers(table.name, delete_when))):
        for statement in statements:
            event.listen(table, "after_create", DDL(statement).execute_if(dialect=dialect))
