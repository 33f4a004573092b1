"""What a teacher changes: class settings, topics, curriculum goals and the review of sessions.

Callers validate input through the forms in forms.py/curriculum.py and commit.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from app.analytics.cache import invalidate_class_summary, invalidate_for_session
from app.audit import Action, record
from app.extensions import db
from app.models import Classroom, CurriculumGoal, PracticeSession, SessionComment, SessionStatus, Topic, User, utcnow


class ReviewError(Exception):
    """A review action the session cannot take; the message is shown as it is."""


def update_class_settings(classroom: Classroom, *, name: str, inactive_after_days: int, strictness: str,
                          reading_norms_grade: int | None = None) -> None:
    """Rename the class and set when students are flagged inactive, how strictly pronunciation is
    graded, and which grade's reading fluency norms it is shown (None: none)."""
    from app.classes.services import rename_class

    rename_class(classroom, name)
    classroom.inactive_after_days = inactive_after_days
    classroom.pronunciation_strictness = strictness
    classroom.reading_norms_grade = reading_norms_grade


def as_utc(value: datetime | None) -> datetime | None:
    """Form dates are typed without a zone; the form labels them UTC, so that is what they are."""
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def topic_fields(form) -> dict[str, Any]:
    """The columns a topic form sets: a speaking topic its timings, a reading passage its due day."""
    fields = {
        "kind": form.kind.data,
        "title": form.title.data,
        "prompt": form.prompt.data,
        "opens_at": as_utc(form.opens_at.data),
        "closes_at": as_utc(form.closes_at.data),
    }
    for name in ("prep_seconds", "speaking_seconds", "due_on"):
        if name in form:
            fields[name] = form[name].data
    return fields


def create_topic(classroom: Classroom, **fields: Any) -> Topic:
    """A new active topic (or passage) assigned to *classroom*."""
    topic = Topic(classroom=classroom, is_active=True, **fields)
    db.session.add(topic)
    db.session.flush()
    return topic


def update_topic(topic: Topic, **fields: Any) -> None:
    """Edit a topic; sessions already recorded keep the prompt they were given (it was copied)."""
    for name, value in fields.items():
        setattr(topic, name, value)


def set_topic_active(topic: Topic, active: bool) -> None:
    topic.is_active = active


def copy_topic(topic: Topic, target: Classroom) -> Topic:
    """Assign the same topic to another class as its own row, so each class can edit its copy."""
    return create_topic(
        target,
        kind=topic.kind,
        title=topic.title,
        prompt=topic.prompt,
        prep_seconds=topic.prep_seconds,
        speaking_seconds=topic.speaking_seconds,
        opens_at=topic.opens_at,
        closes_at=topic.closes_at,
        due_on=topic.due_on,
    )


def save_curriculum(
    classroom: Classroom, *, grammar_focus: list[str], grammar_notes: str, vocabulary: list[str], rubric: list[dict]
) -> CurriculumGoal:
    """Replace the class's goals; every analysis that starts afterwards is measured against them."""
    goal = classroom.curriculum
    if goal is None:
        goal = CurriculumGoal(classroom=classroom)
        db.session.add(goal)
    goal.grammar_focus = list(grammar_focus)
    goal.grammar_notes = grammar_notes or ""
    goal.vocabulary = list(vocabulary)
    goal.rubric = [dict(row) for row in rubric]
    goal.updated_at = utcnow()
    db.session.flush()
    invalidate_class_summary(classroom.id)
    return goal


def add_comment(session: PracticeSession, author: User, body: str) -> SessionComment:
    comment = SessionComment(session=session, author=author, body=body)
    db.session.add(comment)
    db.session.flush()
    session.teacher_feedback_at = comment.created_at or utcnow()
    invalidate_for_session(session)
    record(Action.COMMENT, comment, {"session_id": session.id}, actor=author)
    return comment


def override_score(session: PracticeSession, teacher: User, score: float, reason: str) -> None:
    """Set the score students and lists read first; the automatic score stays in its own column."""
    if session.status != SessionStatus.DONE.value:
        raise ReviewError("Only an analysed session can be given a score.")
    session.override_score = round(float(score), 1)
    session.override_reason = reason
    session.override_by_id = teacher.id
    session.override_at = utcnow()
    session.teacher_feedback_at = session.override_at
    invalidate_for_session(session)
    record(Action.SCORE_OVERRIDE, session, {"score": session.override_score}, actor=teacher)


def clear_override(session: PracticeSession) -> None:
    """Go back to the automatic score."""
    if session.override_score is not None:
        record(Action.OVERRIDE_CLEARED, session, {"score": session.override_score})
    session.override_score = None
    session.override_reason = None
    session.override_by_id = None
    session.override_at = None
    invalidate_for_session(session)
