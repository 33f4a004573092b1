"""batch match confirmed at: a batch file's student is a proposal until the teacher confirms it

A student sees a batch recording only once its match is confirmed. Batch sessions already attached
to a student were shown to that student before this column existed, so they count as confirmed
(at the time the session started): nothing a student could see vanishes.

Revision ID: e5b2d7a4c619
Revises: e5a7c2d9f184
Create Date: 2026-12-02 04:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e5b2d7a4c619'
down_revision = 'e5a7c2d9f184'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('practice_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('match_confirmed_at', sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE practice_sessions SET match_confirmed_at = started_at "
        "WHERE batch_job_id IS NOT NULL AND student_id IS NOT NULL"
    )


def downgrade():
    with op.batch_alter_table('practice_sessions', schema=None) as batch_op:
        batch_op.drop_column('match_confirmed_at')
