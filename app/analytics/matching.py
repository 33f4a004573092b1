"""Tutorials from the catalogue for the class's weaknesses, each with the reason it was chosen."""

from __future__ import annotations

from app.analysis.rounding import whole

from .students import LEVELS
from .tutorials import Tutorial, tutorials_for

PER_WEAKNESS, MAX_TOTAL = 2, 6


def _fits(tutorial: Tutorial, level: str | None) -> bool:
    """An activity fits when its lowest level is not above the level the class mostly speaks at."""
    return level is None or LEVELS.index(tutorial.level) <= LEVELS.index(level)


def recommend(weaknesses: list[dict], class_level: str | None) -> list[dict]:
    """Up to two tutorials per weakness, worst weakness first, at most six in all.

    Activities at or below the class's typical vocabulary level come first; a
    harder one is offered only when nothing easier trains that skill.
    """
    chosen: list[dict] = []
    for weakness in weaknesses:
        candidates = tutorials_for(weakness["key"])
        fitting = [t for t in candidates if _fits(t, class_level)] or candidates
        for tutorial in fitting[:PER_WEAKNESS]:
            if len(chosen) < MAX_TOTAL and all(c["id"] != tutorial.id for c in chosen):
                chosen.append(
                    {**tutorial.to_json(), "for_skill": weakness["label"], "why": _why(weakness, tutorial, class_level)}
                )
    return chosen


def _why(weakness: dict, tutorial: Tutorial, class_level: str | None) -> str:
    level = f" Suits a class speaking mostly at {class_level}." if class_level and _fits(tutorial, class_level) else ""
    score = f"{whole(weakness['score'])}/100"
    return f"{weakness['label']} is one of the class's weakest skills ({score}): {weakness['detail']}{level}"
