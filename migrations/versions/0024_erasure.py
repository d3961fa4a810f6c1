"""erasure: the append-only logs accept one UPDATE, an erased member's pseudonym

Revision ID: 0024_erasure
Revises: 0023_sessions
Create Date: 2026-12-03 19:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0024_erasure'
down_revision = '0023_sessions'
branch_labels = None
depends_on = None

# The columns of both logs as they stand at this revision (a migration is a snapshot: it does
# not read the models). app/log_pseudonyms.py says why the exception exists.
COLUMNS = {
    "moderation_log": ["id", "space_id", "created_at", "action", "actor_id", "actor_name",
                       "subject_id", "subject_name", "case_id", "thread_id", "post_id",
                       "reason", "detail"],
    "note_access_log": ["id", "space_id", "created_at", "kind", "actor_id", "actor_name",
                        "subject_id", "subject_name", "note_count"],
}
NAMES = (("actor_name", "actor_id"), ("subject_name", "subject_id"))


def _allowed(columns, dialect):
    same = "IS" if dialect == "sqlite" else "IS NOT DISTINCT FROM"
    parts = [f"NEW.{c} {same} OLD.{c}" for c in columns if c not in ("actor_name", "subject_name")]
    for name, id_column in NAMES:
        parts.append(f"(NEW.{name} = OLD.{name} OR EXISTS (SELECT 1 FROM memberships m "
                     f"JOIN users u ON u.id = m.user_id WHERE m.id = NEW.{id_column} "
                     f"AND m.space_id = NEW.space_id AND u.erased_at IS NOT NULL "
                     f"AND m.display_name = NEW.{name}))")
    return " AND ".join(parts)


def _upgrade_statements(name, dialect):
    columns = COLUMNS[name]
    if dialect == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {name}_append_only ON {name}",
            f"CREATE TRIGGER {name}_append_only BEFORE DELETE ON {name} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}_append_only()",
            f"""CREATE OR REPLACE FUNCTION {name}_pseudonyms_only() RETURNS trigger AS $$
BEGIN
    IF {_allowed(columns, dialect)} THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{name} is append-only';
END;
$$ LANGUAGE plpgsql""",
            f"CREATE TRIGGER {name}_pseudonyms_only BEFORE UPDATE ON {name} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}_pseudonyms_only()",
        ]
    return [
        f"DROP TRIGGER IF EXISTS {name}_no_update",
        f"""CREATE TRIGGER {name}_no_update BEFORE UPDATE ON {name}
WHEN NOT ({_allowed(columns, dialect)})
BEGIN SELECT RAISE(ABORT, '{name} is append-only'); END""",
    ]


def _downgrade_statements(name, dialect):
    if dialect == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {name}_pseudonyms_only ON {name}",
            f"DROP FUNCTION IF EXISTS {name}_pseudonyms_only()",
            f"DROP TRIGGER IF EXISTS {name}_append_only ON {name}",
            f"CREATE TRIGGER {name}_append_only BEFORE UPDATE OR DELETE ON {name} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}_append_only()",
        ]
    return [
        f"DROP TRIGGER IF EXISTS {name}_no_update",
        f"""CREATE TRIGGER {name}_no_update BEFORE UPDATE ON {name}
BEGIN SELECT RAISE(ABORT, '{name} is append-only'); END""",
    ]


def upgrade():
    dialect = op.get_bind().dialect.name
    for name in COLUMNS:
        for statement in _upgrade_statements(name, dialect):
            op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for name in COLUMNS:
        for statement in _downgrade_statements(name, dialect):
            op.execute(statement)
