"""enrolments share free practice since: when a class's teacher began to see a student's free practice

Existing enrolments share from the day the student joined, which is what the class's teacher saw before.

Revision ID: 8c1d4e2f6a70
Revises: a3f9c2d81e57
Create Date: 2026-12-10 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '8c1d4e2f6a70'
down_revision = 'a3f9c2d81e57'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sharing_since', sa.DateTime(timezone=True), nullable=True))
    op.execute(sa.text("UPDATE enrolments SET sharing_since = joined_at"))
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.alter_column('sharing_since', existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade():
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.drop_column('sharing_since')
