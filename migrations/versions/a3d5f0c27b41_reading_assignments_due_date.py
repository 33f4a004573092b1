"""reading assignments: a passage's due date

A passage a teacher sets can be due on a calendar day (the teacher's day, not an instant), so
the column is a DATE. Existing topics have no due date.

Revision ID: a3d5f0c27b41
Revises: 7d3a91c4e2b8
Create Date: 2026-12-02 02:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a3d5f0c27b41'
down_revision = '7d3a91c4e2b8'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.drop_column('due_on')
