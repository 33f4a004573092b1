"""Retention, enforced: what is past its time leaves the store (and, for reports, the database).

* a session's recording and playback copy, once kept for its school's ``audio_retention_days``
  (app/school/settings.py) counted from when it was sent; a batch file after BATCH_RETENTION_DAYS;
* parts of a recording never sent, ABANDONED_PARTS_DAYS after the recorder was last heard from;
* transcripts and reports after REPORT_RETENTION_DAYS, when that is set (0 keeps them);
* audit events (app/audit/) after AUDIT_RETENTION_DAYS (0 keeps them).

The worker runs ``purge_expired`` every PURGE_INTERVAL_SECONDS (app/jobs/__init__.py) and
``flask purge-expired [--dry-run]`` runs it by hand. The session row, its scores and the moment its
recording went stay, so its pages say "recording deleted after N days" instead of showing a broken player.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Mapping

from sqlalchemy import delete, func, or_, select

from app.extensions import db
from app.models import AuditEvent, Classroom, Enrolment, PracticeSession, School, SessionStatus, User, utcnow
from app.practice.recordings import delete_recording
from app.school.settings import school_setting
from app.storage import keys, storage

# Parts of these sessions may still be completed by their recorder.
OPEN_STATUSES = (SessionStatus.IN_PROGRESS.value,)


@dataclass
class PurgeReport:
    recordings: list[int] = field(default_factory=list)  # session ids whose audio went
    parts: list[int] = field(default_factory=list)  # session ids whose unsent parts went
    reports: list[int] = field(default_factory=list)  # session ids whose transcript and report went
    audit_events: int = 0  # audit events past their retention (removed unless a dry run)
    objects: int = 0  # stored objects removed (0 in a dry run)

    def lines(self) -> list[str]:
        return [
            f"recordings past their retention: {len(self.recordings)} {_ids(self.recordings)}",
            f"parts of recordings never sent: {len(self.parts)} {_ids(self.parts)}",
            f"reports and transcripts past their retention: {len(self.reports)} {_ids(self.reports)}",
            f"audit events past their retention: {self.audit_events}",
            f"stored objects removed: {self.objects}",
        ]


def _ids(ids: list[int]) -> str:
    return "(sessions " + ", ".join(map(str, ids)) + ")" if ids else ""


def audio_retention_days(session: PracticeSession, config: Mapping, schools: dict[int | None, School | None]) -> int:
    if session.batch_job_id is not None:
        return config["BATCH_RETENTION_DAYS"]
    return int(school_setting(schools.get(session.student_id), "audio_retention_days"))


def purge_expired(config: Mapping, *, now: datetime | None = None, dry_run: bool = False) -> PurgeReport:
    """Remove what is past its retention (or, with *dry_run*, only say what would go). Does not commit."""
    now = now or utcnow()
    report = PurgeReport()
    _purge_recordings(config, now, dry_run, report)
    _purge_unsent_parts(config, now, dry_run, report)
    _purge_reports(config, now, dry_run, report)
    _purge_audit_events(config, now, dry_run, report)
    return report


def _purge_recordings(config: Mapping, now: datetime, dry_run: bool, report: PurgeReport) -> None:
    sent = func.coalesce(PracticeSession.submitted_at, PracticeSession.started_at)
    shortest = min([config["AUDIO_RETENTION_DAYS"], config["BATCH_RETENTION_DAYS"], *_school_retentions()])
    candidates = db.session.scalars(
        select(PracticeSession)
        .where(PracticeSession.audio_key.is_not(None), PracticeSession.status.not_in(OPEN_STATUSES),
               or_(sent < now - timedelta(days=shortest), PracticeSession.audio_expires_at <= now))
        .order_by(PracticeSession.id)
    ).all()
    schools = _schools_of([s.student_id for s in candidates])
    for session in candidates:
        expires = (session.submitted_at or session.started_at) + timedelta(
            days=audio_retention_days(session, config, schools))
        if expires > now:
            continue
        report.recordings.append(session.id)
        if not dry_run:
            report.objects += delete_recording(session)
            session.audio_expires_at = expires


def _purge_unsent_parts(config: Mapping, now: datetime, dry_run: bool, report: PurgeReport) -> None:
    by_session: dict[int, int] = {}
    for stored in storage().list("parts/"):
        session_id = stored.key.split("/")[1]
        if session_id.isdigit():
            by_session[int(session_id)] = by_session.get(int(session_id), 0) + 1
    if not by_session:
        return
    cutoff = now - timedelta(days=config["ABANDONED_PARTS_DAYS"])
    live = set(db.session.scalars(
        select(PracticeSession.id).where(
            PracticeSession.id.in_(by_session),
            PracticeSession.status.in_(OPEN_STATUSES),
            func.coalesce(PracticeSession.last_seen_at, PracticeSession.started_at) >= cutoff,
        )
    ))
    for session_id in sorted(set(by_session) - live):
        # Parts outlive their session only when it was abandoned, never sent, or already deleted.
        report.parts.append(session_id)
        if not dry_run:
            report.objects += storage().delete_prefix(keys.parts_prefix(session_id))


def _purge_reports(config: Mapping, now: datetime, dry_run: bool, report: PurgeReport) -> None:
    days = config["REPORT_RETENTION_DAYS"]
    if not days:
        return
    expired = db.session.scalars(
        select(PracticeSession).where(
            PracticeSession.finished_at < now - timedelta(days=days),
            or_(PracticeSession.report.is_not(None), PracticeSession.transcript.is_not(None)),
        ).order_by(PracticeSession.id)
    ).all()
    for session in expired:
        report.reports.append(session.id)
        if not dry_run:
            session.report = None
            session.transcript = None


def _purge_audit_events(config: Mapping, now: datetime, dry_run: bool, report: PurgeReport) -> None:
    days = config["AUDIT_RETENTION_DAYS"]
    if not days:
        return
    expired = AuditEvent.at < now - timedelta(days=days)
    report.audit_events = db.session.scalar(select(func.count()).select_from(AuditEvent).where(expired))
    if report.audit_events and not dry_run:
        db.session.execute(delete(AuditEvent).where(expired))


def _school_retentions() -> list[int]:
    return [int(settings["audio_retention_days"]) for settings in db.session.scalars(select(School.settings))
            if settings and "audio_retention_days" in settings]


def _schools_of(student_ids: list[int | None]) -> dict[int | None, School | None]:
    """Each student's school: their account's, else that of the teacher of the first class they joined."""
    schools: dict[int | None, School | None] = {}
    for student_id in set(student_ids):
        student = db.session.get(User, student_id) if student_id is not None else None
        school_id = student.school_id if student else None
        if student is not None and school_id is None:
            school_id = db.session.scalar(
                select(User.school_id)
                .join(Classroom, Classroom.teacher_id == User.id)
                .join(Enrolment, Enrolment.class_id == Classroom.id)
                .where(Enrolment.student_id == student_id)
                .order_by(Enrolment.joined_at)
                .limit(1)
            )
        schools[student_id] = db.session.get(School, school_id) if school_id else None
    return schools
