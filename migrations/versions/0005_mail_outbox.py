"""mail: outbox kind and notification link; ids never reused on SQLite

Revision ID: 0005_mail_outbox
Revises: 0004_health_probes
Create Date: 2026-12-03 10:00:00

The outbox gets the kind of mail (listed by `flask kring outbox`) and a link to the
notification a direct mail is about (ON DELETE CASCADE: a deleted post's pending mail goes
with its notifications). On SQLite, every table whose id appears in a URL or an email is
rebuilt with AUTOINCREMENT so a deleted row's id is never handed out again; PostgreSQL
sequences never reuse values, so nothing changes there.

A later batch migration on one of these tables must pass
table_kwargs={"sqlite_autoincrement": True} (SQLite reflection does not see AUTOINCREMENT);
tests/test_ids.py fails if it does not.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005_mail_outbox'
down_revision = '0004_health_probes'
branch_labels = None
depends_on = None

NEVER_REUSED = ("users", "spaces", "memberships", "invitations", "agreements", "threads",
                "posts", "post_revisions", "notifications", "outbox")


def _rebuild(autoincrement: bool, change_outbox):
    """SQLite: copy each table into a new one with (or without) AUTOINCREMENT."""
    for name in NEVER_REUSED:
        with op.batch_alter_table(name, recreate="always",
                                  table_kwargs={"sqlite_autoincrement": autoincrement}) as batch_op:
            if name == "outbox":
                change_outbox(batch_op)


def _outbox_up(batch_op):
    batch_op.add_column(sa.Column('kind', sa.String(length=30), nullable=False, server_default=''))
    batch_op.add_column(sa.Column('notification_id', sa.Integer(), nullable=True))
    batch_op.create_index(batch_op.f('ix_outbox_notification_id'), ['notification_id'], unique=False)
    batch_op.create_foreign_key(batch_op.f('fk_outbox_notification_id_notifications'),
                                'notifications', ['notification_id'], ['id'], ondelete='CASCADE')


def _outbox_down(batch_op):
    batch_op.drop_constraint(batch_op.f('fk_outbox_notification_id_notifications'), type_='foreignkey')
    batch_op.drop_index(batch_op.f('ix_outbox_notification_id'))
    batch_op.drop_column('notification_id')
    batch_op.drop_column('kind')


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(True, _outbox_up)
    else:
        with op.batch_alter_table('outbox', schema=None) as batch_op:
            _outbox_up(batch_op)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        _rebuild(False, _outbox_down)
    else:
        with op.batch_alter_table('outbox', schema=None) as batch_op:
            _outbox_down(batch_op)
