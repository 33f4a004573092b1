"""Practice sessions: one recording of one student, its analysis and the teacher's review."""
from __future__ import annotations

import copy
import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, case, func
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

from .types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .classes import Classroom, Topic
    from .users import User


class SessionKind(str, enum.Enum):
    IMPROMPTU = "impromptu"
    PRONUNCIATION = "pronunciation"


SESSION_KINDS = tuple(kind.value for kind in SessionKind)


class SessionStatus(str, enum.Enum):
    IN_PROGRESS = "in_progress"  # recorder open
    SUBMITTED = "submitted"  # audio saved, waiting in the queue
    TRANSCRIBING = "transcribing"
    SCORING = "scoring"
    DONE = "done"
    FAILED = "failed"
    ABANDONED = "abandoned"


ACTIVE_ANALYSIS_STATUSES = (
    SessionStatus.SUBMITTED.value, SessionStatus.TRANSCRIBING.value, SessionStatus.SCORING.value,
)


# Parts of a saved report written for the teacher alone, as (section, field) paths: the class's
# private grammar notes ("students do not see this" on the curriculum form). ``student_report``
# leaves them out of everything a student is shown or sent.
TEACHER_ONLY_REPORT_FIELDS: tuple[tuple[str, str], ...] = (("curriculum", "grammar_notes"),)


def report_for_student(report: dict[str, Any] | None) -> dict[str, Any] | None:
    """A copy of *report* without its teacher-only fields."""
    if not isinstance(report, dict):
        return report
    shown = copy.deepcopy(report)
    for section, name in TEACHER_ONLY_REPORT_FIELDS:
        if isinstance(shown.get(section), dict):
            shown[section].pop(name, None)
    return shown


class PracticeSession(db.Model):
    __tablename__ = "practice_sessions"
    __table_args__ = (
        Index("ix_practice_sessions_student_started", "student_id", "started_at"),
        Index("ix_practice_sessions_class_status", "class_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Null only for a batch recording that no student was matched to.
    student_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    class_id: Mapped[int | None] = mapped_column(ForeignKey("classes.id", ondelete="SET NULL"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16), default=SessionKind.IMPROMPTU.value)
    status: Mapped[str] = mapped_column(String(16), default=SessionStatus.IN_PROGRESS.value)
    # What the student was asked: the topic's title and prompt, or the passage to read,
    # copied so later edits to the topic do not rewrite history.
    prompt_title: Mapped[str] = mapped_column(String(200), default="")
    prompt_text: Mapped[str] = mapped_column(Text, default="")
    planned_seconds: Mapped[int] = mapped_column(Integer, default=0)

    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Where the recording is stored (app/storage/keys.py): "sessions/<id>/<file>" or "batches/<job>/<file>".
    audio_key: Mapped[str | None] = mapped_column(String(500))
    audio_mime: Mapped[str | None] = mapped_column(String(100))
    audio_seconds: Mapped[float | None] = mapped_column(Float)
    audio_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    upload_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    parts_received: Mapped[int] = mapped_column(Integer, default=0)

    transcript: Mapped[str | None] = mapped_column(Text)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error_code: Mapped[str | None] = mapped_column(String(40))
    error_message: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    task_id: Mapped[str | None] = mapped_column(String(64))

    # Headline scores, copied out of the report so lists and charts need no JSON parsing.
    overall_score: Mapped[float | None] = mapped_column(Float)
    fluency_score: Mapped[float | None] = mapped_column(Float)
    vocabulary_score: Mapped[float | None] = mapped_column(Float)
    grammar_score: Mapped[float | None] = mapped_column(Float)
    relevance_score: Mapped[float | None] = mapped_column(Float)
    words_per_minute: Mapped[float | None] = mapped_column(Float)
    fillers_per_minute: Mapped[float | None] = mapped_column(Float)
    accuracy_score: Mapped[float | None] = mapped_column(Float)
    pron_fluency_score: Mapped[float | None] = mapped_column(Float)
    completeness_score: Mapped[float | None] = mapped_column(Float)
    prosody_score: Mapped[float | None] = mapped_column(Float)
    pron_score: Mapped[float | None] = mapped_column(Float)
    # A reading's fluency as schools measure it: words correct per minute, and words read
    # correctly / words in the passage (0-100).
    words_correct_per_minute: Mapped[float | None] = mapped_column(Float)
    accuracy_rate: Mapped[float | None] = mapped_column(Float)

    # The teacher's override; the automatic score above is kept beside it.
    override_score: Mapped[float | None] = mapped_column(Float)
    override_reason: Mapped[str | None] = mapped_column(Text)
    override_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    override_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The teacher's latest feedback (an override or a comment) and when the student last opened it:
    # the dashboard marks the session "new from your teacher" in between.
    teacher_feedback_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    feedback_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    batch_job_id: Mapped[str | None] = mapped_column(ForeignKey("batch_jobs.id", ondelete="CASCADE"), index=True)
    batch_filename: Mapped[str | None] = mapped_column(String(255))
    # A batch file is matched to a student by its name only as a proposal: the student sees it once
    # the teacher who ran the batch confirms the match (app/practice/visibility.py).
    match_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    student: Mapped["User | None"] = relationship(foreign_keys=[student_id])
    classroom: Mapped["Classroom | None"] = relationship()
    topic: Mapped["Topic | None"] = relationship()
    comments: Mapped[list["SessionComment"]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionComment.created_at"
    )

    @property
    def is_being_analysed(self) -> bool:
        """Submitted and not yet scored: it cannot be deleted, and pages say it is on its way."""
        return self.status in ACTIVE_ANALYSIS_STATUSES

    @property
    def is_finished(self) -> bool:
        return self.status in (SessionStatus.DONE.value, SessionStatus.FAILED.value, SessionStatus.ABANDONED.value)

    @property
    def has_new_feedback(self) -> bool:
        """The teacher gave feedback the student has not opened yet."""
        return self.teacher_feedback_at is not None and (
            self.feedback_seen_at is None or self.feedback_seen_at < self.teacher_feedback_at)

    @property
    def student_report(self) -> dict[str, Any] | None:
        """The report as its student may see it (TEACHER_ONLY_REPORT_FIELDS left out)."""
        return report_for_student(self.report)

    def report_for(self, audience: str) -> dict[str, Any] | None:
        """The report for 'teacher' (whole) or anyone else (the student's copy)."""
        return self.report if audience == "teacher" else self.student_report

    @property
    def automatic_score(self) -> float | None:
        """The engine's score for the session's kind (PronScore for a reading, the overall score for a
        speech), whatever the teacher set; headline_score's SQL below spells the same choice."""
        return self.pron_score if self.kind == SessionKind.PRONUNCIATION.value else self.overall_score

    @hybrid_property
    def headline_score(self) -> float | None:
        """The score a person reads first: the teacher's override, else the automatic score for the
        session's kind (PronScore for a reading, the overall score for a speech).

        The same rule in Python (this) and in SQL (below), for lists, charts, bests and exports.
        """
        return self.override_score if self.override_score is not None else self.automatic_score

    @headline_score.inplace.expression
    @classmethod
    def _headline_score_expression(cls):
        return func.coalesce(
            cls.override_score,
            case((cls.kind == SessionKind.PRONUNCIATION.value, cls.pron_score), else_=cls.overall_score),
        )

    @property
    def audio_kept_days(self) -> int | None:
        """How many days the recording was kept, once the retention purge removed it; else None."""
        if self.audio_key or self.audio_expires_at is None or self.audio_expires_at > utcnow():
            return None
        return max(0, (self.audio_expires_at - (self.submitted_at or self.started_at)).days)

    def headline_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "topic": {"id": self.topic_id, "title": self.prompt_title} if self.prompt_title else None,
            "class_id": self.class_id,
            "started_at": _iso(self.started_at),
            "submitted_at": _iso(self.submitted_at),
            "finished_at": _iso(self.finished_at),
            "audio_seconds": self.audio_seconds,
            # The score to show first (the teacher's override, else the automatic one for the kind).
            "headline_score": self.headline_score,
            "scores": {
                "overall": self.overall_score,
                "fluency": self.fluency_score,
                "vocabulary": self.vocabulary_score,
                "grammar": self.grammar_score,
                "relevance": self.relevance_score,
                "words_per_minute": self.words_per_minute,
                "fillers_per_minute": self.fillers_per_minute,
                "accuracy": self.accuracy_score,
                "pron_fluency": self.pron_fluency_score,
                "completeness": self.completeness_score,
                "prosody": self.prosody_score,
                "pron_score": self.pron_score,
                "words_correct_per_minute": self.words_correct_per_minute,
                "accuracy_rate": self.accuracy_rate,
                "override": self.override_score,
            },
            "error": {"code": self.error_code, "message": self.error_message} if self.error_code else None,
        }


class WordReview(db.Model):
    """A teacher's mark on one word of a reading: the ErrorType (or, for an extra spoken word, the
    mark) they decided on, which may confirm the machine's. The reading's result is recomputed from
    all of them; the machine's own marks and scores stay in the result (MachineErrorType, MachineScores)."""

    __tablename__ = "word_reviews"
    __table_args__ = (UniqueConstraint("session_id", "word_index", name="uq_word_reviews_session_word"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("practice_sessions.id", ondelete="CASCADE"), index=True)
    word_index: Mapped[int] = mapped_column(Integer)
    error_type: Mapped[str] = mapped_column(String(32))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class SessionComment(db.Model):
    __tablename__ = "session_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("practice_sessions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[PracticeSession] = relationship(back_populates="comments")
    author: Mapped["User"] = relationship()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
