"""library: material (files, links, videos) with categories of a space's own, the "from the
facilitators" mark, a discussion thread per item and a publication time

Revision ID: 0010_library
Revises: 0009_uploads
Create Date: 2026-12-03 12:20:23

"""
from alembic import op
import sqlalchemy as sa


revision = '0010_library'
down_revision = '0009_uploads'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('library_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_library_categories_space_id_spaces'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_categories')),
    sa.UniqueConstraint('space_id', 'name', name=op.f('uq_library_categories_space_id_name')),
    sqlite_autoincrement=True
    )
    op.create_table('library_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('space_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_html', sa.Text(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('upload_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=20), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('from_leads', sa.Boolean(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('publish_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['memberships.id'], name=op.f('fk_library_items_author_id_memberships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['category_id'], ['library_categories.id'], name=op.f('fk_library_items_category_id_library_categories')),
    sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], name=op.f('fk_library_items_space_id_spaces'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_library_items_thread_id_threads'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['upload_id'], ['uploads.id'], name=op.f('fk_library_items_upload_id_uploads'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_library_items')),
    sa.UniqueConstraint('thread_id', name=op.f('uq_library_items_thread_id')),
    sa.UniqueConstraint('upload_id', name=op.f('uq_library_items_upload_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('library_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_library_items_category_id'), ['category_id'], unique=False)
        batch_op.create_index('ix_library_items_space_created', ['space_id', 'created_at'], unique=False)



def downgrade():
    with op.batch_alter_table('library_items', schema=None) as batch_op:
        batch_op.drop_index('ix_library_items_space_created')
        batch_op.drop_index(batch_op.f('ix_library_items_category_id'))

    op.drop_table('library_items')
    op.drop_table('library_categories')
