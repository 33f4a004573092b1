"""0-100 scores, each returned with the numbers it was computed from.

Every score is a weighted mean of parts; each part maps one measured number
onto 0-100 with a piecewise-linear curve (``interp``) that only ever moves in
the right direction (fewer fillers never lowers a score). Every score is then
multiplied by ``amount``: the share of a minimum number of words the student
said, so a silent or near-empty recording can never score high.
Formulas are documented in docs/report-schema.md.
"""
from __future__ import annotations

from itertools import pairwise
from typing import Mapping, Sequence

from .norms import COMFORTABLE_WPM, FILLERS_PER_100_OK, NOTE_WPM

WEIGHTS = {"fluency": 0.25, "vocabulary": 0.20, "grammar": 0.20, "relevance": 0.20, "structure": 0.15}

# (x, score) points; between points the score is linear, outside it is flat.
# Full marks inside the comfortable pace, 70 at the edges of the noted range.
PACE_CURVE = ((50, 0), (NOTE_WPM[0], 70), (COMFORTABLE_WPM[0], 100), (COMFORTABLE_WPM[1], 100), (NOTE_WPM[1], 70),
              (240, 0))
FILLER_CURVE = ((2, 100), (FILLERS_PER_100_OK, 80), (10, 0))  # fillers per 100 words
LONG_PAUSE_CURVE = ((1, 100), (3, 60), (6, 0))  # pauses over 1 s per minute
STUMBLE_CURVE = ((1, 100), (3, 70), (8, 0))  # repetitions + restarts per 100 words
MTLD_CURVE = ((15, 0), (30, 50), (60, 100))
RARE_SHARE_CURVE = ((0.0, 20), (0.05, 50), (0.15, 100))
VARIETY_CURVE = ((0, 0), (1, 30), (2, 55), (3, 75), (4, 90), (5, 100))  # distinct structures
ERROR_CURVE = ((0, 100), (2, 70), (6, 0))  # likely errors per 100 words
LINKING_CURVE = ((0, 0), (1, 40), (2, 65), (3, 85), (4, 100))  # distinct linking words
SENTENCE_LENGTH_CURVE = ((2, 10), (5, 70), (8, 100), (20, 100), (35, 50))


def interp(x: float, curve: Sequence[tuple[float, float]]) -> float:
    """Piecewise-linear value of *curve* at *x*, flat beyond its first and last points."""
    if x <= curve[0][0]:
        return float(curve[0][1])
    for (x0, y0), (x1, y1) in pairwise(curve):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return float(curve[-1][1])


def expected_words(speaking_seconds: float) -> float:
    """Words a student must say for full credit: 0.75 per task second, kept within 20..60."""
    return max(20.0, min(60.0, 0.75 * speaking_seconds))


def _score(parts: Mapping[str, tuple[float, float]], amount: float, inputs: dict) -> dict:
    """Combine {part: (weight, value)} into one 0-100 score scaled by *amount*."""
    total = sum(w for w, _ in parts.values())
    raw = sum(w * v for w, v in parts.values()) / total
    return {
        "score": round(raw * amount),
        "inputs": inputs,
        "parts": {k: round(v) for k, (_, v) in parts.items()},
        "amount": round(amount, 3),
    }


def compute_scores(m: Mapping, grammar: Mapping, relevance: Mapping, speaking_seconds: float) -> dict:
    """Scores for fluency, vocabulary, grammar, relevance, structure and overall.

    *m* is the report's flat ``metrics``; *grammar* has ``structures`` and
    ``errors``; *relevance* is ``relevance.relevance(...)``. Each returned item is
    {"score": 0-100 int, "inputs": {...}, "parts": {...}, "amount": 0..1}.
    """
    words = m["word_count"]
    amount = min(1.0, words / expected_words(speaking_seconds))
    minutes = m["speech_span"] / 60
    per100 = 100.0 / words if words else 0.0
    long_pm = m["long_pause_count"] / minutes if minutes > 0 else 0.0
    stumbles = (m["repetition_count"] + m["restart_count"]) * per100
    used = [k for k, v in grammar["structures"].items() if v["count"]]
    errors = len(grammar["errors"]) * per100
    linking = m["distinct_linking_words"]
    # Without a topic there is nothing to be relevant to: relevance is left out of the overall
    # score (and of structure's on-topic opening) instead of counting as zero.
    topical = relevance.get("applicable", True)
    base = {"word_count": words, "expected_words": expected_words(speaking_seconds)}
    scores = {
        "fluency": _score(
            {
                "pace": (0.35, interp(m["words_per_minute"], PACE_CURVE)),
                "fillers": (0.30, interp(m["fillers_per_100_words"], FILLER_CURVE)),
                "long_pauses": (0.20, interp(long_pm, LONG_PAUSE_CURVE)),
                "smoothness": (0.15, interp(stumbles, STUMBLE_CURVE)),
            },
            amount,
            {
                **base,
                "words_per_minute": m["words_per_minute"],
                "fillers_per_100_words": m["fillers_per_100_words"],
                "long_pauses_per_minute": round(long_pm, 2),
                "repetitions_restarts_per_100_words": round(stumbles, 2),
            },
        ),
        "vocabulary": _score(
            {
                "diversity": (0.6, interp(m["mtld"], MTLD_CURVE)),
                "range": (0.4, interp(m["less_common_share"], RARE_SHARE_CURVE)),
            },
            amount,
            {**base, "mtld": m["mtld"], "less_common_share": m["less_common_share"]},
        ),
        "grammar": _score(
            {"variety": (0.6, interp(len(used), VARIETY_CURVE)), "accuracy": (0.4, interp(errors, ERROR_CURVE))},
            amount,
            {
                **base,
                "structures_used": used,
                "likely_errors": len(grammar["errors"]),
                "errors_per_100_words": round(errors, 2),
            },
        ),
        "relevance": _score(
            {"topic": (1.0, 100 * relevance["score"])},
            amount,
            {**base, "relevance": relevance["score"], "coverage": relevance["coverage"], "focus": relevance["focus"]},
        ),
        "structure": _score(
            {
                "linking": (0.4, interp(linking, LINKING_CURVE)),
                "sentences": (
                    0.3,
                    interp(m["mean_sentence_length"], SENTENCE_LENGTH_CURVE)
                    * (1.0 if m["sentence_count"] >= 2 else 0.5),
                ),
                **({"opening": (0.3, 100.0 if relevance["opening_on_topic"] else 30.0)} if topical else {}),
            },
            amount,
            {
                **base,
                "distinct_linking_words": linking,
                "sentence_count": m["sentence_count"],
                "mean_sentence_length": m["mean_sentence_length"],
                "opening_on_topic": relevance["opening_on_topic"],
            },
        ),
    }
    scores["relevance"]["applicable"] = topical
    weights = WEIGHTS if topical else {k: w for k, w in WEIGHTS.items() if k != "relevance"}
    # Each part already carries *amount*, so it is not applied twice.
    overall = sum(w * scores[k]["score"] for k, w in weights.items()) / sum(weights.values())
    scores["overall"] = {
        "score": round(overall),
        "inputs": {"weights": dict(weights)},
        "parts": {k: scores[k]["score"] for k in weights},
        "amount": round(amount, 3),
    }
    return scores
