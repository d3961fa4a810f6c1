"""forum: a post can quote another post of its thread ("citeer"), by reference

Revision ID: 0012_post_quotes
Revises: 0011_statements
Create Date: 2026-12-03 12:40:00

The quote is a reference (`quote_of_id`), never a copy of the text: the page draws it from the
quoted post each time. The SQLite table copy keeps AUTOINCREMENT (reflection does not see it).
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_post_quotes'
down_revision = '0011_statements'
branch_labels = None
depends_on = None

KEEP_IDS = {"sqlite_autoincrement": True}


def upgrade():
    with op.batch_alter_table('posts', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('quote_of_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_posts_quote_of_id_posts'), 'posts',
                                    ['quote_of_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('posts', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_posts_quote_of_id_posts'), type_='foreignkey')
        batch_op.drop_column('quote_of_id')
