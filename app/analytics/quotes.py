"""Short quotes from students' transcripts that show a skill, with no names in them."""

from __future__ import annotations

import re
from typing import Callable

from .queries import SessionRow

Problem = Callable[[SessionRow], float | None]  # how far a session is from good; lower is better


QUOTE_PATTERNS = {
    "fillers": r"\b(um+|uh+|erm?|ah|hmm|like|you know|i mean)\b",
    "linking_words": r"\b(because|so|however|although|first|then|next|finally|but|also)\b",
    "past_tense": r"\b(\w+ed|went|saw|was|were|had|did|made|got|came|ate|took)\b",
    "present_perfect": r"\b(have|has|'ve)\s+(\w+ed|been|gone|seen|done|made|had|eaten|taken)\b",
    "conditionals": r"\bif\b",
    "future_forms": r"\b(will|going to|'ll)\b",
    "comparatives": r"\b(\w+er than|more \w+|most \w+)\b",
    "modal_verbs": r"\b(should|could|must|might)\b",
    "passive_voice": r"\b(is|are|was|were|been) \w+(ed|en)\b",
}


def evidence(skill: dict) -> dict | None:
    """A grammar-focus strength already has quotes of the structure, found by the analysis (and redacted)."""
    examples = skill["numbers"].get("examples") if isinstance(skill["numbers"], dict) else None
    return {"text": examples[0], "session_kind": "impromptu"} if examples else None


def quote(
    sessions: list[SessionRow], problem: Problem, key: str, *, best: bool, redact: Callable[[str], str]
) -> dict | None:
    """A short sentence from the talk that shows the skill best (or worst), with no names in it."""
    scored = [(v, r) for r in sessions if r.transcript and (v := problem(r)) is not None]
    scored = scored or [(0.0, r) for r in sessions if r.transcript]
    scored.sort(key=lambda vr: (vr[0] if best else -vr[0], vr[1].id))
    # Prefer a sentence that shows the skill; else any sentence of a few words; else any words at all.
    for pattern, shortest in ((QUOTE_PATTERNS.get(key), 4), (None, 4), (None, 1)):
        for _, row in scored[:8]:
            text = sentence(row.transcript, pattern, shortest)
            if text:
                return {"text": redact(text), "session_kind": row.kind}
    return None


def sentence(transcript: str, pattern: str | None, shortest: int, limit: int = 18) -> str | None:
    for sentence in re.split(r"(?<=[.!?])\s+", transcript.strip()):
        words = sentence.split()
        match = re.search(pattern, sentence, re.IGNORECASE) if pattern else None
        if (pattern and not match) or len(words) < shortest:
            continue
        at = len(sentence[: match.start()].split()) if match else 0
        first = max(0, min(at - limit // 2, len(words) - limit))
        clip = " ".join(words[first : first + limit])
        return ("…" if first else "") + clip + ("…" if first + limit < len(words) else "")
    return None
