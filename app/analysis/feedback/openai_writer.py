"""Feedback from any OpenAI-compatible chat server, falling back to LocalWriter.

The model only ever sees ``prompts.build_payload`` (numbers and short quotes).
Any failure — network, timeout, HTTP error, non-JSON or wrongly shaped JSON —
yields the local feedback and a writer name that says why.
"""
from __future__ import annotations

import json
from typing import Any, Mapping

from . import FeedbackResult, InvalidFeedback, validate_feedback
from .local import LocalWriter
from .prompts import SYSTEM_PROMPT, user_message


class OpenAIWriter:
    """Chat-completions writer; one request per report, no retries (the fallback is instant)."""

    def __init__(
        self, *, api_key: str, base_url: str | None = None, model: str = "gpt-4o-mini", timeout: float = 20.0
    ) -> None:
        self.api_key, self.base_url, self.model, self.timeout = api_key, base_url, model, timeout
        self.name = f"openai:{model}"

    def _ask(self, analysis: Mapping[str, Any]) -> str:
        from openai import OpenAI  # imported here: only this writer needs the client

        with OpenAI(api_key=self.api_key, base_url=self.base_url, timeout=self.timeout, max_retries=0) as client:
            response = client.chat.completions.create(
                model=self.model,
                messages=[
                    {"role": "system", "content": SYSTEM_PROMPT},
                    {"role": "user", "content": user_message(analysis)},
                ],
                response_format={"type": "json_object"},
                temperature=0.3,
            )
        content = response.choices[0].message.content if response.choices else None
        if not content:
            raise InvalidFeedback("empty reply")
        return content

    def write(self, analysis: Mapping[str, Any]) -> FeedbackResult:
        """The model's feedback if it is valid; otherwise LocalWriter's, named "local (fallback: <reason>)"."""
        try:
            feedback = validate_feedback(json.loads(_strip_fence(self._ask(analysis))))
            return FeedbackResult(feedback, self.name)
        except Exception as exc:  # noqa: BLE001 - any failure must still give the child feedback
            local = LocalWriter().write(analysis)
            return FeedbackResult(local.feedback, f"local (fallback: {fallback_reason(exc)})")


def _strip_fence(text: str) -> str:
    """Some compatible servers wrap JSON in ``` fences despite response_format."""
    t = text.strip()
    if t.startswith("```"):
        t = t.split("\n", 1)[1] if "\n" in t else ""
        t = t.rsplit("```", 1)[0]
    return t


def fallback_reason(exc: Exception) -> str:
    """A short, log-safe reason (never the API key or the reply body)."""
    import openai

    if isinstance(exc, openai.APITimeoutError):
        return "timeout"
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}"
    if isinstance(exc, openai.APIConnectionError):
        return "connection error"
    if isinstance(exc, json.JSONDecodeError):
        return "invalid JSON"
    if isinstance(exc, InvalidFeedback):
        return f"invalid feedback: {exc}"
    return type(exc).__name__
