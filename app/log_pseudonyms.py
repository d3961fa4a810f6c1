"""The one change the append-only logs (moderation log, record of access to notes) accept: a
name replaced by the pseudonym of a member who erased their data (app/erasure). Everything
else about a row stays as the database wrote it; DELETE keeps the rules of app/append_only.py."""
from __future__ import annotations

from sqlalchemy import DDL, Table, event

# Why an exception at all: the logs copy names so they outlive memberships, but a member's
# right to be forgotten (GDPR art. 17) covers their name too. What must be kept (who did
# what, when, why) stays; only the name becomes the pseudonym the erased membership now
# carries. The database checks that the new name IS that pseudonym, of a membership in the
# row's space whose account is erased, so the exception cannot be used to rewrite history.
NAME_COLUMNS = (("actor_name", "actor_id"), ("subject_name", "subject_id"))


def _name_allowed(name: str, id_column: str) -> str:
    return (f"(NEW.{name} = OLD.{name} OR EXISTS (SELECT 1 FROM memberships m "
            f"JOIN users u ON u.id = m.user_id WHERE m.id = NEW.{id_column} "
            f"AND m.space_id = NEW.space_id AND u.erased_at IS NOT NULL "
            f"AND m.display_name = NEW.{name}))")


def allowed_update(columns: list[str], dialect: str) -> str:
    """SQL, true when an UPDATE changes nothing but the names, each to an erased pseudonym."""
    same = "IS" if dialect == "sqlite" else "IS NOT DISTINCT FROM"
    names = {name for name, _ in NAME_COLUMNS}
    parts = [f"NEW.{c} {same} OLD.{c}" for c in columns if c not in names]
    parts += [_name_allowed(name, id_column) for name, id_column in NAME_COLUMNS]
    return " AND ".join(parts)


def postgresql_statements(name: str, columns: list[str]) -> list[str]:
    """The append-only function keeps guarding DELETE; UPDATE gets a guard of its own."""
    return [
        f"DROP TRIGGER IF EXISTS {name}_append_only ON {name}",
        f"""CREATE TRIGGER {name}_append_only BEFORE DELETE ON {name}
FOR EACH ROW EXECUTE FUNCTION {name}_append_only()""",
        f"""CREATE OR REPLACE FUNCTION {name}_pseudonyms_only() RETURNS trigger AS $$
BEGIN
    IF {allowed_update(columns, "postgresql")} THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{name} is append-only';
END;
$$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER {name}_pseudonyms_only BEFORE UPDATE ON {name}
FOR EACH ROW EXECUTE FUNCTION {name}_pseudonyms_only()""",
    ]


def sqlite_statements(name: str, columns: list[str]) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {name}_no_update",
        f"""CREATE TRIGGER {name}_no_update BEFORE UPDATE ON {name}
WHEN NOT ({allowed_update(columns, "sqlite")})
BEGIN SELECT RAISE(ABORT, '{name} is append-only'); END""",
    ]


def allow_pseudonyms(table: Table) -> None:
    """After make_append_only(table): let only the pseudonym update through (create_all; the
    migration 0024 runs the same statements)."""
    columns = [c.name for c in table.columns]
    for dialect, statements in (("postgresql", postgresql_statements(table.name, columns)),
                                ("sqlite", sqlite_statements(table.name, columns))):
        for statement in statements:
            event.listen(table, "after_create", DDL(statement).execute_if(dialect=dialect))
