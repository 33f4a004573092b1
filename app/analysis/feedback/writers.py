"""Which writer turns an analysis into feedback: an OpenAI-compatible model when configured, else the local one."""
from __future__ import annotations

from typing import Any, Mapping

from ..llm import ChatSettings
from . import FeedbackWriter
from .local import LocalWriter
from .openai_writer import OpenAIWriter


def get_writer(config: Mapping[str, Any]) -> FeedbackWriter:
    """OpenAIWriter when config has OPENAI_API_KEY, else LocalWriter.

    Reads OPENAI_BASE_URL (any OpenAI-compatible server), OPENAI_MODEL and
    OPENAI_TIMEOUT_SECONDS; the environment is not consulted, so tests and
    workers see exactly the app's configuration.
    """
    if not config["OPENAI_API_KEY"]:
        return LocalWriter()
    return OpenAIWriter(ChatSettings.from_config(config))
