"""intake: a space's public interest page and the registrations made on it

Revision ID: 0020_intake
Revises: 0019_departures
Create Date: 2026-12-03 16:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0020_intake'
down_revision = '0019_departures'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'intake_pages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('is_open', sa.Boolean(), nullable=False),
        sa.Column('public_key', sa.String(length=64), nullable=False),
        sa.Column('introduction', sa.Text(), nullable=False),
        sa.Column('introduction_html', sa.Text(), nullable=False),
        sa.Column('rhythm', sa.String(length=300), nullable=False),
        sa.Column('questions', sa.Text(), nullable=False),
        sa.Column('decline_message', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('public_key'),
        sa.UniqueConstraint('space_id'),
    )
    op.create_table(
        'registrations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('answers', sa.Text(), nullable=True),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('mailed_at', sa.DateTime(), nullable=False),
        sa.Column('confirm_by', sa.DateTime(), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(), nullable=True),
        sa.Column('status_changed_at', sa.DateTime(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('answers_deleted_at', sa.DateTime(), nullable=True),
        sa.Column('invitation_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['invitation_id'], ['invitations.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_registrations_space_email', 'registrations', ['space_id', 'email'])
    op.create_index(op.f('ix_registrations_space_id'), 'registrations', ['space_id'])


def downgrade():
    op.drop_index(op.f('ix_registrations_space_id'), table_name='registrations')
    op.drop_index('ix_registrations_space_email', table_name='registrations')
    op.drop_table('registrations')
    op.drop_table('intake_pages')
