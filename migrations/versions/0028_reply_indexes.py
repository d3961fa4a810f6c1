"""reply indexes: what posting a reply reads stays as fast in a thread of thousands of posts
as in one of fifty (issue 12)

- the check for a resent reply and "who took part": posts by (thread_id, author_id,
  created_at), instead of every post of the thread through (thread_id, number);
- the replier's notifications about the thread marked read: their unread ones by
  (membership_id, thread_id), instead of probing every post of the thread by post_id.

Plain CREATE INDEX on both databases: no batch rebuild of `posts`, whose search triggers a
rebuild would drop (app/search/index.py).

Revision ID: 0028_reply_indexes
Revises: 0027_list_indexes
Create Date: 2026-12-04 19:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0028_reply_indexes'
down_revision = '0027_list_indexes'
branch_labels = None
depends_on = None

UNREAD = sa.text("read_at IS NULL")


def upgrade():
    op.create_index('ix_posts_thread_author', 'posts', ['thread_id', 'author_id', 'created_at'],
                    unique=False)
    op.create_index('ix_notifications_unread_thread', 'notifications',
                    ['membership_id', 'thread_id'], unique=False,
                    sqlite_where=UNREAD, postgresql_where=UNREAD)


def downgrade():
    op.drop_index('ix_notifications_unread_thread', table_name='notifications')
    op.drop_index('ix_posts_thread_author', table_name='posts')
