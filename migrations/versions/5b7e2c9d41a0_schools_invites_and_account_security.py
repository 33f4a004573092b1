"""schools, invites and account security: roles admin, usernames, session versions, lockout

Every existing user moves into one "Default school", so no teacher, class or student is lost.

Revision ID: 5b7e2c9d41a0
Revises: cf17a890a593
Create Date: 2026-12-01 23:20:00.000000

"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5b7e2c9d41a0'
down_revision = 'cf17a890a593'
branch_labels = None
depends_on = None

DEFAULT_SCHOOL_NAME = "Default school"


def upgrade():
    op.create_table('schools',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schools'))
    )
    school_id = _default_school_if_needed()

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('username', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('school_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('deactivated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column('email', existing_type=sa.String(length=254), nullable=True)
        batch_op.create_index(batch_op.f('ix_users_username'), ['username'], unique=True)
        batch_op.create_index(batch_op.f('ix_users_school_id'), ['school_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_users_school_id_schools'), 'schools', ['school_id'], ['id'])

    if school_id is not None:
        op.execute(sa.text("UPDATE users SET school_id = :school").bindparams(school=school_id))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_users_has_login'), "email IS NOT NULL OR username IS NOT NULL")
        batch_op.create_check_constraint(
            op.f('ck_users_adult_has_email_and_school'),
            "role = 'student' OR (email IS NOT NULL AND school_id IS NOT NULL)")

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1', nullable=False))

    op.create_table('invites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_invites_accepted_by_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invites_invited_by_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['school_id'], ['schools.id'], name=op.f('fk_invites_school_id_schools'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invites')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invites_token_hash'))
    )
    with op.batch_alter_table('invites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invites_school_id'), ['school_id'], unique=False)


def _default_school_if_needed():
    """The school every existing account joins; none is made for an empty database."""
    bind = op.get_bind()
    if not bind.execute(sa.text("SELECT COUNT(*) FROM users")).scalar():
        return None
    schools = sa.table('schools', sa.column('id', sa.Integer), sa.column('name', sa.String),
                       sa.column('time_zone', sa.String), sa.column('settings', sa.JSON),
                       sa.column('created_at', sa.DateTime(timezone=True)))
    bind.execute(schools.insert().values(name=DEFAULT_SCHOOL_NAME, time_zone="UTC", settings={},
                                         created_at=datetime.now(timezone.utc)))
    query = sa.text("SELECT id FROM schools WHERE name = :name").bindparams(name=DEFAULT_SCHOOL_NAME)
    return bind.execute(query).scalar()


def downgrade():
    with op.batch_alter_table('invites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invites_school_id'))
    op.drop_table('invites')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('session_version')
    # Accounts without an email (students made by a teacher) cannot exist in the older schema.
    op.execute(sa.text("DELETE FROM users WHERE email IS NULL"))
    op.execute(sa.text("UPDATE users SET role = 'teacher' WHERE role = 'admin'"))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_users_adult_has_email_and_school'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_users_has_login'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_users_school_id_schools'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_users_school_id'))
        batch_op.drop_index(batch_op.f('ix_users_username'))
        batch_op.alter_column('email', existing_type=sa.String(length=254), nullable=False)
        batch_op.drop_column('deactivated_at')
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')
        batch_op.drop_column('session_version')
        batch_op.drop_column('school_id')
        batch_op.drop_column('username')
    op.drop_table('schools')
