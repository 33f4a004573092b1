"""The worker's sweep deletes API tokens that can never be used again, and keeps the live ones."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.auth.tokens import issue_token, revoke_token
from app.extensions import db
from app.jobs.sweep import sweep
from app.models import ApiToken, utcnow

from ..factories import make_student


def test_the_sweep_purges_expired_and_revoked_tokens_only(app_ctx):
    student = make_student()
    _clear, live = issue_token(student, 3600)
    _clear, expired = issue_token(student, 3600)
    _clear, revoked = issue_token(student, 3600)
    expired.expires_at = utcnow() - timedelta(seconds=1)
    revoke_token(revoked)
    db.session.commit()
    live_id = live.id
    outcome = sweep()
    assert outcome["tokens_purged"] == 2
    assert list(db.session.scalars(select(ApiToken.id))) == [live_id]
    assert "tokens_purged" not in sweep()
