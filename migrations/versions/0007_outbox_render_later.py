"""mail: the outbox keeps what to render; the mailer renders when it sends

Revision ID: 0007_outbox_render_later
Revises: 0006_invitation_mail
Create Date: 2026-12-04 10:00:00

A queued row now holds its template (`kind`), the recipient's locale and the template's small
context as JSON, so no template is rendered inside the use case that queues the mail. The
rendered columns stay, nullable: rows queued before this migration still carry their bodies
and are sent as they are. The SQLite table copy keeps AUTOINCREMENT (reflection does not see
it).
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_outbox_render_later'
down_revision = '0006_invitation_mail'
branch_labels = None
depends_on = None

KEEP_IDS = {"sqlite_autoincrement": True}
RENDERED = (('subject', sa.String(length=200)), ('body_text', sa.Text()), ('body_html', sa.Text()))


def upgrade():
    with op.batch_alter_table('outbox', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=10), nullable=False,
                                      server_default='nl'))
        batch_op.add_column(sa.Column('context', sa.Text(), nullable=True))
        for name, type_ in RENDERED:
            batch_op.alter_column(name, existing_type=type_, nullable=True)


def downgrade():
    # Rows queued since the upgrade have no rendered bodies; they cannot be sent by the old
    # code, so they are dropped (the downgrade says so rather than sending empty mail).
    op.execute("DELETE FROM outbox WHERE body_text IS NULL AND status IN ('pending', 'sending')")
    op.execute("UPDATE outbox SET subject = '' WHERE subject IS NULL")
    op.execute("UPDATE outbox SET body_text = '' WHERE body_text IS NULL")
    op.execute("UPDATE outbox SET body_html = '' WHERE body_html IS NULL")
    with op.batch_alter_table('outbox', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        for name, type_ in RENDERED:
            batch_op.alter_column(name, existing_type=type_, nullable=False)
        batch_op.drop_column('context')
        batch_op.drop_column('locale')
