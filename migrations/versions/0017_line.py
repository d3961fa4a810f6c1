"""line: the facilitators' line (a member's private conversation with the group's leads),
its messages and each reader's position

Revision ID: 0017_line
Revises: 0016_attendance_calendar
Create Date: 2026-12-03 15:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0017_line'
down_revision = '0016_attendance_calendar'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'line_conversations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('membership_id', sa.Integer(), nullable=False),
        sa.Column('started_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('message_count', sa.Integer(), nullable=False),
        sa.Column('last_message_id', sa.Integer(), nullable=False),
        sa.Column('last_message_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['started_by_id'], ['memberships.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('membership_id'),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_line_conversations_space_id', 'line_conversations', ['space_id'])
    op.create_table(
        'line_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('conversation_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['memberships.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['conversation_id'], ['line_conversations.id'],
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_line_messages_space_id', 'line_messages', ['space_id'])
    op.create_index('ix_line_messages_conversation_id', 'line_messages', ['conversation_id'])
    op.create_table(
        'line_reads',
        sa.Column('conversation_id', sa.Integer(), nullable=False),
        sa.Column('membership_id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('last_read_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['conversation_id'], ['line_conversations.id'],
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('conversation_id', 'membership_id'),
    )
    op.create_index('ix_line_reads_space_id', 'line_reads', ['space_id'])


def downgrade():
    op.drop_index('ix_line_reads_space_id', table_name='line_reads')
    op.drop_table('line_reads')
    op.drop_index('ix_line_messages_conversation_id', table_name='line_messages')
    op.drop_index('ix_line_messages_space_id', table_name='line_messages')
    op.drop_table('line_messages')
    op.drop_index('ix_line_conversations_space_id', table_name='line_conversations')
    op.drop_table('line_conversations')
