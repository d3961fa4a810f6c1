"""identity: display-name keys unique among active members, editable and removable titles

Revision ID: 0003_identity
Revises: 0002_notifications
Create Date: 2026-12-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa

# The key function is pure (stdlib and the Unicode confusables table, no app state); a later
# change to it must come with its own migration that recomputes the keys.
from app.spaces.names import name_key

revision = '0003_identity'
down_revision = '0002_notifications'
branch_labels = None
depends_on = None

ACTIVE = sa.text("ended_at IS NULL")


def _fill_name_keys(connection) -> None:
    """Every membership gets the key of its display name. Active look-alikes that already
    share a space (only case was compared before) keep their names: the first keeps the key,
    later ones get a key suffixed with their id, so the new unique index can be built."""
    rows = connection.execute(sa.text(
        "SELECT id, space_id, display_name, ended_at FROM memberships ORDER BY id")).all()
    taken = set()
    for membership_id, space_id, display_name, ended_at in rows:
        key = name_key(display_name)
        if ended_at is None:
            if (space_id, key) in taken:
                key = f"{key[:240]}#{membership_id}"
            taken.add((space_id, key))
        connection.execute(sa.text("UPDATE memberships SET name_key = :key WHERE id = :id"),
                           {"key": key, "id": membership_id})


def upgrade():
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=255), nullable=True))
    _fill_name_keys(op.get_bind())
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.alter_column('name_key', existing_type=sa.String(length=255), nullable=False)
        batch_op.create_index('uq_memberships_active_name_key', ['space_id', 'name_key'],
                              unique=True, sqlite_where=ACTIVE, postgresql_where=ACTIVE)

    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_edited_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('title_removed_at', sa.DateTime(), nullable=True))

    op.create_table('thread_title_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('replaced_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['replaced_by_id'], ['memberships.id'], name=op.f('fk_thread_title_revisions_replaced_by_id_memberships'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_thread_title_revisions_space_id_spaces'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_thread_title_revisions_thread_id_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_thread_title_revisions'))
    )
    with op.batch_alter_table('thread_title_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_thread_title_revisions_space_id'), ['space_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_thread_title_revisions_thread_id'), ['thread_id'], unique=False)


def downgrade():
    with op.batch_alter_table('thread_title_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_thread_title_revisions_thread_id'))
        batch_op.drop_index(batch_op.f('ix_thread_title_revisions_space_id'))
    op.drop_table('thread_title_revisions')

    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_column('title_removed_at')
        batch_op.drop_column('title_edited_at')

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index('uq_memberships_active_name_key')
        batch_op.drop_column('name_key')
