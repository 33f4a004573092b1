"""Skills the class does best and worst, each with its numbers and a quote.

Every skill gets a 0–100 class figure: a mean score, or the share of students
(or talks) inside the comfortable norm. Strengths are the highest, weaknesses the lowest.
"""

from __future__ import annotations

from typing import Callable

from app.analysis.norms import (
    COMFORTABLE_WPM,
    FILLERS_PER_100_OK,
    GOOD_SCORE,
    LONG_PAUSE_SECONDS,
    LONG_PAUSES_PER_MINUTE_OK,
    pace_range,
)
from app.analysis.rounding import whole
from app.analysis.wording import plural

from .queries import SessionRow
from .quotes import Problem, evidence, quote
from .stats import mean
from .students import StudentFigures, fillers_per_100, long_pauses_per_minute
from .tutorials import SKILLS

# A skill is a strength from 60; it is a weakness until it reaches the good band.
STRENGTH_MIN, WEAKNESS_MAX, PICK = 60.0, float(GOOD_SCORE), 3
SOUND_MIN_COUNT = 5
GRAMMAR_SKILLS = {
    "past_simple": "past_tense",
    "present_perfect": "present_perfect",
    "conditionals": "conditionals",
    "comparatives": "comparatives",
    "linking_words": "linking_words",
    "future_forms": "future_forms",
    "modal_verbs": "modal_verbs",
    "passive_voice": "passive_voice",
}


def skill_rows(summary: dict, figs: list[StudentFigures]) -> list[dict]:
    """Every skill the data can speak to, with its 0-100 figure; keys starting "_" are for split_strengths."""
    talks = [r for f in figs for r in f.talks]
    readings = [r for f in figs for r in f.readings]
    rows = _delivery_rows(summary["delivery"], figs, talks) + _score_rows(summary["scores"], talks)
    rows += _curriculum_rows(summary["language"], talks) + _pronunciation_rows(summary["pronunciation"], readings)
    seen: set[str] = set()
    out = []
    for row in sorted(rows, key=lambda r: r["_priority"]):
        if row["key"] not in seen and row["score"] is not None:
            seen.add(row["key"])
            out.append(row)
    return out


def _row(
    key: str,
    score: float | None,
    detail: str,
    numbers: dict,
    sessions: list[SessionRow],
    problem: Problem,
    *,
    strength: bool = True,
    priority: int = 1,
    shown: str | None = None,
) -> dict:
    return {
        "key": key,
        "label": SKILLS[key],
        "score": None if score is None else round(score, 1),
        # The figure as a teacher reads it: a score out of 100, or for a share "2 of 5 students".
        "shown": shown or (None if score is None else f"{whole(score)}/100"),
        "detail": detail,
        "numbers": numbers,
        "can_be_strength": strength,
        "_sessions": sessions,
        "_problem": problem,
        "_priority": priority,
    }


def _pct(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def _delivery_rows(d: dict, figs: list[StudentFigures], talks: list[SessionRow]) -> list[dict]:
    wpm, fill = d["bands"]["wpm"], d["bands"]["fillers"]
    pauses = [f.long_pauses_per_minute for f in figs if f.long_pauses_per_minute is not None]
    calm = sum(1 for p in pauses if p <= LONG_PAUSES_PER_MINUTE_OK)
    linked = [r for r in talks if (r.metrics or {}).get("distinct_linking_words") is not None]
    two = sum(1 for r in linked if r.metrics["distinct_linking_words"] >= 2)
    return [
        _row(
            "pacing",
            _pct(wpm["inside"], wpm["of"]),
            f"{wpm['inside']} of {plural(wpm['of'], 'student')} speaking at {pace_range()} words a minute (class mean "
            f"{d['words_per_minute']['mean']}; {wpm['below']} slower, {wpm['above']} faster).",
            {**wpm, "mean_wpm": d["words_per_minute"]["mean"]},
            talks,
            lambda r: abs(r.words_per_minute - sum(COMFORTABLE_WPM) / 2) if r.words_per_minute is not None else None,
            shown=f"{wpm['inside']} of {plural(wpm['of'], 'student')} in the comfortable range",
        ),
        _row(
            "fillers",
            _pct(fill["inside"], fill["of"]),
            f"{fill['inside']} of {plural(fill['of'], 'student')} using fewer than {FILLERS_PER_100_OK:g} filler words "
            "per 100 words "
            f"(class mean {d['fillers_per_100_words']['mean']}).",
            {**fill, "mean_per_100": d["fillers_per_100_words"]["mean"]},
            talks,
            fillers_per_100,
            shown=f"{fill['inside']} of {plural(fill['of'], 'student')} under {FILLERS_PER_100_OK:g} per 100 words",
        ),
        _row(
            "pausing",
            _pct(calm, len(pauses)),
            f"{calm} of {plural(len(pauses), 'student')} averaging {LONG_PAUSES_PER_MINUTE_OK:g} or fewer long pauses "
            f"(over {LONG_PAUSE_SECONDS:g} s) a "
            f"minute (class mean {d['long_pauses_per_minute']['mean']}).",
            {"inside": calm, "of": len(pauses), "mean_per_minute": d["long_pauses_per_minute"]["mean"]},
            talks,
            long_pauses_per_minute,
            # Nobody pausing at all is not pausing well: it is never praised as a strength.
            strength=any(p > 0 for p in pauses),
            shown=f"{calm} of {plural(len(pauses), 'student')} with few long pauses",
        ),
        _row(
            "linking_words",
            _pct(two, len(linked)),
            f"{two} of {plural(len(linked), 'speech')} with two or more different linking words.",
            {"talks": two, "of": len(linked)},
            talks,
            lambda r: -float((r.metrics or {}).get("distinct_linking_words") or 0),
            priority=2,
            shown=f"{two} of {plural(len(linked), 'speech')}",
        ),
    ]


def _score_rows(s: dict, talks: list[SessionRow]) -> list[dict]:
    def row(key: str, name: str, attr: str) -> dict:
        stat = s[name]
        return _row(
            key,
            stat["mean"],
            f"Class mean {name} score {stat['mean']} (range {stat['min']}–{stat['max']}, "
            f"{plural(stat['n'], 'student')}).",
            stat,
            talks,
            lambda r: None if getattr(r, attr) is None else 100.0 - getattr(r, attr),
        )

    return [
        row("fluency", "fluency", "fluency_score"),
        row("vocabulary_range", "vocabulary", "vocabulary_score"),
        row("grammar_accuracy", "grammar", "grammar_score"),
        row("topic_relevance", "relevance", "relevance_score"),
        row("structure", "structure", "structure_score"),
    ]


def _word_share(r: SessionRow) -> float | None:
    c = r.curriculum or {}
    return 100.0 * c["target_words_used"] / c["target_words_total"] if c.get("target_words_total") else None


def _curriculum_rows(lang: dict, talks: list[SessionRow]) -> list[dict]:
    shares = [_word_share(r) for r in talks]
    words = lang["curriculum_words"]
    rows = [
        _row(
            "curriculum_vocabulary",
            mean(shares),
            f"Talks used {whole(mean(shares) or 0)}% of the unit's words on average; never used: "
            f"{', '.join(words['never_used']) or 'none'}.",
            {"mean_share": mean(shares), "never_used": words["never_used"], "coverage": words["coverage"]},
            talks,
            lambda r: None if _word_share(r) is None else 100 - _word_share(r),
        )
    ]
    for g in lang["grammar_focus"]:
        if g["key"] in GRAMMAR_SKILLS and g["share"] is not None:
            rows.append(
                _row(
                    GRAMMAR_SKILLS[g["key"]],
                    g["share"],
                    f"{g['label']} heard in {g['talks_heard']} of {plural(g['talks_checked'], 'speech')} "
                    f"({plural(g['students_heard'], 'student')}).",
                    g,
                    talks,
                    lambda r: None,
                    priority=0,
                )
            )
    return rows


def _pronunciation_rows(p: dict, readings: list[SessionRow]) -> list[dict]:
    def score(attr: str) -> Problem:
        return lambda r: None if getattr(r, attr) is None else 100.0 - getattr(r, attr)

    rows = [
        _row(
            "pronunciation_accuracy",
            p["accuracy"]["mean"],
            f"Class mean pronunciation accuracy {p['accuracy']['mean']} in {p['readings']} readings.",
            p["accuracy"],
            readings,
            score("accuracy_score"),
        ),
        _row(
            "intonation",
            p["prosody"]["mean"],
            f"Class mean prosody (rhythm and intonation) {p['prosody']['mean']}.",
            p["prosody"],
            readings,
            score("prosody_score"),
        ),
    ]
    groups: dict[str, list[dict]] = {}
    for sound in p["sounds"]:
        if sound["skill"] and sound["count"] >= SOUND_MIN_COUNT:
            groups.setdefault(sound["skill"], []).append(sound)
    for skill, sounds in sorted(groups.items(), key=lambda kv: -sum(s["low"] for s in kv[1]))[:2]:
        count = sum(s["count"] for s in sounds)
        accuracy = sum(s["mean"] * s["count"] for s in sounds) / count
        names = ", ".join(f"/{s['sound']}/ ({s['low']} of {s['count']} low)" for s in sounds)
        examples = [w for s in sounds for w in s["examples"]][:4]
        rows.append(
            _row(
                skill,
                accuracy,
                f"Sounds often missed: {names}; e.g. {', '.join(examples)}.",
                {"sounds": sounds, "mean_accuracy": round(accuracy, 1)},
                readings,
                score("accuracy_score"),
                strength=False,
            )
        )
    return rows


def split_strengths(skills: list[dict], redact: Callable[[str], str]) -> tuple[list[dict], list[dict], list[dict]]:
    """(all skills, the best few at or above 60, the worst few below 70), JSON-ready; no skill is both.

    Only the chosen few get a quote: finding one means scanning transcripts.
    """
    best = sorted(
        (s for s in skills if s["can_be_strength"] and s["score"] >= STRENGTH_MIN),
        key=lambda s: (-s["score"], s["key"]),
    )[:PICK]
    taken = {s["key"] for s in best}
    worst = sorted(
        (s for s in skills if s["score"] < WEAKNESS_MAX and s["key"] not in taken), key=lambda s: (s["score"], s["key"])
    )[:PICK]

    def public(s: dict) -> dict:
        return {k: v for k, v in s.items() if not k.startswith("_")}

    def quoted(s: dict, strong: bool) -> dict:
        found = (strong and evidence(s)) or quote(s["_sessions"], s["_problem"], s["key"], best=strong, redact=redact)
        return {**public(s), "quote": found}

    return [public(s) for s in skills], [quoted(s, True) for s in best], [quoted(s, False) for s in worst]
