"""What one person may have at once, each a Config setting; a refusal is LimitReached (429 with Retry-After and a
message saying when). Checked before anything is stored, so a refused request leaves nothing behind."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.models import BatchJob, PracticeSession, SessionStatus, User, utcnow
from app.storage import keys, storage, total_bytes

from .errors import LimitReached, wait_in_words

HOUR = timedelta(hours=1)
RUNNING_BATCH_STATUSES = ("queued", "running")
# A batch's pace is a few seconds a file; a minute is a fair first guess at when one finishes.
BATCH_RETRY_SECONDS = 60


def check_open_sessions(student: User) -> None:
    """A new recording may be opened while fewer than STUDENT_MAX_OPEN_SESSIONS are open."""
    most = current_app.config["STUDENT_MAX_OPEN_SESSIONS"]
    open_seen = list(db.session.scalars(
        select(func.coalesce(PracticeSession.last_seen_at, PracticeSession.started_at))
        .where(PracticeSession.student_id == student.id,
               PracticeSession.status == SessionStatus.IN_PROGRESS.value)
        .order_by(func.coalesce(PracticeSession.last_seen_at, PracticeSession.started_at))
    ))
    if len(open_seen) < most:
        return
    # The sweep closes a recorder silent for RECORDER_IDLE_MINUTES: the oldest one frees a place then.
    wait = _seconds_until(open_seen[0] + timedelta(minutes=current_app.config["RECORDER_IDLE_MINUTES"]))
    raise LimitReached(f"You have {most} recordings open already. Finish or close one, or wait "
                       f"{wait_in_words(wait)} and try again.", wait, code="too_many_open_sessions")


def check_analyses_this_hour(student: User) -> None:
    """At most STUDENT_ANALYSES_PER_HOUR recordings of one student are sent for analysis in any hour."""
    most = current_app.config["STUDENT_ANALYSES_PER_HOUR"]
    since = utcnow() - HOUR
    submitted = list(db.session.scalars(
        select(PracticeSession.submitted_at)
        .where(PracticeSession.student_id == student.id, PracticeSession.batch_job_id.is_(None),
               PracticeSession.submitted_at > since)
        .order_by(PracticeSession.submitted_at.desc()).limit(most)
    ))
    if len(submitted) < most:
        return
    wait = _seconds_until(submitted[-1] + HOUR)
    raise LimitReached(f"That's {most} recordings analysed in the last hour, the most for one hour. "
                       f"Wait {wait_in_words(wait)} and send it again.", wait, code="too_many_analyses")


def stored_bytes_of(student: User) -> int:
    """The audio stored for *student*'s own sessions (recordings and parts still arriving).

    One function so that a stored running total can replace the listing when stores grow large.
    """
    store = storage()
    ids = db.session.scalars(select(PracticeSession.id).where(PracticeSession.student_id == student.id,
                                                              PracticeSession.batch_job_id.is_(None)))
    return sum(total_bytes(store, keys.session_prefix(i)) + total_bytes(store, keys.parts_prefix(i)) for i in ids)


def check_stored_bytes(student: User, incoming: int) -> None:
    """Refuse audio that would take a student past STUDENT_MAX_STORED_BYTES."""
    most = current_app.config["STUDENT_MAX_STORED_BYTES"]
    if stored_bytes_of(student) + incoming <= most:
        return
    oldest = db.session.scalar(select(func.min(PracticeSession.started_at))
                               .where(PracticeSession.student_id == student.id))
    retention = timedelta(days=current_app.config["AUDIO_RETENTION_DAYS"])
    wait = _seconds_until((oldest or utcnow()) + retention)
    raise LimitReached(f"Your recordings fill the {most // (1024 * 1024)} MB kept for each student. Delete old "
                       f"recordings, or wait {wait_in_words(wait)} until the oldest is removed.", wait,
                       code="storage_full")


def check_running_batches(teacher: User) -> None:
    """A teacher may have at most TEACHER_MAX_RUNNING_BATCHES batches waiting or being analysed."""
    most = current_app.config["TEACHER_MAX_RUNNING_BATCHES"]
    running = db.session.scalar(select(func.count()).select_from(BatchJob).where(
        BatchJob.owner_id == teacher.id, BatchJob.status.in_(RUNNING_BATCH_STATUSES)))
    if running < most:
        return
    raise LimitReached(f"You have {running} batches being analysed, the most at once. Wait until one finishes "
                       f"(try again in {wait_in_words(BATCH_RETRY_SECONDS)}).", BATCH_RETRY_SECONDS,
                       code="too_many_batches")


def batch_bytes_of(teacher: User) -> int:
    """The files stored for *teacher*'s batches (a batch keeps its uploads under its own prefix)."""
    store = storage()
    job_ids = db.session.scalars(select(BatchJob.id).where(BatchJob.owner_id == teacher.id))
    return sum(total_bytes(store, keys.batch_prefix(job_id)) for job_id in job_ids)


def check_batch_stored_bytes(teacher: User, incoming: int) -> None:
    """Refuse a batch whose upload (*incoming* bytes, as sent) would take the teacher's stored batch files past
    TEACHER_MAX_BATCH_STORED_BYTES; they free up as batches pass BATCH_RETENTION_DAYS."""
    most = current_app.config["TEACHER_MAX_BATCH_STORED_BYTES"]
    if batch_bytes_of(teacher) + incoming <= most:
        return
    oldest = db.session.scalar(select(func.min(BatchJob.created_at)).where(BatchJob.owner_id == teacher.id))
    wait = _seconds_until((oldest or utcnow()) + timedelta(days=current_app.config["BATCH_RETENTION_DAYS"]))
    raise LimitReached(f"Your batches' files would fill the {most // (1024 * 1024)} MB kept for each teacher. "
                       f"Try fewer files, or wait {wait_in_words(wait)} until the oldest batch's files are removed.",
                       wait, code="batch_storage_full")


def _seconds_until(moment: datetime) -> float:
    return max(1.0, (moment - utcnow()).total_seconds())
