"""list indexes: every list of the thread page, space home, library and /notifications reads
an index that fits its WHERE and ORDER BY, so pages stay as fast with a million posts

- reactions and uploads of a page's posts: (space_id, post_id) instead of space_id alone,
  which read every reaction or file of the space;
- the space home's lists: (space_id, is_pinned, last_post_at, id) and, per tab,
  (space_id, kind, is_pinned, last_post_at, id), in the ORDER BY's order;
- a reader's notifications newest first: (user_id, created_at, id);
- the library: live items by coalesce(publish_at, created_at), id within the space.

Revision ID: 0027_list_indexes
Revises: 0026_search
Create Date: 2026-12-04 16:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0027_list_indexes'
down_revision = '0026_search'
branch_labels = None
depends_on = None

LIVE = sa.text("deleted_at IS NULL")


def upgrade():
    with op.batch_alter_table('reactions', schema=None) as batch_op:
        batch_op.drop_index('ix_reactions_space_id')
        batch_op.create_index('ix_reactions_space_post', ['space_id', 'post_id'], unique=False)
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.drop_index('ix_uploads_space_id')
        batch_op.create_index('ix_uploads_space_post', ['space_id', 'post_id'], unique=False)
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_index('ix_threads_space_activity')
        batch_op.create_index('ix_threads_space_activity',
                              ['space_id', 'is_pinned', 'last_post_at', 'id'], unique=False)
        batch_op.create_index('ix_threads_space_kind_activity',
                              ['space_id', 'kind', 'is_pinned', 'last_post_at', 'id'],
                              unique=False)
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_user_created', ['user_id', 'created_at', 'id'],
                              unique=False)
    # An index on an expression: written out, so both databases get the same one.
    op.create_index('ix_library_items_listed', 'library_items',
                    ['space_id', sa.text('coalesce(publish_at, created_at)'), 'id'],
                    unique=False, sqlite_where=LIVE, postgresql_where=LIVE)


def downgrade():
    op.drop_index('ix_library_items_listed', table_name='library_items')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_created')
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_index('ix_threads_space_kind_activity')
        batch_op.drop_index('ix_threads_space_activity')
        batch_op.create_index('ix_threads_space_activity',
                              ['space_id', 'is_pinned', 'last_post_at'], unique=False)
    with op.batch_alter_table('uploads', schema=None) as batch_op:
        batch_op.drop_index('ix_uploads_space_post')
        batch_op.create_index('ix_uploads_space_id', ['space_id'], unique=False)
    with op.batch_alter_table('reactions', schema=None) as batch_op:
        batch_op.drop_index('ix_reactions_space_post')
        batch_op.create_index('ix_reactions_space_id', ['space_id'], unique=False)
