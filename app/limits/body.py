"""How big a request body may be: MAX_CONTENT_LENGTH (1 MB) everywhere but the routes that take
recordings or a batch, which name their own limit with ``@accepts_body``.

``limit_request_body`` runs before the CSRF check and before any view, so an oversized body is
refused from its Content-Length before a byte of it is read. A body sent without a length
(chunked) is counted as it is read and refused with the same 413 at the first byte past the limit.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO, Callable, Mapping

from flask import abort, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from app.analysis.audio import MSG_TOO_LARGE

from .disk import check_free_space

# An upload's other fields (a reading's text, a batch's mappings) and the multipart boundaries.
FORM_ROOM_BYTES = 1024 * 1024
UNSAFE_METHODS = {"POST", "PUT", "PATCH"}


@dataclass(frozen=True)
class BodyLimit:
    """A route's larger limit: the Config setting of its largest file, plus room for the form around it."""

    setting: str
    message_template: str  # {mb}: the setting in megabytes

    def bytes(self, config: Mapping) -> int:
        return int(config[self.setting]) + FORM_ROOM_BYTES

    def message(self, config: Mapping) -> str:
        return self.message_template.format(mb=int(config[self.setting]) // (1024 * 1024))


RECORDING_UPLOAD = BodyLimit("ANALYSIS_MAX_BYTES", MSG_TOO_LARGE)
BATCH_UPLOAD = BodyLimit("BATCH_MAX_BYTES", "This batch is over the {mb} MB limit.")


def accepts_body(limit: BodyLimit) -> Callable:
    """Let the decorated view take bodies up to *limit* instead of MAX_CONTENT_LENGTH."""

    def decorator(view: Callable) -> Callable:
        view.body_limit = limit
        return view

    return decorator


def route_limit() -> BodyLimit | None:
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "body_limit", None)


def limit_request_body() -> None:
    """413 for a body over this route's limit, before it is read; the same limit caps a chunked body."""
    limit = route_limit()
    most = limit.bytes(current_app.config) if limit else current_app.config["MAX_CONTENT_LENGTH"]
    if limit is not None and request.method in UNSAFE_METHODS:
        check_free_space(request.content_length if request.content_length is not None else most)
    if request.content_length is not None:
        if request.content_length > most:
            abort(413, too_large_message())
        request.max_content_length = most
    elif "wsgi.input_terminated" in request.environ:
        # Werkzeug's own cap hands over the first *most* bytes of a longer chunked body as if they were
        # all of it; this stream refuses the byte after them instead (Werkzeug's cap, one byte higher,
        # lets it be read).
        request.environ["wsgi.input"] = CappedStream(request.environ["wsgi.input"], most)
        request.max_content_length = most + 1


class CappedStream(io.RawIOBase):
    """A body of unknown length that raises 413 as soon as more than *limit* bytes have arrived."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self._stream, self._limit, self._read = stream, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._stream.read(min(len(buffer), self._limit + 1 - self._read))
        self._read += len(data)
        if self._read > self._limit:
            raise RequestEntityTooLarge(too_large_message())
        buffer[: len(data)] = data
        return len(data)


def too_large_message() -> str:
    """What the 413 says: the route's own limit in words."""
    limit = route_limit()
    if limit is not None:
        return limit.message(current_app.config)
    return f"This request is too big: send at most {_size(current_app.config['MAX_CONTENT_LENGTH'])} here."


def _size(n: int) -> str:
    mb = n / (1024 * 1024)
    return f"{mb:.0f} MB" if mb >= 1 else f"{max(1, round(n / 1024))} KB"
