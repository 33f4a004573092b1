"""Reading-fluency figures from a reading's word marks, and their recomputation after review.

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
gets the same figures. Pure functions, thread-safe.
"""
from __future__ import annotations

import copy
from typing import Mapping, Sequence

from .pron_scores import pron_score

EXTRA = "Insertion"  # ErrorType of a spoken word that is not the passage's word at that place
MISREAD = frozenset({"Omission", "Mispronunciation"})  # a passage word not read correctly
REPETITION, SELF_CORRECTION = "Repetition", "SelfCorrection"
# Marks on extra spoken words that say why they are not miscues.
EXTRA_MARKS = (REPETITION, SELF_CORRECTION)
# What a reviewer may set: a passage word gets an ErrorType, an extra spoken word a mark.
REFERENCE_REVIEW = ("None", "Mispronunciation", "Omission", "UnexpectedBreak")
EXTRA_REVIEW = (EXTRA, *EXTRA_MARKS)
TIMING_SECONDS = 60.0  # one-minute timing, as ORF probes are given
SCORE_KEYS = ("AccuracyScore", "CompletenessScore", "PronScore", "AccuracyRate", "WordsCorrectPerMinute",
              "ReadingSeconds")


def is_reference(word: Mapping) -> bool:
    """True for a passage word (every passage word is listed once), False for an extra spoken word."""
    return word.get("ErrorType") != EXTRA


def read_correctly(word: Mapping) -> bool:
    """True for a passage word the child read correctly (a self-corrected word included)."""
    return is_reference(word) and word.get("ErrorType") not in MISREAD


def _spoken(word: Mapping) -> bool:
    return word.get("ErrorType") != "Omission"


def reading_span(words: Sequence[Mapping]) -> tuple[float, float]:
    """(start, end) in seconds from the first spoken word's start to the last one's end; (0, 0) for none."""
    spoken = [w for w in words if _spoken(w)]
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


def _machine(word: Mapping) -> tuple[str, list]:
    """The machine's ErrorType and marks of *word*, whether or not it has been reviewed."""
    error = word.get("MachineErrorType", word.get("ErrorType", "None"))
    return error, list(word.get("MachineMarks", word.get("Marks", [])))


def _reviewed_word(word: Mapping, value: str | None) -> dict:
    error, marks = _machine(word)
    out = {k: v for k, v in word.items() if k not in ("MachineErrorType", "MachineMarks")}
    out["ErrorType"], out["Marks"] = error, marks
    if value is None:
        return out
    if error == EXTRA:
        if value not in EXTRA_REVIEW:
            raise ValueError(f"an extra spoken word can be marked {', '.join(EXTRA_REVIEW)}, not {value!r}")
        new_marks = [] if value == EXTRA else [value]
        if new_marks != marks:
            out.update(Marks=new_marks, MachineErrorType=error, MachineMarks=marks)
        return out
    if value not in REFERENCE_REVIEW:
        raise ValueError(f"a passage word can be marked {', '.join(REFERENCE_REVIEW)}, not {value!r}")
    if value != error:
        out.update(ErrorType=value, MachineErrorType=error, MachineMarks=marks)
    return out


def _scores(words: Sequence[Mapping], result: Mapping) -> dict:
    reference = [w for w in words if is_reference(w)]
    # A word the machine heard as omitted has no pronunciation score of its own, so it
    # counts as said for completeness once a reviewer says so, but not in the mean.
    scored = [w for w in reference if _spoken(w) and _machine(w)[0] != "Omission"]
    accuracy = sum(float(w.get("AccuracyScore", 0.0)) for w in scored) / len(scored) if scored else 0.0
    completeness = 100.0 * sum(map(_spoken, reference)) / len(reference) if reference else 0.0
    fluency, prosody = float(result.get("FluencyScore", 0.0)), result.get("ProsodyScore")
    total = pron_score(accuracy, fluency, completeness, None if prosody is None else float(prosody))
    return {"AccuracyScore": round(accuracy, 1), "CompletenessScore": round(completeness, 1),
            "PronScore": round(total, 1), **reading_figures(words)}


def recompute(result: Mapping, word_overrides: Mapping[int, str]) -> dict:
    """A copy of *result* (a reading's JSON) with a reviewer's marks applied and its scores
    recomputed from the word marks; *result* itself is not changed.

    *word_overrides* maps an index into ``Words`` to the reviewer's mark: for a passage word
    an ErrorType in REFERENCE_REVIEW, for an extra spoken word (ErrorType Insertion) one of
    EXTRA_REVIEW. It is the whole review: it always applies to the machine's marks, which
    every changed word keeps as ``MachineErrorType`` / ``MachineMarks``, and the machine's
    scores stay under ``MachineScores``. A mark equal to the machine's changes nothing, and
    with no change at all the machine's result comes back as it was. Raises ValueError for
    an index out of range or a mark that does not fit the word.
    """
    words = result.get("Words", [])
    overrides = {int(k): v for k, v in word_overrides.items()}
    for index in overrides:
        if not 0 <= index < len(words):
            raise ValueError(f"there is no word {index} (the reading has {len(words)})")
    reviewed = [_reviewed_word(w, overrides.get(i)) for i, w in enumerate(words)]
    out = {k: copy.deepcopy(v) for k, v in result.items() if k not in ("Words", "MachineScores")}
    machine = result.get("MachineScores")
    if machine:
        out.update(machine)
    out["Words"] = reviewed
    if any("MachineErrorType" in w for w in reviewed):
        out["MachineScores"] = {k: out[k] for k in SCORE_KEYS if k in out}
        out.update(_scores(reviewed, out))
    return out
