"""Reading-fluency figures from a reading's word marks.

The rules are those of oral-reading-fluency (ORF) practice, e.g. DIBELS ORF and the
Hasbrouck & Tindal norms: the examiner times the reading from the first word the child
says and counts the words read correctly. A word omitted or misread is an error; a word
misread and then corrected by the child (a self-correction) counts as read correctly;
repetitions and inserted words are not errors. Reading time runs like the examiner's
stopwatch, from the start of the first spoken word to the end of the last one, every
pause, repetition and self-correction in between included; silence before the first word
and after the last is not reading time. A reading longer than one minute is scored as a
one-minute timing: the words correct that the child began within the first minute.

Everything here reads only the ``Words`` list of the Azure-shaped JSON (see
``PronunciationResult.to_json``), so every engine's result, and a teacher's review of it,
gets the same figures (``reading_review.recompute`` applies a review). Pure functions,
thread-safe.
"""
from __future__ import annotations

from typing import Mapping, Sequence

EXTRA = "Insertion"  # ErrorType of a spoken word that is not the passage's word at that place
MISREAD = frozenset({"Omission", "Mispronunciation"})  # a passage word not read correctly
REPETITION, SELF_CORRECTION = "Repetition", "SelfCorrection"
# Marks on extra spoken words that say why they are not miscues.
EXTRA_MARKS = (REPETITION, SELF_CORRECTION)
TIMING_SECONDS = 60.0  # one-minute timing, as ORF probes are given


def is_reference(word: Mapping) -> bool:
    """True for a passage word (every passage word is listed once), False for an extra spoken word."""
    return word.get("ErrorType") != EXTRA


def read_correctly(word: Mapping) -> bool:
    """True for a passage word the child read correctly (a self-corrected word included)."""
    return is_reference(word) and word.get("ErrorType") not in MISREAD


def was_said(word: Mapping) -> bool:
    return word.get("ErrorType") != "Omission"


def reading_span(words: Sequence[Mapping]) -> tuple[float, float]:
    """(start, end) in seconds from the first spoken word's start to the last one's end; (0, 0) for none."""
    spoken = [w for w in words if was_said(w)]
    if not spoken:
        return 0.0, 0.0
    start = min(float(w.get("Offset", 0.0)) for w in spoken)
    end = max(float(w.get("Offset", 0.0)) + float(w.get("Duration", 0.0)) for w in spoken)
    return start, max(end, start)


def accuracy_rate(words: Sequence[Mapping]) -> float:
    """Passage words read correctly / passage words, 0..100."""
    reference = [w for w in words if is_reference(w)]
    return 100.0 * sum(map(read_correctly, reference)) / len(reference) if reference else 0.0


def words_correct_per_minute(words: Sequence[Mapping]) -> float:
    """Words read correctly per minute of reading time (see the module docstring for the timing)."""
    start, end = reading_span(words)
    seconds = end - start
    correct = [w for w in words if read_correctly(w)]
    if seconds <= 0:
        return 0.0
    if seconds <= TIMING_SECONDS:
        return 60.0 * len(correct) / seconds
    return float(sum(float(w.get("Offset", 0.0)) < start + TIMING_SECONDS for w in correct))


def reading_figures(words: Sequence[Mapping]) -> dict:
    """The top-level reading figures of a result, rounded as the JSON carries them."""
    start, end = reading_span(words)
    return {
        "AccuracyRate": round(accuracy_rate(words), 1),
        "WordsCorrectPerMinute": round(words_correct_per_minute(words), 1),
        "ReadingSeconds": round(end - start, 2),
    }
