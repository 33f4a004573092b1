"""Word-level alignment of what was heard against what should have been read.

A Levenshtein alignment between reference words and recognised words; near-miss
spellings ("colour"/"color", "its"/"it's") count as matches so recogniser spelling
choices are not reported as a child's mistake. Pure functions, thread-safe.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Sequence

MATCH, SUB, DEL, INS = "match", "sub", "del", "ins"


@dataclass(frozen=True)
class EditOp:
    op: str  # match | sub | del (reference word not heard) | ins (heard, not in reference)
    ref: Optional[int]  # index into the reference words
    hyp: Optional[int]  # index into the recognised words


def char_distance(a: Sequence[str], b: Sequence[str]) -> int:
    """Levenshtein distance between two short strings (words) or phone lists."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """1 - normalised edit distance: 1 for equal sequences, 0 for nothing in common."""
    return 1.0 - char_distance(a, b) / max(len(a), len(b), 1)


def words_match(a: str, b: str) -> bool:
    """True when two normalised words are the same word up to spelling noise."""
    if a == b:
        return True
    a2, b2 = a.replace("'", ""), b.replace("'", "")
    if a2 == b2:
        return True
    # Allow one edit in words of 5+ letters (color/colour, grey/gray are shorter but rare).
    return min(len(a2), len(b2)) >= 5 and char_distance(a2, b2) <= 1


def _pair_cost(a: str, b: str) -> float:
    # 0 for a match, 1..1.5 for a substitution (1.5 when nothing alike): one
    # substitution beats a deletion plus an insertion (2), but two unlike
    # substitutions (3) never hide a real omission and insertion.
    if words_match(a, b):
        return 0.0
    return 1.5 - 0.5 * similarity(a, b)


def align_words(ref: Sequence[str], hyp: Sequence[str]) -> list[EditOp]:
    """Minimum-edit alignment; every reference and every hypothesis index appears exactly once.

    A substitution costs less the more alike the spellings are, so the alignment
    pairing "all" with "are" wins over pairing it with "tended"; a misread word stays
    one error and insertions land where they were heard.
    """
    n, m = len(ref), len(hyp)
    cost = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        cost[i][0] = i
    for j in range(1, m + 1):
        cost[0][j] = j
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            diag = cost[i - 1][j - 1] + _pair_cost(ref[i - 1], hyp[j - 1])
            cost[i][j] = min(diag, cost[i - 1][j] + 1, cost[i][j - 1] + 1)
    ops: list[EditOp] = []
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0:
            same = words_match(ref[i - 1], hyp[j - 1])
            if math.isclose(cost[i][j], cost[i - 1][j - 1] + _pair_cost(ref[i - 1], hyp[j - 1])):
                ops.append(EditOp(MATCH if same else SUB, i - 1, j - 1))
                i, j = i - 1, j - 1
                continue
        if i > 0 and math.isclose(cost[i][j], cost[i - 1][j] + 1):
            ops.append(EditOp(DEL, i - 1, None))
            i -= 1
        else:
            ops.append(EditOp(INS, None, j - 1))
            j -= 1
    return ops[::-1]
