"""Small, exact statistics over lists that may contain None (a figure a session did not have)."""

from __future__ import annotations

import math
from typing import Iterable, Sequence


def present(values: Iterable[float | None]) -> list[float]:
    return [float(v) for v in values if v is not None]


def mean(values: Iterable[float | None]) -> float | None:
    xs = present(values)
    return sum(xs) / len(xs) if xs else None


def sd(values: Iterable[float | None]) -> float | None:
    """Population standard deviation: the spread of this class, not an estimate for others."""
    xs = present(values)
    if not xs:
        return None
    m = sum(xs) / len(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / len(xs))


def median(values: Iterable[float | None]) -> float | None:
    xs = sorted(present(values))
    if not xs:
        return None
    mid = len(xs) // 2
    return xs[mid] if len(xs) % 2 else (xs[mid - 1] + xs[mid]) / 2


def rounded(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value, places)


def describe(values: Iterable[float | None], places: int = 1) -> dict:
    """n, mean, sd, median, min and max, rounded for display; None figures when there is no data."""
    xs = present(values)
    return {
        "n": len(xs),
        "mean": rounded(mean(xs), places),
        "sd": rounded(sd(xs), places),
        "median": rounded(median(xs), places),
        "min": rounded(min(xs), places) if xs else None,
        "max": rounded(max(xs), places) if xs else None,
    }


def histogram(values: Iterable[float | None], edges: Sequence[float]) -> dict:
    """Counts per bin [edges[i], edges[i+1]); values outside go to the first or last bin."""
    xs = present(values)
    counts = [0] * (len(edges) - 1)
    for x in xs:
        i = next((k for k in range(len(edges) - 1) if x < edges[k + 1]), len(edges) - 2)
        counts[max(i, 0)] += 1
    labels = [f"{edges[i]:g}–{edges[i + 1]:g}" for i in range(len(edges) - 1)]
    return {"labels": labels, "counts": counts}


def change(current: float | None, previous: float | None) -> dict:
    return {
        "current": rounded(current),
        "previous": rounded(previous),
        "change": rounded(current - previous) if current is not None and previous is not None else None,
    }
