"""Full-text scores of the local assessor: fluency, completeness and unexpected breaks.

The combined PronScore is ``engines.base.pron_score``, shared with the Azure engine.
Pure functions, thread-safe.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Optional, Sequence

import numpy as np

from .pron_align import FRAME_RATE, WordSeg

# Longest silence inside a sentence that is still a normal breath, in seconds.
BREAK_SECONDS = {"gentle": 1.2, "standard": 0.9, "strict": 0.7}


def completeness(said: Sequence[bool]) -> float:
    """Share of reference words said, 0..100."""
    return 100.0 * sum(said) / len(said) if said else 0.0


@dataclass(frozen=True)
class FluencyDetail:
    pause_ratio: float  # share of the reading span that is silence between words
    phones_per_second: float  # articulation rate while speaking
    score: float


def _scale(value: float, low: float, high: float) -> float:
    return float(np.clip((value - low) / (high - low), 0.0, 1.0)) * 100.0


def gaps_seconds(words: Sequence[WordSeg]) -> list[float]:
    """Silence between each aligned word and the next (len(words) - 1 values, >= 0)."""
    return [max(0, b.start - a.end) / FRAME_RATE for a, b in pairwise(words)]


def fluency(words: Sequence[WordSeg], said: Sequence[bool]) -> FluencyDetail:
    """Fluency from pauses and rate over the words actually said; 0 when none were."""
    spoken = [w for w, s in zip(words, said, strict=True) if s]
    if not spoken:
        return FluencyDetail(0.0, 0.0, 0.0)
    span = (spoken[-1].end - spoken[0].start) / FRAME_RATE
    pauses = sum(g for g in gaps_seconds(spoken) if g >= 0.15)  # shorter gaps are stop closures
    speaking = max(span - pauses, 1e-3)
    rate = sum(len(w.phones) for w in spoken) / speaking
    pause_ratio = pauses / max(span, 1e-3)
    # Anchors: pauses up to 10% of the span are natural phrasing, 50% is halting;
    # 5 phones/s is word-by-word reading, 9+ is fluent for a young reader.
    pause_part = 100.0 - _scale(pause_ratio, 0.10, 0.50)
    rate_part = _scale(rate, 5.0, 9.0)
    return FluencyDetail(pause_ratio, rate, 0.6 * pause_part + 0.4 * rate_part)


def unexpected_breaks(words: Sequence[WordSeg], said: Sequence[bool], sentence_ends: set[int],
                      strictness: str) -> set[int]:
    """Indices of said words preceded by a long pause that punctuation does not explain."""
    limit = BREAK_SECONDS[strictness]
    found: set[int] = set()
    prev: Optional[WordSeg] = None
    for w, s in zip(words, said, strict=True):
        if not s:
            continue
        if prev is not None and prev.index not in sentence_ends:
            if (w.start - prev.end) / FRAME_RATE > limit:
                found.add(w.index)
        prev = w
    return found
