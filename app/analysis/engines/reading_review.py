"""A teacher's review of a reading's word marks, and the scores recomputed from it.

The reviewer accepts or changes the machine's marks word by word; ``recompute`` applies
the whole review to the machine's result, keeps the machine's marks and scores beside the
reviewed ones, and recomputes AccuracyScore, CompletenessScore and PronScore (Azure's
formula, base.pron_score) and the reading figures (reading_figures) from the marks.
Pure functions, thread-safe.
"""
from __future__ import annotations

import copy
from typing import Mapping, Sequence

from .base import pron_score
from .reading_figures import EXTRA, EXTRA_MARKS, is_reference, reading_figures, was_said

# What a reviewer may set: a passage word gets an ErrorType, an extra spoken word a mark.
REFERENCE_REVIEW = ("None", "Mispronunciation", "Omission", "UnexpectedBreak")
EXTRA_REVIEW = (EXTRA, *EXTRA_MARKS)
SCORE_KEYS = ("AccuracyScore", "CompletenessScore", "PronScore", "AccuracyRate", "WordsCorrectPerMinute",
              "ReadingSeconds")

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
    scored = [w for w in reference if was_said(w) and _machine(w)[0] != "Omission"]
    accuracy = sum(float(w.get("AccuracyScore", 0.0)) for w in scored) / len(scored) if scored else 0.0
    completeness = 100.0 * sum(map(was_said, reference)) / len(reference) if reference else 0.0
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
