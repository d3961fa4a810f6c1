"""schedule: planned threads and replies (publish_at), a planned reply's number left open
until it is published

Revision ID: 0013_schedule
Revises: 0012_post_quotes
Create Date: 2026-12-03 12:50:00

"""
from alembic import op
import sqlalchemy as sa

# SQLite rebuilds a table in batch mode from reflection, which does not see AUTOINCREMENT: say
# it again for the tables whose ids are never reused (see 0005_mail_outbox).
AUTOINCREMENT = {"sqlite_autoincrement": True}
PLANNED = sa.text("publish_at IS NOT NULL")

revision = '0013_schedule'
down_revision = '0012_post_quotes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('threads', schema=None, table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.add_column(sa.Column('publish_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_threads_planned', ['publish_at'], unique=False,
                              sqlite_where=PLANNED, postgresql_where=PLANNED)

    with op.batch_alter_table('posts', schema=None, table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.add_column(sa.Column('publish_at', sa.DateTime(), nullable=True))
        batch_op.alter_column('number', existing_type=sa.Integer(), nullable=True)
        batch_op.create_index('ix_posts_planned', ['publish_at'], unique=False,
                              sqlite_where=PLANNED, postgresql_where=PLANNED)


def downgrade():
    # Without publish_at a plan would be published at once: what is still planned goes
    # (planned replies, and planned threads with their opening post and read positions).
    op.execute("DELETE FROM read_states WHERE thread_id IN "
               "(SELECT id FROM threads WHERE publish_at IS NOT NULL)")
    op.execute("DELETE FROM posts WHERE publish_at IS NOT NULL")
    op.execute("DELETE FROM threads WHERE publish_at IS NOT NULL")
    with op.batch_alter_table('posts', schema=None, table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.drop_index('ix_posts_planned', sqlite_where=PLANNED, postgresql_where=PLANNED)
        batch_op.alter_column('number', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('publish_at')

    with op.batch_alter_table('threads', schema=None, table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.drop_index('ix_threads_planned', sqlite_where=PLANNED, postgresql_where=PLANNED)
        batch_op.drop_column('publish_at')
