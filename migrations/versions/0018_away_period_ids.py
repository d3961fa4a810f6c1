"""periods away never reuse an id on SQLite: their ids are in the links that remove them

Revision ID: 0018_away_period_ids
Revises: 0017_line
Create Date: 2026-12-03 16:20:00

"""
from alembic import op


revision = '0018_away_period_ids'
down_revision = '0017_line'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'sqlite':  # PostgreSQL's sequences never go back
        with op.batch_alter_table('away_periods', recreate='always',
                                  table_kwargs={'sqlite_autoincrement': True}):
            pass


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table('away_periods', recreate='always'):
            pass
