"""recordings by storage key: practice_sessions.audio_path becomes audio_key

A recording is named by its key in the store (app/storage), never by a path on one
machine, so web and worker hosts need no shared disk. Paths under the upload folder
become the key they are already stored under (the folder has the key layout); a
recording kept outside that folder is copied into the store under the session's key;
a path whose file is already gone is dropped (it could not be played or analysed).

Revision ID: a3f9c2d81e57
Revises: 5b7e2c9d41a0
Create Date: 2026-12-08 10:00:00.000000

"""
import logging
import re
from pathlib import Path

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a3f9c2d81e57'
down_revision = '5b7e2c9d41a0'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")


def upgrade():
    with op.batch_alter_table('practice_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audio_key', sa.String(length=500), nullable=True))
    conn = op.get_bind()
    sessions = sa.table('practice_sessions', sa.column('id', sa.Integer), sa.column('audio_path', sa.String),
                        sa.column('audio_key', sa.String))
    rows = conn.execute(sa.select(sessions.c.id, sessions.c.audio_path).where(sessions.c.audio_path.is_not(None)))
    for session_id, audio_path in rows.all():
        key = _key_for(session_id, audio_path)
        conn.execute(sessions.update().where(sessions.c.id == session_id).values(audio_key=key))
    with op.batch_alter_table('practice_sessions', schema=None) as batch_op:
        batch_op.drop_column('audio_path')


def _key_for(session_id: int, audio_path: str) -> str | None:
    from app.storage import keys, storage

    try:
        key = keys.recording_key(audio_path)
    except ValueError:
        key = None
    if key is not None:
        return key
    source = Path(audio_path)
    if not source.is_file():
        log.warning("session %s: its recording %s is gone; it keeps its report but no audio", session_id, audio_path)
        return None
    suffix = source.suffix.lower()
    key = keys.session_file(session_id, "recording" + (suffix if SUFFIX.match(suffix) else ".bin"))
    with source.open("rb") as handle:
        storage().write(key, handle)
    return key


def downgrade():
    from flask import current_app

    with op.batch_alter_table('practice_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audio_path', sa.String(length=500), nullable=True))
    conn = op.get_bind()
    sessions = sa.table('practice_sessions', sa.column('id', sa.Integer), sa.column('audio_path', sa.String),
                        sa.column('audio_key', sa.String))
    # The old code read recordings from the upload folder; a bucket's keys name the same files there
    # once they are copied back (aws s3 sync s3://bucket/prefix "$PODIUM_UPLOAD_DIR").
    folder = Path(current_app.config["UPLOAD_DIR"])
    rows = conn.execute(sa.select(sessions.c.id, sessions.c.audio_key).where(sessions.c.audio_key.is_not(None)))
    for session_id, key in rows.all():
        conn.execute(sessions.update().where(sessions.c.id == session_id).values(audio_path=str(folder / key)))
    with op.batch_alter_table('practice_sessions', schema=None) as batch_op:
        batch_op.drop_column('audio_key')
