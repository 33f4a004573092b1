"""tricky word attempts: a student's tries at a word missed in their readings

Revision ID: d2f9b6c3e417
Revises: b7c1e4a9d302
Create Date: 2026-12-02 02:45:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd2f9b6c3e417'
down_revision = 'b7c1e4a9d302'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('word_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('word', sa.String(length=64), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('is_good', sa.Boolean(), nullable=False),
    sa.Column('audio_key', sa.String(length=300), nullable=True),
    sa.Column('audio_mime', sa.String(length=100), nullable=True),
    sa.Column('attempted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['student_id'], ['users.id'], name=op.f('fk_word_attempts_student_id_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_word_attempts'))
    )
    with op.batch_alter_table('word_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_word_attempts_student_word', ['student_id', 'word'], unique=False)


def downgrade():
    with op.batch_alter_table('word_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_word_attempts_student_word')
    op.drop_table('word_attempts')
