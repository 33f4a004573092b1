"""A saved impromptu report, arranged for the report macros (student and teacher pages alike).

The templates only loop and test; every choice (what is highlighted, which band
a score is in, how a time reads) is made here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from app.analysis.evidence import UNSURE_LABEL
from app.analysis.norms import score_band
from app.analysis.rounding import whole
from app.models import PracticeSession

SCORE_LABELS = (("overall", "Overall"), ("fluency", "Fluency"), ("vocabulary", "Vocabulary"),
                ("grammar", "Grammar"), ("relevance", "On topic"), ("structure", "Structure"))


@dataclass(frozen=True)
class Score:
    key: str
    label: str
    value: float | None
    band: str  # badge class suffix: good / fair / bad / muted
    band_label: str  # the band in words, so colour is never the only signal


@dataclass(frozen=True)
class Token:
    kind: str  # word, filler, repetition, target, pause
    text: str  # as shown: the recogniser's written form, punctuation included
    start: float
    end: float = 0.0
    unsure: bool = False  # below the confidence bar: shown lightly, "not sure we heard this"
    sentence: int = 0
    word: str = ""  # the bare word, for labels ("um" where text is "Um,"); "" = text

    @property
    def label(self) -> str:
        return self.word or self.text

    @property
    def clock(self) -> str:
        return clock(self.start)


@dataclass(frozen=True)
class Note:
    text: str
    quote: str | None = None
    start: float | None = None

    @property
    def clock(self) -> str:
        return clock(self.start) if self.start is not None else ""


@dataclass
class ReportView:
    scores: list[Score]
    tokens: list[Token]
    summary: str = ""
    strengths: list[Note] = field(default_factory=list)
    improvements: list[Note] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    metrics: list[tuple[str, str]] = field(default_factory=list)
    curriculum: dict[str, Any] | None = None
    curriculum_notes: list[str] = field(default_factory=list)
    filler_count: int = 0
    long_pause_count: int = 0
    unsure_label: str = UNSURE_LABEL

    @property
    def sentences(self) -> list[list[Token]]:
        """The transcript's tokens grouped by sentence, in order."""
        groups: list[list[Token]] = []
        for token in self.tokens:
            if not groups or token.sentence != groups[-1][-1].sentence:
                groups.append([])
            groups[-1].append(token)
        return groups

    @property
    def unsure_count(self) -> int:
        return sum(1 for t in self.tokens if t.unsure)


def clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def score_value(raw: Any) -> float | None:
    """A score is a number or a dict holding it under "score" (or "value" in older reports)."""
    if isinstance(raw, dict):
        raw = raw.get("score", raw.get("value"))
    return float(raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else None


def build_report_view(session: PracticeSession, audience: str = "student") -> ReportView | None:
    """The report arranged for *audience*: 'teacher' sees the teacher-only fields, anyone else the
    student's copy (PracticeSession.student_report)."""
    report = session.report_for(audience)
    if not isinstance(report, dict) or session.kind != "impromptu":
        return None
    scores = [_score(key, label, report.get("scores", {}).get(key)) for key, label in SCORE_LABELS]
    if session.override_score is not None:
        scores[0] = _score("overall", "Overall (teacher)", session.headline_score)
    feedback = report.get("feedback") or {}
    metrics = report.get("metrics") or {}
    return ReportView(
        scores=scores,
        tokens=transcript_tokens(report),
        summary=summary_with_effective_score(str(feedback.get("summary", "")), session),
        strengths=[_note(item) for item in feedback.get("strengths", [])],
        improvements=[_note(item) for item in feedback.get("improvements", [])],
        next_steps=[str(step) for step in feedback.get("next_steps", [])],
        metrics=_metric_rows(metrics),
        curriculum=report.get("curriculum") or None,
        curriculum_notes=[str(line) for line in feedback.get("curriculum", [])],
        filler_count=int(metrics.get("filler_count") or 0),
        long_pause_count=sum(1 for p in report.get("pauses", []) if p.get("is_long")),
    )


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def summary_with_effective_score(summary: str, session: PracticeSession) -> str:
    """The summary as it stands once a teacher has set the score: the sentences that give the
    automatic overall score make way for one giving the teacher's, so the prose and the score
    card never disagree."""
    if session.override_score is None or not summary:
        return summary
    teacher = f"Your teacher set your overall score to {whole(session.override_score)} out of 100."
    automatic = session.overall_score
    stale = re.compile(rf"\b{whole(automatic)}\b" if automatic is not None else r"(?!)")
    sentences = _SENTENCE_END.split(summary.strip())
    kept = [s for s in sentences if not ("score" in s.lower() and stale.search(s))]
    at = next((i for i, s in enumerate(sentences) if s not in kept), 0)
    kept.insert(min(at, len(kept)), teacher)
    return " ".join(kept)


def transcript_tokens(report: dict[str, Any]) -> list[Token]:
    """Words in order, as the recogniser wrote them, with each long pause placed where it happened.

    A pause belongs to the sentence of the word before it. Reports saved before words had a
    written form, a sentence and an unsure flag show the bare word, as one sentence, all sure.
    """
    pauses = sorted((p for p in report.get("pauses", []) if p.get("is_long")), key=lambda p: p["start"])
    tokens: list[Token] = []
    sentence = 0
    for word in report.get("words", []):
        while pauses and pauses[0]["start"] < word["start"]:
            tokens.append(_pause_token(pauses.pop(0), sentence))
        sentence = int(word.get("sentence", 0))
        tokens.append(Token(_word_kind(word), word.get("display") or word["word"], word["start"], word["end"],
                            unsure=bool(word.get("is_unsure")), sentence=sentence, word=word["word"]))
    tokens += [_pause_token(p, sentence) for p in pauses]
    return tokens


def _pause_token(pause: dict[str, Any], sentence: int) -> Token:
    return Token("pause", f"{pause['length']:.1f} s pause", pause["start"], pause["end"], sentence=sentence)


def _word_kind(word: dict[str, Any]) -> str:
    if word.get("is_filler"):
        return "filler"
    if word.get("is_repetition"):
        return "repetition"
    return "target" if word.get("is_target_word") else "word"


def _score(key: str, label: str, raw: Any) -> Score:
    not_applicable = isinstance(raw, dict) and raw.get("applicable") is False  # e.g. relevance without a topic
    value = None if not_applicable else score_value(raw)
    return Score(key, label, value, *score_band(value))


def _note(item: Any) -> Note:
    if isinstance(item, dict):
        return Note(str(item.get("text", "")), item.get("quote"), item.get("start"))
    return Note(str(item))


def _metric_rows(metrics: dict[str, Any]) -> list[tuple[str, str]]:
    rows = [("Words", metrics.get("word_count")), ("Words per minute", metrics.get("words_per_minute")),
            ("Filler words", metrics.get("filler_count")), ("Long pauses", metrics.get("long_pause_count")),
            ("Different words", metrics.get("unique_words"))]
    return [(label, str(whole(value))) for label, value in rows if isinstance(value, (int, float))]
