"""One JSON answer from an OpenAI-compatible chat server.

Shared by the feedback writer and the class-report narrator. Each makes one
request with no retries, because both have an instant local fallback.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping


class InvalidReply(ValueError):
    """The server answered, but not with what was asked for; ``label`` names what was expected."""

    label = "invalid reply"


@dataclass(frozen=True)
class ChatSettings:
    api_key: str
    base_url: str | None
    model: str
    timeout: float

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "ChatSettings":
        """OPENAI_API_KEY, OPENAI_BASE_URL (empty: OpenAI itself), OPENAI_MODEL and OPENAI_TIMEOUT_SECONDS."""
        return cls(
            api_key=config["OPENAI_API_KEY"],
            base_url=config["OPENAI_BASE_URL"] or None,
            model=config["OPENAI_MODEL"],
            timeout=float(config["OPENAI_TIMEOUT_SECONDS"]),
        )


def ask_json(settings: ChatSettings, system: str, user: str, empty_error: type[InvalidReply] = InvalidReply) -> Any:
    """The JSON object the model replied with.

    Raises the openai client's errors, json.JSONDecodeError, or *empty_error* for an empty reply.
    """
    from openai import OpenAI  # imported here: only deployments with a key need the client

    client = OpenAI(api_key=settings.api_key, base_url=settings.base_url, timeout=settings.timeout, max_retries=0)
    with client:
        response = client.chat.completions.create(
            model=settings.model,
            messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
            response_format={"type": "json_object"},
            temperature=0.3,
        )
    content = response.choices[0].message.content if response.choices else None
    if not content:
        raise empty_error("empty reply")
    return json.loads(_strip_fence(content))


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
    if isinstance(exc, InvalidReply):
        return f"{exc.label}: {exc}"
    return type(exc).__name__
