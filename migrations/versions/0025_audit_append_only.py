"""audit trail append-only: the database refuses every UPDATE of audit_events and every
DELETE of an event younger than 30 days (the retention sweep deletes only older ones)

Revision ID: 0025_audit_append_only
Revises: 0024_erasure
Create Date: 2026-12-03 18:40:00

"""
from alembic import op

# The triggers as app/append_only.py gives them to db.create_all() (copied, so that this
# migration stays as it is when that module changes).
PG_APPEND_ONLY = [
    """CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.at < (now() AT TIME ZONE 'UTC') - interval '30 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()""",
]
PG_DROP = ["DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events",
           "DROP FUNCTION IF EXISTS audit_events_append_only()"]
SQLITE_APPEND_ONLY = [
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
WHEN NOT (OLD.at < datetime('now', '-30 days'))
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_events_no_update",
               "DROP TRIGGER IF EXISTS audit_events_no_delete"]

revision = '0025_audit_append_only'
down_revision = '0024_erasure'
branch_labels = None
depends_on = None


def _run(statements):
    for statement in statements:
        op.execute(statement)


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        _run(PG_APPEND_ONLY)
    else:
        _run(SQLITE_APPEND_ONLY)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        _run(PG_DROP)
    else:
        _run(SQLITE_DROP)
