"""reading fluency: words correct per minute and accuracy rate columns, and the class's norms grade

A reading's WordsCorrectPerMinute and AccuracyRate are copied out of its result into columns, as the
other headline scores are, so lists and charts need no JSON parsing; readings already analysed with
those figures get them copied here. A class shows no grade-level norms (null) until its teacher
chooses a grade.

Revision ID: b7c1e4a9d302
Revises: a3d5f0c27b41
Create Date: 2026-12-02 02:50:00.000000

"""
import json

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b7c1e4a9d302'
down_revision = 'a3d5f0c27b41'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('classes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reading_norms_grade', sa.Integer(), nullable=True))
    with op.batch_alter_table('practice_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('words_correct_per_minute', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('accuracy_rate', sa.Float(), nullable=True))
    _copy_figures_out_of_reports()


def _copy_figures_out_of_reports():
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT id, report FROM practice_sessions WHERE kind = 'pronunciation' AND report IS NOT NULL")).all()
    for session_id, report in rows:
        report = json.loads(report) if isinstance(report, str) else report
        if not isinstance(report, dict) or report.get("WordsCorrectPerMinute") is None:
            continue
        conn.execute(
            sa.text("UPDATE practice_sessions SET words_correct_per_minute = :wcpm, accuracy_rate = :rate "
                    "WHERE id = :id"),
            {"wcpm": report.get("WordsCorrectPerMinute"), "rate": report.get("AccuracyRate"), "id": session_id})


def downgrade():
    with op.batch_alter_table('practice_sessions', schema=None) as batch_op:
        batch_op.drop_column('accuracy_rate')
        batch_op.drop_column('words_correct_per_minute')
    with op.batch_alter_table('classes', schema=None) as batch_op:
        batch_op.drop_column('reading_norms_grade')
