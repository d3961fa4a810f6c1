"""retention: the rental warnings already sent, and the preference for them

Revision ID: 0022_retention
Revises: 0021_trust
Create Date: 2026-12-03 18:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022_retention'
down_revision = '0021_trust'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rental_warnings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('rental_end', sa.Date(), nullable=False),
    sa.Column('days_before', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_rental_warnings_space_id_spaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rental_warnings')),
    sa.UniqueConstraint('space_id', 'rental_end', 'days_before', name=op.f('uq_rental_warnings_space_id_rental_end_days_before'))
    )
    # Plain ADD COLUMN (no batch rebuild), with a default for the rows already there.
    op.add_column('notification_settings',
                  sa.Column('rental', sa.String(length=10), nullable=False,
                            server_default='direct'))


def downgrade():
    op.drop_column('notification_settings', 'rental')
    op.drop_table('rental_warnings')
