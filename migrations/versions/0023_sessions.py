"""sessions: the browsers an account has used; server-side sessions replace the epoch

Revision ID: 0023_sessions
Revises: 0022_retention
Create Date: 2026-12-03 19:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023_sessions'
down_revision = '0022_retention'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('known_devices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('device_hash', sa.String(length=64), nullable=False),
    sa.Column('first_seen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_known_devices_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_known_devices')),
    sa.UniqueConstraint('user_id', 'device_hash', name=op.f('uq_known_devices_user_id_device_hash'))
    )
    # Sessions are rows now (user_sessions): the epoch every cookie had to match goes. A
    # plain DROP COLUMN (SQLite 3.35+), no batch rebuild of users.
    op.drop_column('users', 'session_epoch')


def downgrade():
    op.add_column('users', sa.Column('session_epoch', sa.Integer(), nullable=False,
                                     server_default='0'))
    op.drop_table('known_devices')
