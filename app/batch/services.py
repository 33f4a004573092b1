"""Batch analysis: a teacher's pile of recordings becomes one BatchJob of ordinary practice sessions.

Each file is a PracticeSession (batch_job_id, batch_filename) analysed by the
same task as a student's own recording, so a batch gets the same durability,
retries and reports. The job's counters and status are always derived from its
sessions; the BatchJob columns are a copy kept for lists.

Attaching a file to a student (only within the chosen class): an explicit
``students`` mapping (file name -> e-mail) wins; otherwise the file name, with
``_ - .`` and spaces treated alike and case ignored, must *start with* the
student's full name ("maya lee ...") or their e-mail's local part ("maya.lee"
or "maya ..."), followed by a separator or the end. The longest such match wins;
a tie between two students, or no match, leaves the file unattached — it is
still analysed and reported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable, Mapping

from flask import current_app
from sqlalchemy import func, select

from app.classes.services import teacher_class_or_none
from app.extensions import db
from app.models import (
    SESSION_KINDS,
    BatchJob,
    Classroom,
    Enrolment,
    PracticeSession,
    SessionKind,
    SessionStatus,
    Topic,
    User,
    new_job_id,
    utcnow,
)
from app.practice.states import queue_batch_file, refuse_batch_file
from app.storage import keys, storage

from .files import BatchInputError, Unpacked, lookup, unpack_uploads


class NotYours(Exception):
    """A class or topic id that is not the caller's: answered as 404, like any unknown id."""


@dataclass(frozen=True)
class BatchRequest:
    kind: str
    class_id: int | None = None
    topic_id: int | None = None
    reference_text: str = ""
    references: Mapping[str, str] | None = None
    students: Mapping[str, str] | None = None


def create_batch(owner: User, request: BatchRequest, uploads: Iterable[tuple[str, IO[bytes]]]) -> BatchJob:
    """Save the files and create the job with one `submitted` session per file; the caller commits, then enqueues.

    Raises BatchInputError (400/413) or NotYours (404); nothing is left stored then.
    """
    if request.kind not in SESSION_KINDS:
        raise BatchInputError("kind must be 'impromptu' or 'pronunciation'.", field="kind")
    classroom, topic = _class_and_topic(owner, request)
    job_id = new_job_id()
    unpacked = unpack_uploads(uploads, storage(), job_id, current_app.config)
    try:
        references = _references(request, topic, unpacked)
    except BatchInputError:
        storage().delete_prefix(keys.batch_prefix(job_id))
        raise
    job = BatchJob(id=job_id, owner_id=owner.id, kind=request.kind, class_id=classroom.id if classroom else None,
                   topic_id=topic.id if topic else None, reference_text=request.reference_text or None,
                   status="queued", total=len(unpacked.audio) + len(unpacked.rejected), created_at=utcnow())
    db.session.add(job)
    roster = _roster(classroom)
    for filename, key in unpacked.audio:
        student = match_student(filename, roster, request.students or {})
        db.session.add(_item(job, filename, student, topic, references.get(filename, ""), key))
    for filename, why in unpacked.rejected:
        db.session.add(_rejected_item(job, filename, why))
    db.session.flush()
    refresh_job(job.id)
    return job


def _class_and_topic(owner: User, request: BatchRequest) -> tuple[Classroom | None, Topic | None]:
    classroom = teacher_class_or_none(owner, request.class_id) if request.class_id is not None else None
    if request.class_id is not None and classroom is None:
        raise NotYours()
    topic = None
    if request.topic_id is not None:
        topic = db.session.scalar(
            select(Topic).join(Classroom, Topic.class_id == Classroom.id)
            .where(Topic.id == request.topic_id, Classroom.teacher_id == owner.id)
        )
        if topic is None or (classroom is not None and topic.class_id != classroom.id):
            raise NotYours()
        classroom = classroom or topic.classroom
    return classroom, topic


def _references(request: BatchRequest, topic: Topic | None, unpacked: Unpacked) -> dict[str, str]:
    """Each audio file's reference text: the file's own entry, else the one text for all, else the topic's passage."""
    if not unpacked.audio and not unpacked.rejected:
        raise BatchInputError("Add at least one recording (or a zip of recordings).")
    if request.kind != SessionKind.PRONUNCIATION.value:
        return {}
    mapping = {**unpacked.references, **(request.references or {})}
    default = request.reference_text.strip() or (topic.prompt if topic and topic.kind == request.kind else "")
    texts = {name: lookup(mapping, name) or default for name, _ in unpacked.audio}
    missing = [name for name, text in texts.items() if not text]
    if missing:
        raise BatchInputError(
            "Pronunciation needs the text that was read for every file; missing for: " + ", ".join(missing[:10]),
            field="reference_text",
        )
    return texts


def _item(job: BatchJob, filename: str, student: User | None, topic: Topic | None, text: str, key: str):
    return queue_batch_file(PracticeSession(
        batch_job_id=job.id, batch_filename=filename, kind=job.kind,
        student_id=student.id if student else None, class_id=job.class_id, topic_id=job.topic_id,
        # Without a topic there is nothing to title the speech with; the file name would be read as one.
        prompt_title=topic.title if topic else "",
        prompt_text=text or (topic.prompt if topic else ""),
        planned_seconds=topic.speaking_seconds if topic else 0,
        audio_key=key,
    ))


def _rejected_item(job: BatchJob, filename: str, why: str) -> PracticeSession:
    return refuse_batch_file(PracticeSession(
        batch_job_id=job.id, batch_filename=filename, kind=job.kind, class_id=job.class_id, topic_id=job.topic_id,
    ), why)


def _roster(classroom: Classroom | None) -> list[User]:
    if classroom is None:
        return []
    return list(db.session.scalars(select(User).join(Enrolment, Enrolment.student_id == User.id)
                                   .where(Enrolment.class_id == classroom.id)))


def _words(text: str) -> str:
    return " ".join(re.split(r"[\s._\-]+", text.lower())).strip()


def match_student(filename: str, roster: list[User], explicit: Mapping[str, str]) -> User | None:
    """The student this file belongs to, by the rule in the module docstring; None when unsure."""
    wanted = lookup(explicit, filename)
    if wanted:
        return next((s for s in roster if s.email == wanted.lower().strip() or str(s.id) == wanted), None)
    stem = _words(Path(filename).stem) + " "
    best: dict[User, int] = {}
    for student in roster:
        for key in {_words(student.name), _words(student.email.split("@")[0])}:
            if key and stem.startswith(key + " "):
                best[student] = max(best.get(student, 0), len(key))
    if not best:
        return None
    longest = max(best.values())
    winners = [s for s, n in best.items() if n == longest]
    return winners[0] if len(winners) == 1 else None


def job_counts(job_id: str) -> dict[str, int]:
    """How many of the job's items are in each session status."""
    rows = db.session.execute(
        select(PracticeSession.status, func.count()).where(PracticeSession.batch_job_id == job_id)
        .group_by(PracticeSession.status)
    )
    return {status: count for status, count in rows}


def derive_status(counts: Mapping[str, int]) -> str:
    total = sum(counts.values())
    done, failed = counts.get(SessionStatus.DONE.value, 0), counts.get(SessionStatus.FAILED.value, 0)
    waiting = counts.get(SessionStatus.SUBMITTED.value, 0)
    if done + failed < total:
        return "queued" if waiting == total else "running"
    if failed == 0:
        return "succeeded"
    return "failed" if done == 0 else "partially_failed"


def refresh_job(job_id: str) -> BatchJob | None:
    """Copy the counters and status derived from the job's sessions onto the BatchJob row; the caller commits."""
    job = db.session.get(BatchJob, job_id)
    if job is None:
        return None
    counts = job_counts(job_id)
    job.total = sum(counts.values())
    job.done = counts.get(SessionStatus.DONE.value, 0)
    job.failed = counts.get(SessionStatus.FAILED.value, 0)
    job.status = derive_status(counts)
    if job.status != "queued" and job.started_at is None:
        job.started_at = utcnow()
    if job.status in ("succeeded", "partially_failed", "failed"):
        job.finished_at = job.finished_at or utcnow()
    return job
