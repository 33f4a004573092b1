"""Who may call a view: role decorators and owner-scoped fetches.

Every decorator tags the wrapper with ``required_role`` so the route audit test
can prove that no endpoint was left unguarded. Every ``*_or_404`` fetch answers
404 for anything that is not the caller's, never 403, so ids of other people's
classes, students, sessions and batches reveal nothing.
"""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import Select, select

from app.extensions import db
from app.http import wants_json
from app.models import (
    BatchJob,
    Classroom,
    Enrolment,
    Invite,
    PracticeSession,
    Role,
    SessionKind,
    Topic,
    User,
    WordAttempt,
)
from app.practice.visibility import class_sessions, own_sessions


def _guard(role: str | None) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                if wants_json():
                    abort(401)
                flash("Please log in to see that page.", "info")
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if role is not None and current_user.role != role:
                abort(403)
            return view(*args, **kwargs)

        wrapper.required_role = role or "any"
        return wrapper

    return decorator


login_required = _guard(None)
teacher_required = _guard("teacher")
admin_required = _guard("admin")
student_required = _guard("student")


def public(view: Callable) -> Callable:
    """Mark a view as open to anyone; the audit test checks this list stays short."""
    view.required_role = "public"
    return view


def form_view(view: Callable) -> Callable:
    """The view validates CSRF through its FlaskForm, so a stale token becomes a
    field error on the re-rendered form and nothing the user typed is lost."""
    view.csrf_via_form = True
    return view


# --- a student's own sessions ---------------------------------------------------------------


def own_session_or_404(session_id: int) -> PracticeSession:
    """The current student's session."""
    return db.first_or_404(own_sessions(current_user).where(PracticeSession.id == session_id))


def _own_reading(session_id: int) -> Select:
    return own_sessions(current_user).where(
        PracticeSession.id == session_id, PracticeSession.kind == SessionKind.PRONUNCIATION.value
    )


def own_reading_or_404(session_id: int) -> PracticeSession:
    """The current student's reading-aloud session."""
    return db.first_or_404(_own_reading(session_id))


def own_reading_or_none(session_id: int) -> PracticeSession | None:
    """The current student's reading-aloud session, or None ("read it again" never shows another's text)."""
    return db.session.scalar(_own_reading(session_id))


def own_enrolment_or_404(class_id: int) -> Enrolment:
    """The current student's place in a class."""
    return db.first_or_404(
        select(Enrolment).where(Enrolment.class_id == class_id, Enrolment.student_id == current_user.id)
    )


# --- a teacher's classes and what is in them ------------------------------------------------


def own_word_attempt_or_404(attempt_id: int) -> WordAttempt:
    """One of the current student's tricky-word attempts."""
    return db.first_or_404(
        select(WordAttempt).where(WordAttempt.id == attempt_id, WordAttempt.student_id == current_user.id)
    )


def own_class_or_404(class_id: int) -> Classroom:
    """A class the current teacher teaches."""
    return db.first_or_404(select(Classroom).where(Classroom.id == class_id, Classroom.teacher_id == current_user.id))


def own_topic_or_404(classroom: Classroom, topic_id: int) -> Topic:
    return db.first_or_404(select(Topic).where(Topic.id == topic_id, Topic.class_id == classroom.id))


def class_student_or_404(classroom: Classroom, student_id: int) -> User:
    return db.first_or_404(
        select(User)
        .join(Enrolment, Enrolment.student_id == User.id)
        .where(User.id == student_id, Enrolment.class_id == classroom.id)
    )


def class_session_or_404(classroom: Classroom, session_id: int) -> PracticeSession:
    """A session the class's teacher may see (app/practice/visibility.py says which)."""
    return db.first_or_404(class_sessions(classroom).where(PracticeSession.id == session_id))


def school_student_or_404(student_id: int) -> User:
    """A student of the admin's school: their account names it, or they are in a class one of its teachers teaches."""
    taught_here = (
        select(Enrolment.student_id)
        .join(Classroom, Classroom.id == Enrolment.class_id)
        .join(User, User.id == Classroom.teacher_id)
        .where(User.school_id == current_user.school_id)
    )
    return db.first_or_404(
        select(User).where(
            User.id == student_id,
            User.role == Role.STUDENT.value,
            (User.school_id == current_user.school_id) | User.id.in_(taught_here),
        )
    )


def class_own_session_or_404(classroom: Classroom, session_id: int) -> PracticeSession:
    """A session made for this class (not free practice) that its teacher may see: one they may delete."""
    return db.first_or_404(
        class_sessions(classroom).where(PracticeSession.id == session_id, PracticeSession.class_id == classroom.id)
    )


# --- a teacher's batches ----------------------------------------------------------------------


def own_job_or_404(job_id: str) -> BatchJob:
    """A batch job the current user started."""
    return db.first_or_404(select(BatchJob).where(BatchJob.id == job_id, BatchJob.owner_id == current_user.id))


def own_item_or_404(job_id: str, session_id: int) -> PracticeSession:
    """One file of a batch job the current user started."""
    return db.first_or_404(
        select(PracticeSession).join(BatchJob, PracticeSession.batch_job_id == BatchJob.id)
        .where(PracticeSession.id == session_id, BatchJob.id == job_id, BatchJob.owner_id == current_user.id)
    )


# --- a school admin's teachers and invites ------------------------------------------------------


def own_invite_or_404(invite_id: int) -> Invite:
    """An invite of the admin's own school: another school's ids reveal nothing."""
    return db.first_or_404(select(Invite).where(Invite.id == invite_id, Invite.school_id == current_user.school_id))


def school_teacher_or_404(teacher_id: int) -> User:
    """A teacher of the admin's own school."""
    return db.first_or_404(
        select(User).where(
            User.id == teacher_id, User.school_id == current_user.school_id, User.role == Role.TEACHER.value
        )
    )
