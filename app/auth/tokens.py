"""Bearer tokens for the JSON API: issue, resolve, revoke."""
from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, or_, select

from app.extensions import db
from app.models import ApiToken, User, utcnow


class TokenError(Exception):
    """The bearer token is unknown, expired or revoked; ``reason`` says which."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def issue_token(user: User, ttl_seconds: int) -> tuple[str, ApiToken]:
    """Create a token for *user*; the clear token is returned once and never stored."""
    clear = secrets.token_urlsafe(32)
    row = ApiToken(user=user, token_hash=ApiToken.hash(clear), session_version=user.session_version,
                   expires_at=utcnow() + timedelta(seconds=ttl_seconds))
    db.session.add(row)
    return clear, row


def resolve_token(clear: str) -> ApiToken:
    """Return the live token row for *clear*, or raise TokenError."""
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(clear)))
    if row is None:
        raise TokenError("invalid")
    # Logging out, a new password or a deactivated account ends every token the user had.
    if row.revoked_at is not None or row.session_version != row.user.session_version or not row.user.is_active:
        raise TokenError("revoked")
    if row.expires_at <= utcnow():
        raise TokenError("expired")
    return row


def revoke_token(row: ApiToken) -> None:
    row.revoked_at = utcnow()


def purge_dead_tokens() -> int:
    """Delete tokens that can never be used again (expired or revoked); the worker's sweep calls this."""
    dead = delete(ApiToken).where(or_(ApiToken.expires_at <= utcnow(), ApiToken.revoked_at.is_not(None)))
    return db.session.execute(dead).rowcount or 0
