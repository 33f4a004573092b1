"""Tricky words: the words a student missed or misread in their recent readings, practised one by one.

A word is missed when its mark in a reading's result is Omission or Mispronunciation, as the
teacher's review left it (the result a student sees). An attempt is good when the assessor heard the
word and scored it at least GOOD_WORD_SCORE; a word is learnt after good attempts on two different
days, and is then no longer offered.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Mapping

from flask import current_app
from sqlalchemy import select

from app.dates import SchoolCalendar, calendar_of
from app.extensions import db
from app.models import Enrolment, PracticeSession, SessionKind, SessionStatus, User, WordAttempt
from app.storage import keys, storage

from .visibility import owned_by
from .word_speech import clean_word

MISSED = ("Omission", "Mispronunciation")
RECENT_READINGS = 10  # a student's words come from this many of their latest readings
CLASS_READINGS = 300  # the class's hardest words come from this many of its latest readings
GOOD_WORD_SCORE = 80.0  # the reading page's "good" level for a word
DAYS_TO_LEARN = 2


def missed_words(report: Mapping[str, Any] | None) -> list[str]:
    """The passage words a reading's result marks as missed or misread, cleaned, in reading order."""
    words = []
    for word in (report or {}).get("Words") or []:
        cleaned = clean_word(str(word.get("Word", "")))
        if word.get("ErrorType") in MISSED and cleaned:
            words.append(cleaned)
    return words


@dataclass(frozen=True)
class TrickyWord:
    word: str
    times_missed: int
    good_days: int
    last_attempt: WordAttempt | None

    @property
    def is_learnt(self) -> bool:
        return self.good_days >= DAYS_TO_LEARN


def _recent_readings(where: Iterable, limit: int) -> list[PracticeSession]:
    query = (
        select(PracticeSession)
        .where(PracticeSession.kind == SessionKind.PRONUNCIATION.value,
               PracticeSession.status == SessionStatus.DONE.value, *where)
        .order_by(PracticeSession.started_at.desc(), PracticeSession.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def _attempts(student: User) -> dict[str, list[WordAttempt]]:
    rows = db.session.scalars(select(WordAttempt).where(WordAttempt.student_id == student.id)
                              .order_by(WordAttempt.attempted_at, WordAttempt.id))
    out: dict[str, list[WordAttempt]] = {}
    for row in rows:
        out.setdefault(row.word, []).append(row)
    return out


def _good_days(attempts: list[WordAttempt], calendar: SchoolCalendar) -> int:
    """Days, in the school's time zone, with at least one good attempt."""
    return len({calendar.local(a.attempted_at).date() for a in attempts if a.is_good})


def tricky_words(student: User, *, include_learnt: bool = False) -> list[TrickyWord]:
    """The student's missed words from their recent readings, most often missed first; learnt ones
    are left out unless asked for."""
    counts = Counter(w for s in _recent_readings([owned_by(student.id)], RECENT_READINGS)
                     for w in missed_words(s.report))
    attempts, calendar = _attempts(student), calendar_of(student)
    rows = [TrickyWord(word, n, _good_days(attempts.get(word, []), calendar), (attempts.get(word) or [None])[-1])
            for word, n in counts.most_common()]
    return [r for r in rows if include_learnt or not r.is_learnt]


def tricky_word(student: User, word: str) -> TrickyWord | None:
    """One of the student's tricky words (learnt or not), or None when it is not theirs."""
    return next((t for t in tricky_words(student, include_learnt=True) if t.word == word), None)


def record_attempt(student: User, word: str, audio: bytes, kind: str, mime: str | None,
                   strictness: str = "gentle", now: datetime | None = None) -> WordAttempt:
    """Score the student's recording of *word* with the reading assessor, keep the recording in the
    object store, and save the attempt. Raises the assessor's AnalysisError for audio it cannot use
    (silence, a different word read, a corrupt file)."""
    from app.analysis.pronunciation import assess_pronunciation

    config = {**current_app.config, "ANALYSIS_MIN_SPEECH_SECONDS": current_app.config["WORD_MIN_SPEECH_SECONDS"]}
    result = assess_pronunciation(audio, word, config, strictness=strictness)
    heard = [w for w in result.get("Words") or [] if w.get("ErrorType") not in ("Omission", "Insertion")]
    score = float(heard[0].get("AccuracyScore", 0.0)) if heard else None
    attempt = WordAttempt(student_id=student.id, word=word, score=score,
                          is_good=score is not None and score >= GOOD_WORD_SCORE, audio_mime=mime)
    if now is not None:
        attempt.attempted_at = now
    db.session.add(attempt)
    db.session.flush()
    attempt.audio_key = keys.word_attempt(student.id, attempt.id, kind)
    storage().write(attempt.audio_key, audio)
    return attempt


@dataclass(frozen=True)
class HardWord:
    word: str
    students: int
    times_missed: int


def class_hardest_words(class_id: int, limit: int = 10) -> list[HardWord]:
    """The words most students of the class missed in its recent readings (ties: most misses)."""
    enrolled = select(Enrolment.student_id).where(Enrolment.class_id == class_id)
    readings = _recent_readings([PracticeSession.student_id.in_(enrolled),
                                 (PracticeSession.class_id == class_id) | PracticeSession.class_id.is_(None)],
                                CLASS_READINGS)
    times: Counter[str] = Counter()
    who: dict[str, set[int]] = {}
    for reading in readings:
        for word in missed_words(reading.report):
            times[word] += 1
            who.setdefault(word, set()).add(reading.student_id)
    ranked = sorted(times, key=lambda w: (-len(who[w]), -times[w], w))
    return [HardWord(w, len(who[w]), times[w]) for w in ranked[:limit]]
