"""Run the analysis of one saved session and store its report."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.analysis.context import Curriculum, RubricCriterion, SpeakingTask
from app.analysis.errors import AnalysisError
from app.extensions import db
from app.models import (
    ACTIVE_ANALYSIS_STATUSES,
    CurriculumGoal,
    Enrolment,
    PracticeSession,
    SessionKind,
    SessionStatus,
    User,
)
from app.storage import ObjectMissing

from . import states
from .recordings import recording_file, store_playback_copy
from .report_view import score_value

MSG_RECORDING_GONE = "This recording is no longer stored, so it cannot be analysed. Please record it again."


def run_session_analysis(session_id: int) -> PracticeSession | None:
    """Analyse the session's audio and save the report, committing as each stage starts.

    Input the pipeline cannot use (silence, corrupt audio...) marks the session
    `failed` with the child-friendly reason. Any other exception is left to the
    caller (the Celery task), which retries and finally calls ``mark_failed``.
    """
    session = db.session.get(PracticeSession, session_id)
    if session is None or session.status not in ACTIVE_ANALYSIS_STATUSES:
        return session
    session.attempts += 1
    _set_stage(session, SessionStatus.TRANSCRIBING.value)
    try:
        with recording_file(session) as audio:
            store_playback_copy(session, audio)
            if session.kind == SessionKind.PRONUNCIATION.value:
                report = _assess_pronunciation(session, audio)
            else:
                report = _analyse_impromptu(session, audio)
    except AnalysisError as exc:
        db.session.rollback()
        mark_failed(session, exc.message, exc.code)
        return session
    except ObjectMissing:
        db.session.rollback()
        mark_failed(session, MSG_RECORDING_GONE, "audio_missing")
        return session
    store_report(session, report)
    db.session.commit()
    _after_report(session)
    return session


def mark_failed(session: PracticeSession, message: str, code: str = "analysis_failed") -> None:
    """Fail the session with *message* for the student, and commit."""
    states.fail(session, code, message)
    db.session.commit()


def store_report(session: PracticeSession, report: dict[str, Any]) -> None:
    """Save the report and copy its headline figures into columns for lists and charts."""
    states.finish(session)
    session.report = report
    if session.kind == SessionKind.PRONUNCIATION.value:
        session.transcript = report.get("RecognizedText")
        session.audio_seconds = report.get("Duration") or session.audio_seconds
        copy_reading_figures(session, report)
        return
    scores, metrics = report.get("scores", {}), report.get("metrics", {})
    session.transcript = report.get("transcript")
    session.audio_seconds = report.get("duration") or session.audio_seconds
    session.overall_score = score_value(scores.get("overall"))
    session.fluency_score = score_value(scores.get("fluency"))
    session.vocabulary_score = score_value(scores.get("vocabulary"))
    session.grammar_score = score_value(scores.get("grammar"))
    session.relevance_score = score_value(scores.get("relevance"))
    session.words_per_minute = metrics.get("words_per_minute")
    session.fillers_per_minute = metrics.get("fillers_per_minute")


def copy_reading_figures(session: PracticeSession, report: dict[str, Any]) -> None:
    """Copy a reading result's scores into the session's columns (after scoring, and after a teacher's review)."""
    session.accuracy_score = report.get("AccuracyScore")
    session.pron_fluency_score = report.get("FluencyScore")
    session.completeness_score = report.get("CompletenessScore")
    session.prosody_score = report.get("ProsodyScore")
    session.pron_score = report.get("PronScore")
    session.words_correct_per_minute = report.get("WordsCorrectPerMinute")
    session.accuracy_rate = report.get("AccuracyRate")


def _set_stage(session: PracticeSession, stage: str) -> None:
    states.enter_stage(session, stage)
    db.session.commit()


def _analyse_impromptu(session: PracticeSession, audio: Path) -> dict[str, Any]:
    from app.analysis.pipeline import analyse_impromptu

    return analyse_impromptu(
        audio,
        speaking_task_for(session),
        current_app.config,
        on_stage=lambda stage: _set_stage(session, stage),
    )


def _assess_pronunciation(session: PracticeSession, audio: Path) -> dict[str, Any]:
    from app.analysis.pronunciation import assess_pronunciation

    strictness = session.classroom.pronunciation_strictness if session.classroom else "gentle"
    _set_stage(session, SessionStatus.SCORING.value)
    return assess_pronunciation(audio, session.prompt_text, current_app.config, strictness=strictness)


def speaking_task_for(session: PracticeSession) -> SpeakingTask:
    """The topic and this week's curriculum of the session's class, as the pipeline sees them."""
    goal = session.classroom.curriculum if session.classroom else None
    speaking = session.topic.speaking_seconds if session.topic else max(session.planned_seconds, 30)
    return SpeakingTask(
        title=session.prompt_title,
        prompt=session.prompt_text,
        speaking_seconds=speaking,
        curriculum=curriculum_from(goal),
        private_names=roster_names(session),
    )


def roster_names(session: PracticeSession) -> tuple[str, ...]:
    """The speaker's name and those of everyone in their classes: what the redaction step keeps in."""
    if session.student_id is None:
        return ()
    classes = select(Enrolment.class_id).where(Enrolment.student_id == session.student_id)
    names = db.session.scalars(
        select(User.name).join(Enrolment, Enrolment.student_id == User.id).where(Enrolment.class_id.in_(classes))
    )
    return tuple(sorted({*names, session.student.name if session.student else ""} - {""}))


def curriculum_from(goal: CurriculumGoal | None) -> Curriculum:
    if goal is None:
        return Curriculum()
    return Curriculum(
        grammar_focus=tuple(goal.grammar_focus or ()),
        grammar_notes=goal.grammar_notes or "",
        vocabulary=tuple(goal.vocabulary or ()),
        rubric=tuple(
            RubricCriterion(c["name"], c.get("description", ""), float(c.get("weight", 0))) for c in goal.rubric or ()
        ),
    )


def _after_report(session: PracticeSession) -> None:
    """Hook for work that follows a finished report (class summary refresh, batch counters)."""
    for callback in current_app.extensions.get("podium_after_report", []):
        callback(session)
