"""Feedback writers: turn an analysis into words a child and a teacher can use.

``get_writer(config)`` picks the writer: OpenAI-compatible chat when
OPENAI_API_KEY is configured, the deterministic LocalWriter otherwise. Every
writer returns the same shape (shape.py), checked by ``validate_feedback``.
"""
from __future__ import annotations

from typing import Any, Mapping

from ..llm import ChatSettings
from .shape import FeedbackResult, FeedbackWriter, InvalidFeedback, validate_feedback

__all__ = ["FeedbackResult", "FeedbackWriter", "InvalidFeedback", "get_writer", "validate_feedback"]


def get_writer(config: Mapping[str, Any]) -> FeedbackWriter:
    """OpenAIWriter when config has OPENAI_API_KEY, else LocalWriter.

    Reads OPENAI_BASE_URL (any OpenAI-compatible server), OPENAI_MODEL and
    OPENAI_TIMEOUT_SECONDS; the environment is not consulted, so tests and
    workers see exactly the app's configuration.
    """
    from .local import LocalWriter

    if not config["OPENAI_API_KEY"]:
        return LocalWriter()
    from .openai_writer import OpenAIWriter

    return OpenAIWriter(ChatSettings.from_config(config))
