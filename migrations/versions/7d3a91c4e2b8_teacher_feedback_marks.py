"""teacher feedback marks: when a teacher last gave feedback on a session, when its student saw it

A session's teacher feedback (an override or a comment) is "new" on the student's dashboard until
they open it. Existing sessions with feedback get the time of their latest override or comment and
no "seen" time, so the student is shown what their teacher wrote.

Revision ID: 7d3a91c4e2b8
Revises: 8c1d4e2f6a70
Create Date: 2026-12-02 03:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7d3a91c4e2b8'
down_revision = '8c1d4e2f6a70'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('practice_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('teacher_feedback_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('feedback_seen_at', sa.DateTime(timezone=True), nullable=True))
    sessions = sa.table('practice_sessions', sa.column('id', sa.Integer),
                        sa.column('override_at', sa.DateTime(timezone=True)),
                        sa.column('teacher_feedback_at', sa.DateTime(timezone=True)))
    comments = sa.table('session_comments', sa.column('session_id', sa.Integer),
                        sa.column('created_at', sa.DateTime(timezone=True)))
    last_comment = (sa.select(sa.func.max(comments.c.created_at)).where(comments.c.session_id == sessions.c.id)
                    .scalar_subquery())
    override = sessions.c.override_at
    latest = sa.case((last_comment.is_(None), override), (override.is_(None), last_comment),
                     (override > last_comment, override), else_=last_comment)
    op.execute(sessions.update().values(teacher_feedback_at=latest))


def downgrade():
    with op.batch_alter_table('practice_sessions', schema=None) as batch_op:
        batch_op.drop_column('feedback_seen_at')
        batch_op.drop_column('teacher_feedback_at')
