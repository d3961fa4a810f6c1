"""care: evaluation questionnaires (questions, recipients, answers) and the facilitators'
notes per member with their append-only access record

Revision ID: 0015_care
Revises: 0014_rhythm
Create Date: 2026-12-03 16:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0015_care'
down_revision = '0014_rhythm'
branch_labels = None
depends_on = None

# The access record is append-only (app/notes/models.py keeps the same statements for
# db.create_all): a DELETE passes only once the row's space is gone (a purge).
PG_APPEND_ONLY = [
    """CREATE OR REPLACE FUNCTION note_access_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM spaces WHERE id = OLD.space_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'note_access_log is append-only';
END;
$$ LANGUAGE plpgsql""",
    """CREATE TRIGGER note_access_log_append_only BEFORE UPDATE OR DELETE ON note_access_log
FOR EACH ROW EXECUTE FUNCTION note_access_log_append_only()""",
]
PG_DROP = ["DROP TRIGGER IF EXISTS note_access_log_append_only ON note_access_log",
           "DROP FUNCTION IF EXISTS note_access_log_append_only()"]
SQLITE_APPEND_ONLY = [
    """CREATE TRIGGER note_access_log_no_update BEFORE UPDATE ON note_access_log
BEGIN SELECT RAISE(ABORT, 'note_access_log is append-only'); END""",
    """CREATE TRIGGER note_access_log_no_delete BEFORE DELETE ON note_access_log
WHEN EXISTS (SELECT 1 FROM spaces WHERE id = OLD.space_id)
BEGIN SELECT RAISE(ABORT, 'note_access_log is append-only'); END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS note_access_log_no_update",
               "DROP TRIGGER IF EXISTS note_access_log_no_delete"]


def _triggers(create: bool) -> list[str]:
    if op.get_bind().dialect.name == "postgresql":
        return PG_APPEND_ONLY if create else PG_DROP
    return SQLITE_APPEND_ONLY if create else SQLITE_DROP


def upgrade():
    op.create_table(
        'questionnaires',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('intro', sa.Text(), nullable=False),
        sa.Column('for_membership_id', sa.Integer(), nullable=True),
        sa.Column('sent_by_id', sa.Integer(), nullable=True),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['for_membership_id'], ['memberships.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['sent_by_id'], ['memberships.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_questionnaires_space_id', 'questionnaires', ['space_id'])
    op.create_table(
        'questionnaire_questions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('questionnaire_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('prompt', sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(['questionnaire_id'], ['questionnaires.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('questionnaire_id', 'position'),
    )
    op.create_index('ix_questionnaire_questions_questionnaire_id', 'questionnaire_questions',
                    ['questionnaire_id'])
    op.create_table(
        'questionnaire_recipients',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('questionnaire_id', sa.Integer(), nullable=False),
        sa.Column('membership_id', sa.Integer(), nullable=False),
        sa.Column('answered_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['questionnaire_id'], ['questionnaires.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('questionnaire_id', 'membership_id'),
    )
    for column in ('space_id', 'questionnaire_id', 'membership_id'):
        op.create_index(f'ix_questionnaire_recipients_{column}', 'questionnaire_recipients',
                        [column])
    op.create_table(
        'questionnaire_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('recipient_id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('score', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['question_id'], ['questionnaire_questions.id'],
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['recipient_id'], ['questionnaire_recipients.id'],
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('recipient_id', 'question_id'),
    )
    op.create_index('ix_questionnaire_answers_recipient_id', 'questionnaire_answers',
                    ['recipient_id'])
    op.create_index('ix_questionnaire_answers_question_id', 'questionnaire_answers',
                    ['question_id'])
    op.create_table(
        'member_notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('membership_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('author_name', sa.String(length=60), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['memberships.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_member_notes_space_id', 'member_notes', ['space_id'])
    op.create_index('ix_member_notes_membership_id', 'member_notes', ['membership_id'])
    op.create_table(
        'note_access_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('space_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor_name', sa.String(length=60), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('subject_name', sa.String(length=60), nullable=False),
        sa.Column('note_count', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['space_id'], ['spaces.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_note_access_log_space_subject', 'note_access_log',
                    ['space_id', 'subject_id'])
    for statement in _triggers(create=True):
        op.execute(statement)


def downgrade():
    for statement in _triggers(create=False):
        op.execute(statement)
    op.drop_table('note_access_log')
    op.drop_table('member_notes')
    op.drop_table('questionnaire_answers')
    op.drop_table('questionnaire_recipients')
    op.drop_table('questionnaire_questions')
    op.drop_table('questionnaires')
