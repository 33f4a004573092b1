"""Feedback from any OpenAI-compatible chat server, falling back to LocalWriter.

The model only ever sees ``prompts.build_payload`` (numbers and short quotes).
Any failure — network, timeout, HTTP error, non-JSON or wrongly shaped JSON —
yields the local feedback and a writer name that says why.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..llm import ChatSettings, ask_json, fallback_reason
from . import FeedbackResult, InvalidFeedback, validate_feedback
from .local import LocalWriter
from .prompts import SYSTEM_PROMPT, user_message


class OpenAIWriter:
    """Chat-completions writer; one request per report, no retries (the fallback is instant)."""

    def __init__(self, settings: ChatSettings) -> None:
        self.settings = settings
        self.name = f"openai:{settings.model}"

    def write(self, analysis: Mapping[str, Any], private_names: Iterable[str] = ()) -> FeedbackResult:
        """The model's feedback if it is valid; otherwise LocalWriter's, named "local (fallback: <reason>)"."""
        try:
            reply = ask_json(self.settings, SYSTEM_PROMPT, user_message(analysis, private_names), InvalidFeedback)
            return FeedbackResult(validate_feedback(reply), self.name)
        except Exception as exc:  # noqa: BLE001 - any failure must still give the child feedback
            local = LocalWriter().write(analysis)
            return FeedbackResult(local.feedback, f"local (fallback: {fallback_reason(exc)})")
