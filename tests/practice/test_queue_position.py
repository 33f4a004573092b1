"""The queue position of a submitted recording is one COUNT query, however long the queue."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event

from app.extensions import db
from app.models import SessionStatus, utcnow
from app.practice.queries import queue_position

from ..factories import make_session, make_student


def test_the_position_is_counted_by_the_database_in_one_query(app_ctx):
    student = make_student()
    start = utcnow()
    queued = [make_session(student, status=SessionStatus.SUBMITTED.value) for _ in range(4)]
    for n, session in enumerate(queued):
        session.submitted_at = start + timedelta(seconds=n)
    db.session.commit()
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement.lower())

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        positions = [queue_position(session) for session in queued]
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert positions == [1, 2, 3, 4]
    assert len(statements) == 4 and all("count(" in s for s in statements)
