"""rhythm: meetings and series, attendance and away periods, the group's rhythm settings
on spaces, commitment, leaving day and last visit on memberships

Revision ID: 0014_rhythm
Revises: 0013_schedule
Create Date: 2026-12-03 15:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014_rhythm'
down_revision = '0013_schedule'
branch_labels = None
depends_on = None


SPACE_COLUMNS = [
    sa.Column('group_kind', sa.String(length=10), nullable=False, server_default='open'),
    sa.Column('planned_sessions', sa.Integer(), nullable=True),
    sa.Column('min_members', sa.Integer(), nullable=False, server_default='4'),
    sa.Column('max_members', sa.Integer(), nullable=False, server_default='8'),
    sa.Column('room_link_minutes', sa.Integer(), nullable=False, server_default='15'),
    sa.Column('line_for_cofacilitators', sa.Boolean(), nullable=False,
              server_default=sa.false()),
    sa.Column('overview_for_cofacilitators', sa.Boolean(), nullable=False,
              server_default=sa.false()),
    sa.Column('silent_after_days', sa.Integer(), nullable=False, server_default='10'),
]
# Notification preference categories of the rhythm's kinds (app/notify/kinds.py).
SETTINGS_COLUMNS = [
    sa.Column('meetings', sa.String(length=10), nullable=False, server_default='direct'),
    sa.Column('line', sa.String(length=10), nullable=False, server_default='direct'),
    sa.Column('intake', sa.String(length=10), nullable=False, server_default='daily'),
]
MEMBERSHIP_COLUMNS = [
    sa.Column('commitment_sessions', sa.Integer(), nullable=True),
    sa.Column('leaves_on', sa.Date(), nullable=True),
    sa.Column('last_seen_on', sa.Date(), nullable=True),
]


def upgrade():
    op.create_table(
        'meeting_series',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('frequency', sa.String(length=12), nullable=False),
        sa.Column('first_starts_at', sa.DateTime(), nullable=False),
        sa.Column('duration_minutes', sa.Integer(), nullable=False),
        sa.Column('session_count', sa.Integer(), nullable=True),
        sa.Column('last_day', sa.Date(), nullable=True),
        sa.Column('zone', sa.String(length=40), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['memberships.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_meeting_series_space_id', 'meeting_series', ['space_id'])
    op.create_table(
        'meetings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('series_id', sa.Integer(), nullable=True),
        sa.Column('session_number', sa.Integer(), nullable=True),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.Column('zone', sa.String(length=40), nullable=False),
        sa.Column('topic', sa.String(length=200), nullable=False),
        sa.Column('script', sa.Text(), nullable=False),
        sa.Column('place', sa.String(length=200), nullable=False),
        sa.Column('room_url', sa.String(length=500), nullable=False),
        sa.Column('preparation_thread_id', sa.Integer(), nullable=True),
        sa.Column('reflection_thread_id', sa.Integer(), nullable=True),
        sa.Column('cancelled_at', sa.DateTime(), nullable=True),
        sa.Column('changed_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['preparation_thread_id'], ['threads.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['reflection_thread_id'], ['threads.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['series_id'], ['meeting_series.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_meetings_space_start', 'meetings', ['space_id', 'starts_at'])
    op.create_index('ix_meetings_series_id', 'meetings', ['series_id'])
    op.create_table(
        'attendances',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('membership_id', sa.Integer(), nullable=False),
        sa.Column('cancelled_at', sa.DateTime(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('outcome', sa.String(length=12), nullable=True),
        sa.Column('recorded_at', sa.DateTime(), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['memberships.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('meeting_id', 'membership_id'),
    )
    op.create_index('ix_attendances_space_id', 'attendances', ['space_id'])
    op.create_index('ix_attendances_membership_id', 'attendances', ['membership_id'])
    op.create_table(
        'away_periods',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('membership_id', sa.Integer(), nullable=False),
        sa.Column('first_day', sa.Date(), nullable=False),
        sa.Column('last_day', sa.Date(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_away_periods_space_id', 'away_periods', ['space_id'])
    op.create_index('ix_away_periods_membership_id', 'away_periods', ['membership_id'])

    # Plain ADD and DROP COLUMN, no batch rebuild: SQLite (3.35+) does both in place, and a
    # rebuild of spaces would trip the moderation log's triggers that name that table.
    for column in SPACE_COLUMNS:
        op.add_column('spaces', column)
    for column in MEMBERSHIP_COLUMNS:
        op.add_column('memberships', column)
    for column in SETTINGS_COLUMNS:
        op.add_column('notification_settings', column)


def downgrade():
    for column in SETTINGS_COLUMNS:
        op.drop_column('notification_settings', column.name)
    for column in MEMBERSHIP_COLUMNS:
        op.drop_column('memberships', column.name)
    for column in SPACE_COLUMNS:
        op.drop_column('spaces', column.name)
    op.drop_table('away_periods')
    op.drop_table('attendances')
    op.drop_table('meetings')
    op.drop_table('meeting_series')
