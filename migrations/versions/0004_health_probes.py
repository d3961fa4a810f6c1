"""health probes: the table /healthz writes to (and rolls back) to see that writes work

Revision ID: 0004_health_probes
Revises: 0003_identity
Create Date: 2026-12-03 12:00:00

Only a new, always empty table: no existing table is rebuilt.
"""
from alembic import op
import sqlalchemy as sa


revision = '0004_health_probes'
down_revision = '0003_identity'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('health_probes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('probed_at', sa.DateTime(), nullable=False),
    sa.Column('filler', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_health_probes'))
    )


def downgrade():
    op.drop_table('health_probes')
