"""mail: outbox rows know the invitation they carry

Revision ID: 0006_invitation_mail
Revises: 0005_mail_outbox
Create Date: 2026-12-03 11:00:00

So the facilitator (and the operator) can see whether an invitation's mail is queued, sent
or failed. The SQLite table copy keeps AUTOINCREMENT (reflection does not see it).
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_invitation_mail'
down_revision = '0005_mail_outbox'
branch_labels = None
depends_on = None

KEEP_IDS = {"sqlite_autoincrement": True}


def upgrade():
    with op.batch_alter_table('outbox', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.add_column(sa.Column('invitation_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_invitation_id'), ['invitation_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_invitation_id_invitations'),
                                    'invitations', ['invitation_id'], ['id'], ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('outbox', schema=None, table_kwargs=KEEP_IDS) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_invitation_id_invitations'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_invitation_id'))
        batch_op.drop_column('invitation_id')
