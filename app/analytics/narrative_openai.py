"""The analytics prompt and the OpenAI-compatible narrator.

The model sees ``prompt_payload(summary)`` only: class-level numbers, skill
details and short quotes that were already stripped of names. Never the
roster, a student's name or email, the class name, or any audio.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from app.analysis.llm import ChatSettings, ask_json, fallback_reason
from app.analysis.redaction import Redactor

from .narrative import InvalidNarrative, local_narrative, validate_narrative

SYSTEM_PROMPT = """You help a school teacher understand how their class is doing at speaking practice
(students aged 8 to 16, many learning English). You receive class-level figures as JSON:
participation, delivery (pace, fillers, pauses) with trends, language (vocabulary, grammar focus,
rubric), pronunciation, the strongest and weakest skills with their numbers, counts of students
who need attention, and the recommended tutorials. Write a short, practical narrative for the
teacher. Only use facts present in the data; never invent names or numbers; be warm and specific.
Reply with ONE JSON object and nothing else, with exactly these keys:
{"headline": string (one sentence),
 "paragraphs": [string] (2-4 short paragraphs),
 "actions": [string] (1-4 concrete next steps for the teacher)}"""

_SKILL_KEYS = ("key", "label", "score", "detail")


def _skill(row: dict) -> dict:
    quote = row.get("quote")
    return {**{k: row[k] for k in _SKILL_KEYS}, "quote": quote.get("text") if isinstance(quote, dict) else None}


def prompt_payload(summary: Mapping[str, Any]) -> dict:
    """The aggregates the model may see, through the one redaction step (app/analysis/redaction.py) with
    every name the summary holds."""
    return Redactor(_names_in(summary)).payload(_payload(summary))


def _names_in(value: Any) -> set[str]:
    """Every "name" the summary holds (students needing attention, those who have not practised…)."""
    if isinstance(value, dict):
        found = {value["name"]} if isinstance(value.get("name"), str) else set()
        return found.union(*(_names_in(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_names_in(v) for v in value))
    return set()


def _payload(summary: Mapping[str, Any]) -> dict:
    """Built by allow-list, so new summary fields stay private by default."""
    p, lang, pron = summary["participation"], summary["language"], summary["pronunciation"]
    reasons: dict[str, int] = {}
    for student in summary["attention"]:
        for code in {r["code"] for r in student["reasons"]}:
            reasons[code] = reasons.get(code, 0) + 1
    return {
        "period": summary["period"],
        "participation": {
            k: p[k]
            for k in (
                "enrolled",
                "practised",
                "sessions",
                "talks",
                "readings",
                "sessions_per_student",
                "minutes_spoken",
            )
        }
        | {"not_practised": len(p["not_practised"])},
        "delivery": summary["delivery"],
        "scores": summary["scores"],
        "language": {
            "lexical_diversity": lang["lexical_diversity"],
            "vocabulary_level": lang["vocabulary_level"],
            "curriculum_words": {k: lang["curriculum_words"][k] for k in ("used", "never_used", "coverage")},
            "grammar_focus": lang["grammar_focus"],
            "rubric": lang["rubric"],
        },
        "pronunciation": {k: pron[k] for k in ("readings", "accuracy", "fluency", "prosody", "words", "sounds")},
        "strengths": [_skill(s) for s in summary["strengths"]],
        "weaknesses": [_skill(s) for s in summary["weaknesses"]],
        "students_needing_attention": {"total": len(summary["attention"]), "by_reason": reasons},
        "tutorials": [
            {"title": t["title"], "skill": t["for_skill"], "minutes": t["minutes"]} for t in summary["tutorials"]
        ],
    }


def user_message(summary: Mapping[str, Any]) -> str:
    return "Class figures:\n" + json.dumps(prompt_payload(summary), ensure_ascii=False, separators=(",", ":"))


class OpenAINarrator:
    """One chat-completions request per summary, no retries: the local fallback is instant."""

    def __init__(self, settings: ChatSettings) -> None:
        self.settings = settings

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "OpenAINarrator":
        return cls(ChatSettings.from_config(config))

    def write(self, summary: Mapping[str, Any]) -> dict:
        """The model's narrative if valid; otherwise the local one, saying why."""
        try:
            reply = ask_json(self.settings, SYSTEM_PROMPT, user_message(summary), InvalidNarrative)
            return {**validate_narrative(reply), "writer": f"openai:{self.settings.model}"}
        except Exception as exc:  # noqa: BLE001 - the teacher must always get a narrative
            return {**local_narrative(dict(summary)), "writer": "local", "fallback_reason": fallback_reason(exc)}
