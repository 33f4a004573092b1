"""What the OpenAI-compatible writer sends: instructions and a metrics-only payload.

No audio and no full transcript leave the server: only numbers, the task text,
and short quotes already chosen as evidence, with capitalised words inside a
sentence (likely names of people) replaced by "[name]". Every word the model is
given to quote was heard surely (app/analysis/evidence.py); the analysis keeps
unsure words out of grammar evidence, slips and interesting words already.
"""
from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

from ..redaction import Redactor, redact_capitalised

SYSTEM_PROMPT = """You are a kind, encouraging speaking coach for school students aged 8 to 16,
many of them learning English. You receive measurements of one short impromptu speech
(JSON). Write feedback a teacher would trust and a child can understand:
short sentences, simple words, warm tone, never sarcastic, never about the child's accent.
Only use facts present in the data. Quote the student's words only from the quotes given,
with their "start" time in seconds.
"curriculum.grammar_notes" are the teacher's private notes: let them guide what you look for,
but never repeat, quote or mention them (the student reads everything you write).
Reply with ONE JSON object and nothing else, with exactly these keys:
{"summary": string (2-3 sentences),
 "strengths": [{"text": string, "quote": string or null, "start": number or null}] (2-3 items),
 "improvements": [{"text": string, "quote": string or null, "start": number or null}] (2-3 items),
 "next_steps": [string] (2-3 concrete practice ideas),
 "curriculum": [string] (0-5 remarks on target words, grammar focus and rubric; [] if none)}"""

def redact(text: str | None) -> str | None:
    """Capitalised words that may be names become "[name]" (app/analysis/redaction.py)."""
    return redact_capitalised(text)


def _quotes(items: list[dict], key: str = "quote", limit: int = 3) -> list[dict]:
    return [
        {
            **{k: v for k, v in it.items() if k in ("start", "suggestion", "type", "length", "text")},
            key: redact(it.get(key)),
        }
        for it in items[:limit]
    ]


INTERESTING_WORDS = 5


def build_payload(a: Mapping[str, Any], private_names: Iterable[str] = ()) -> dict:
    """The JSON the model sees: task, norms, metrics, scores with inputs, and evidence quotes, through the
    one redaction step (*private_names*: the speaker's and their classmates' names)."""
    payload = Redactor(private_names, a.get("transcript") or "").payload(_payload(a))
    payload["interesting_words"] = payload["interesting_words"][:INTERESTING_WORDS]
    return payload


def _payload(a: Mapping[str, Any]) -> dict:
    g = a["grammar"]
    curriculum = a.get("curriculum")
    return {
        "task": {
            "title": a["task"]["title"],
            "prompt": a["task"]["prompt"],
            "speaking_seconds": a["task"]["speaking_seconds"],
        },
        "norms": a["norms"],
        "metrics": {k: v for k, v in a["metrics"].items() if not isinstance(v, (list, dict))},
        "scores": {k: {"score": v["score"], "inputs": v["inputs"]} for k, v in a["scores"].items()},
        "grammar_used": {
            k: {"label": v["label"], "count": v["count"], "examples": _quotes(v["examples"])}
            for k, v in g["structures"].items()
            if v["count"]
        },
        "likely_errors": _quotes(g["errors"]),
        "fillers": [{"text": f["text"], "start": f["start"]} for f in a["details"]["fillers"] if f["sure"]][:5],
        "long_pauses": [
            {"start": p["start"], "length": p["length"], "after": redact(p["after"]) if p["after_sure"] else None}
            for p in a["pauses"]
            if p["is_long"]
        ][:3],
        "interesting_words": a["details"]["less_common_examples"],  # the first five left after redaction
        "topic_words_used": [
            {"term": t["term"], "start": t["start"]} for t in a["relevance"]["terms_used"] if t["sure"]
        ],
        "topic_words_missing": a["relevance"]["terms_missing"],
        "curriculum": _curriculum(curriculum) if curriculum else None,
    }


def _curriculum(c: Mapping) -> dict:
    rubric = c.get("rubric") or {}
    return {
        "target_words": [{"word": t["word"], "used": t["used"], "times": t["times"][:2]} for t in c["target_words"]],
        "grammar_focus": [
            {"label": f["label"], "used": f["used"], "examples": _quotes(f["examples"], limit=1)}
            for f in c["grammar_focus"]
        ],
        "grammar_notes": c.get("grammar_notes", ""),
        "rubric": [
            {"name": r["name"], "score": r["score"], "measurable": r["measurable"]} for r in rubric.get("criteria", [])
        ],
    }


def user_message(a: Mapping[str, Any], private_names: Iterable[str] = ()) -> str:
    """The user turn: the payload as compact JSON."""
    return json.dumps(build_payload(a, private_names), ensure_ascii=False, separators=(",", ":"))
