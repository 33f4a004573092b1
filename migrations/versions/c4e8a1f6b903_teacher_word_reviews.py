"""teacher word reviews: a teacher's mark on one word of a reading

The reading's result is recomputed from these; the machine's marks and scores stay inside the
result itself, so nothing of the machine's result is lost. No existing rows to move.

Revision ID: c4e8a1f6b903
Revises: d2f9b6c3e417
Create Date: 2026-12-02 02:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c4e8a1f6b903'
down_revision = 'd2f9b6c3e417'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('word_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('word_index', sa.Integer(), nullable=False),
    sa.Column('error_type', sa.String(length=32), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_word_reviews_reviewer_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['practice_sessions.id'],
                            name=op.f('fk_word_reviews_session_id_practice_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_word_reviews')),
    sa.UniqueConstraint('session_id', 'word_index', name='uq_word_reviews_session_word')
    )
    with op.batch_alter_table('word_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_word_reviews_session_id'), ['session_id'], unique=False)


def downgrade():
    with op.batch_alter_table('word_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_word_reviews_session_id'))
    op.drop_table('word_reviews')
