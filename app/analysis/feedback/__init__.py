"""Feedback writers: turn an analysis into words a child and a teacher can use.

``writers.get_writer(config)`` picks the writer: OpenAI-compatible chat when
OPENAI_API_KEY is configured, the deterministic LocalWriter otherwise. Every
writer returns the same shape, checked by ``validate_feedback``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Protocol

from ..llm import InvalidReply

MAX_TEXT = 600  # characters in one feedback sentence; longer means the model rambled
MAX_ITEMS = 5


@dataclass(frozen=True)
class FeedbackResult:
    feedback: dict
    writer: str  # e.g. "local", "openai:<model>", "local (fallback: timeout)"


class FeedbackWriter(Protocol):
    name: str

    def write(self, analysis: Mapping[str, Any], private_names: Iterable[str] = ()) -> FeedbackResult:
        """Feedback for *analysis* (the report without ``feedback``); never raises. *private_names* (the
        speaker's and classmates' names) never leave the server (app/analysis/redaction.py)."""
        ...


class InvalidFeedback(InvalidReply):
    """A writer produced feedback of the wrong shape."""

    label = "invalid feedback"


def _text(value: Any, field: str, *, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidFeedback(f"{field} must be a non-empty string")
    if len(value) > limit:
        raise InvalidFeedback(f"{field} is too long")
    return value.strip()


def _point(item: Any, field: str) -> dict:
    """One strength or improvement: {"text", "quote", "start"}; a bare string is accepted as text."""
    if isinstance(item, str):
        item = {"text": item}
    if not isinstance(item, dict):
        raise InvalidFeedback(f"{field} items must be objects")
    quote, start = item.get("quote"), item.get("start")
    if quote is not None and not isinstance(quote, str):
        raise InvalidFeedback(f"{field}.quote must be a string or null")
    if start is not None and (isinstance(start, bool) or not isinstance(start, (int, float)) or start < 0):
        raise InvalidFeedback(f"{field}.start must be seconds or null")
    return {
        "text": _text(item.get("text"), f"{field}.text"),
        "quote": quote or None,
        "start": float(start) if start is not None else None,
    }


def _list(obj: Mapping, field: str, *, minimum: int) -> list:
    value = obj.get(field, [])
    if not isinstance(value, list) or not minimum <= len(value) <= MAX_ITEMS:
        raise InvalidFeedback(f"{field} must be a list of {minimum}-{MAX_ITEMS} items")
    return value


def validate_feedback(obj: Any) -> dict:
    """Return a clean copy of *obj* if it is valid feedback, else raise InvalidFeedback.

    Valid: summary (string), strengths and improvements (1-5 points each),
    next_steps (1-5 strings), curriculum (0-5 strings, optional).
    """
    if not isinstance(obj, dict):
        raise InvalidFeedback("feedback must be a JSON object")
    return {
        "summary": _text(obj.get("summary"), "summary", limit=2 * MAX_TEXT),
        "strengths": [_point(p, "strengths") for p in _list(obj, "strengths", minimum=1)],
        "improvements": [_point(p, "improvements") for p in _list(obj, "improvements", minimum=1)],
        "next_steps": [_text(s, "next_steps") for s in _list(obj, "next_steps", minimum=1)],
        "curriculum": [_text(s, "curriculum") for s in _list(obj, "curriculum", minimum=0)],
    }
