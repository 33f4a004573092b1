"""A teacher's review of a reading, word by word: accept or reject the machine's marks, or mark a
word it missed; the reading's scores are recomputed from the marks.

The reviewed result replaces ``session.report`` and its figures the session's columns
(``accuracy_score``, ``pron_score``, ``words_correct_per_minute``…), so the student's page, the
roster, My Progress and the class report all read the reviewed figures without knowing. The
machine's own marks and scores stay inside the result (``MachineErrorType`` / ``MachineMarks`` on
each changed word, ``MachineScores``), and ``machine_result`` gives it back whole.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.analysis.engines.reading_figures import EXTRA
from app.analysis.engines.reading_review import EXTRA_REVIEW, REFERENCE_REVIEW
from app.analysis.pronunciation import recompute_reading
from app.analytics.cache import invalidate_for_session
from app.audit import Action, record
from app.extensions import db
from app.models import PracticeSession, SessionKind, SessionStatus, User, WordReview

from .analysis_runner import copy_reading_figures

ERROR_TYPES = tuple(dict.fromkeys((*REFERENCE_REVIEW, *EXTRA_REVIEW)))
# What each mark means, in the teacher's words.
MARK_LABELS = {
    "None": "Read correctly",
    "Mispronunciation": "Misread or mispronounced",
    "Omission": "Missed out",
    "UnexpectedBreak": "Read correctly, after a long pause",
    EXTRA: "Extra word (not in the passage)",
    "Repetition": "Said again (not an error)",
    "SelfCorrection": "Corrected themselves (not an error)",
}


class WordReviewError(Exception):
    """A review the reading cannot take; the message is shown as it is."""

    def __init__(self, message: str, *, not_found: bool = False) -> None:
        super().__init__(message)
        self.not_found = not_found


def reviews_of(session: PracticeSession) -> dict[int, WordReview]:
    """{word index: the teacher's review} of one reading."""
    rows = db.session.scalars(select(WordReview).where(WordReview.session_id == session.id))
    return {row.word_index: row for row in rows}


def review_word(session: PracticeSession, teacher: User, index: int, error_type: str) -> dict[str, Any]:
    """Set the teacher's mark on word *index* of a scored reading and recompute its scores from every
    mark the teacher has set; returns the reviewed word. Raises WordReviewError for a reading that
    is not scored yet, a word that is not there, or a mark that does not fit the word."""
    if session.kind != SessionKind.PRONUNCIATION.value or session.status != SessionStatus.DONE.value \
            or not session.report:
        raise WordReviewError("Only a scored reading can be reviewed word by word.")
    words = session.report.get("Words") or []
    if not 0 <= index < len(words):
        raise WordReviewError(f"This reading has no word {index}.", not_found=True)
    reviews = reviews_of(session)
    overrides = {i: r.error_type for i, r in reviews.items()} | {index: error_type}
    try:
        reviewed = recompute_reading(session.report, overrides)
    except ValueError as exc:
        raise WordReviewError(_mark_message(words[index])) from exc
    row = reviews.get(index) or WordReview(session_id=session.id, word_index=index)
    row.error_type, row.reviewer_id = error_type, teacher.id
    db.session.add(row)
    session.report = reviewed
    copy_reading_figures(session, reviewed)
    invalidate_for_session(session)  # the class report's cached figures include this reading's
    # The word's place and the mark, not the word itself: an event holds nothing the child read.
    record(Action.WORD_REVIEWED, session, {"word": index + 1, "mark": MARK_LABELS[error_type],
                                           "accuracy_rate": reviewed.get("AccuracyRate")}, actor=teacher)
    return reviewed["Words"][index]


def _mark_message(word: dict) -> str:
    allowed = EXTRA_REVIEW if word.get("ErrorType") == EXTRA else REFERENCE_REVIEW
    return f"“{word.get('Word', '')}” can be marked {', '.join(allowed)}."


def current_mark(word: dict[str, Any]) -> str:
    """The mark a word carries now, in the terms a review sets: an extra word's mark, else its ErrorType."""
    if word.get("ErrorType") == EXTRA:
        marks = [m for m in word.get("Marks") or [] if m in EXTRA_REVIEW]
        return marks[0] if marks else EXTRA
    return word.get("ErrorType") or "None"


def machine_mark(word: dict[str, Any]) -> str:
    """The machine's mark on a word, whatever the teacher changed."""
    return current_mark({**word, "ErrorType": word.get("MachineErrorType", word.get("ErrorType")),
                         "Marks": word.get("MachineMarks", word.get("Marks"))})


def mark_choices(word: dict[str, Any]) -> list[tuple[str, str]]:
    """[(mark, label)] a teacher may set on this word."""
    allowed = EXTRA_REVIEW if word.get("ErrorType") == EXTRA else REFERENCE_REVIEW
    return [(mark, MARK_LABELS[mark]) for mark in allowed]


def machine_result(report: dict[str, Any]) -> dict[str, Any]:
    """The machine's result before any review (a reading never reviewed comes back as it is)."""
    return recompute_reading(report, {})


def is_reviewed(report: dict[str, Any] | None) -> bool:
    return bool(report and report.get("MachineScores"))
