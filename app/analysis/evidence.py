"""Which recognised words are sure enough to hold up to a student as their own words.

Every engine gives each word a probability that it was really said (faster-whisper's word
probability, Azure's word or phrase confidence). Below ``SURE_CONFIDENCE`` a word is shown
lightly in the transcript as "not sure we heard this", is never quoted in feedback, and earns
or loses no points as grammar or vocabulary evidence. The bar and how it was calibrated on
learners' speech: docs/feedback.md ("Evidence you can trust").
"""
from __future__ import annotations

from typing import Sequence

SURE_CONFIDENCE = 0.7
UNSURE_LABEL = "not sure we heard this"
# A quote cut out of a sentence is worth showing only with at least this many words.
MIN_QUOTE_WORDS = 3
ELLIPSIS = "\u2026"


def is_sure(confidence: float) -> bool:
    """True when a word heard with *confidence* (0..1) may be quoted and counted as evidence."""
    return confidence >= SURE_CONFIDENCE


def sure_run(sure: Sequence[bool], min_words: int = MIN_QUOTE_WORDS) -> tuple[int, int] | None:
    """[a, b) of the longest run of sure words (the first of equal runs), or None.

    The whole range when every word is sure, however short; otherwise a run of at least
    *min_words*, so a cut-out quote still says something.
    """
    if sure and all(sure):
        return 0, len(sure)
    best, start = None, None
    for i, ok in enumerate([*sure, False]):
        if ok and start is None:
            start = i
        elif not ok and start is not None:
            if i - start >= min_words and (best is None or i - start > best[1] - best[0]):
                best = (start, i)
            start = None
    return best


def cut_marks(text: str, *, cut_before: bool, cut_after: bool) -> str:
    """*text* with an ellipsis where words of its sentence were left out."""
    return f"{ELLIPSIS if cut_before else ''}{text}{ELLIPSIS if cut_after else ''}"
