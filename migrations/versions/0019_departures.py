"""departures: a member's planned last meeting and farewell thread, and the choice to be
shown as "oud-deelnemer" after leaving

Revision ID: 0019_departures
Revises: 0018_away_period_ids
Create Date: 2026-12-03 16:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0019_departures'
down_revision = '0018_away_period_ids'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'departures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('membership_id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=True),
        sa.Column('farewell_thread_id', sa.Integer(), nullable=True),
        sa.Column('planned_by_id', sa.Integer(), nullable=True),
        sa.Column('planned_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['farewell_thread_id'], ['threads.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['planned_by_id'], ['memberships.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('membership_id'),
    )
    op.create_index('ix_departures_space_id', 'departures', ['space_id'])
    # Plain ADD COLUMN, no batch rebuild: a rebuild of memberships would trip the
    # moderation log's triggers (see 0014_rhythm).
    op.add_column('memberships', sa.Column('anonymous_after_leaving', sa.Boolean(),
                                           nullable=False, server_default=sa.false()))


def downgrade():
    op.drop_column('memberships', 'anonymous_after_leaving')
    op.drop_table('departures')
