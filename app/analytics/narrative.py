"""The class report's narrative for the teacher: the local writer, and the shape every narrator returns.

Both narrators (this local one and narrative_openai.py, chosen by cache.write_narrative)
return {"headline", "paragraphs", "actions", "writer"}; the model's answer is validated
here and any failure falls back to the local text, with ``writer`` and
``fallback_reason`` saying so.
"""

from __future__ import annotations

from typing import Any

from app.analysis.llm import InvalidReply
from app.analysis.norms import FILLERS_PER_100_OK, pace_range
from app.analysis.rounding import whole
from app.analysis.wording import plural, spoken_time

MAX_HEADLINE, MAX_PARAGRAPH, MAX_ACTION = 200, 900, 300


class InvalidNarrative(InvalidReply):
    """A writer produced a narrative of the wrong shape."""

    label = "invalid narrative"


def _fmt(value: float | None, places: int = 0) -> str:
    return "—" if value is None else f"{value:.{places}f}"


def _change(trend: dict, unit: str) -> str:
    delta = trend.get("change")
    if delta is None:
        return ""
    if abs(delta) < 1:
        return "about the same as in the previous period"
    return f"{whole(abs(delta))} {unit} {'higher' if delta > 0 else 'lower'} than the previous period"


def local_narrative(s: dict) -> dict:
    """A plain-English account of the figures, in the order a teacher reads the report."""
    p, period = s["participation"], s["period"]
    span = f"between {period.get('from_text', period['from'])} and {period.get('to_text', period['to'])}"
    if s.get("empty"):
        who = (
            f"None of the {p['enrolled']} students in the class finished a practice session {span}."
            if p["enrolled"]
            else "No students have joined this class yet."
        )
        return {
            "headline": "No finished practice in this period yet.",
            "paragraphs": [who + " Once students record talks or readings, this report fills in by itself."],
            "actions": ["Remind the class to record a practice talk this week."]
            if p["enrolled"]
            else ["Share the class join code so students can join."],
        }
    paragraphs = [_participation(p, span)]
    if p["talks"]:
        paragraphs.append(_delivery(s["delivery"], s["scores"]))
    skills = _skills(s["strengths"], s["weaknesses"])
    if skills:
        paragraphs.append(skills)
    if s["pronunciation"]["readings"]:
        paragraphs.append(_pronunciation(s["pronunciation"]))
    actions = [f"Try “{t['title']}” ({t['minutes']} min) for {t['for_skill'].lower()}." for t in s["tutorials"][:3]]
    if s["attention"]:
        actions.append(
            f"Check in with the {plural(len(s['attention']), 'student')} listed under “Needs attention”."
        )
    weakest = s["weaknesses"][0]["label"].lower() if s["weaknesses"] else None
    headline = (
        f"{p['practised']} of {plural(p['enrolled'], 'student')} practised; focus next on {weakest}."
        if weakest
        else f"{p['practised']} of {plural(p['enrolled'], 'student')} practised, with no weak area standing out."
    )
    return {"headline": headline, "paragraphs": paragraphs, "actions": actions}


def _participation(p: dict, span: str) -> str:
    text = (
        f"{p['practised']} of {plural(p['enrolled'], 'student')} practised {span}: "
        f"{plural(p['sessions'], 'finished session')} ({plural(p['talks'], 'speech')}, "
        f"{plural(p['readings'], 'reading')}) and {spoken_time(p['minutes_spoken'] * 60)} of speaking."
    )
    missing = len(p["not_practised"])
    if missing:
        text += f" {plural(missing, 'student')} {'has' if missing == 1 else 'have'} not practised yet."
    return text


def _delivery(d: dict, scores: dict) -> str:
    wpm, band, fill = d["words_per_minute"], d["bands"]["wpm"], d["bands"]["fillers"]
    text = (
        f"The class speaks at {_fmt(wpm['mean'])} words a minute on average ({band['inside']} of "
        f"{plural(band['of'], 'student')} inside the comfortable {pace_range()} range) "
        f"and uses {_fmt(d['fillers_per_100_words']['mean'], 1)} "
        f"filler words per 100 words ({fill['inside']} of {fill['of']} under {FILLERS_PER_100_OK:g})."
    )
    overall = scores["overall"]["mean"]
    if overall is not None:
        text += f" The average speech score is {whole(overall)}"
        trend = _change(d["trend"]["overall"], "points")
        text += f", {trend}." if trend else "."
    return text


def _skills(strengths: list[dict], weaknesses: list[dict]) -> str:
    parts = []
    if strengths:
        parts.append(
            "The class does best at "
            + ", ".join(f"{s['label'].lower()} ({s.get('shown') or format(s['score'], '.0f') + '/100'})"
                        for s in strengths)
            + "."
        )
    if weaknesses:
        parts.append(
            "The weakest areas are "
            + ", ".join(f"{w['label'].lower()} ({w.get('shown') or format(w['score'], '.0f') + '/100'})"
                        for w in weaknesses)
            + f". {weaknesses[0]['detail']}"
        )
    return " ".join(parts)


def _pronunciation(p: dict) -> str:
    text = (
        f"In {plural(p['readings'], 'reading')} aloud, pronunciation accuracy averages {_fmt(p['accuracy']['mean'])} "
        f"and prosody {_fmt(p['prosody']['mean'])}."
    )
    if p["sounds"]:
        text += " The sounds missed most often are " + ", ".join(f"/{x['sound']}/" for x in p["sounds"][:3]) + "."
    if p["words"]:
        text += " Words to practise: " + ", ".join(w["word"] for w in p["words"][:5]) + "."
    return text


def validate_narrative(obj: Any) -> dict:
    """A clean copy of *obj* if it is a valid narrative, else InvalidNarrative."""
    if not isinstance(obj, dict):
        raise InvalidNarrative("not a JSON object")
    headline, paragraphs, actions = obj.get("headline"), obj.get("paragraphs"), obj.get("actions", [])
    if not isinstance(headline, str) or not headline.strip() or len(headline) > MAX_HEADLINE:
        raise InvalidNarrative("headline must be a short string")
    if not isinstance(paragraphs, list) or not 1 <= len(paragraphs) <= 5:
        raise InvalidNarrative("paragraphs must be a list of 1-5 strings")
    if not isinstance(actions, list) or len(actions) > 5:
        raise InvalidNarrative("actions must be a list of at most 5 strings")
    for text, limit in [(t, MAX_PARAGRAPH) for t in paragraphs] + [(a, MAX_ACTION) for a in actions]:
        if not isinstance(text, str) or not text.strip() or len(text) > limit:
            raise InvalidNarrative("every paragraph and action must be a non-empty string of sensible length")
    return {
        "headline": headline.strip(),
        "paragraphs": [t.strip() for t in paragraphs],
        "actions": [a.strip() for a in actions],
    }
