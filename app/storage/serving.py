"""Answering a request for a stored recording, with HTTP range support so players can seek.

Access is checked by the caller before this runs; the bytes come through Podium, so the
page's Content-Security-Policy never has to trust the bucket's address.
"""
from __future__ import annotations

from flask import Response, abort, request, stream_with_context

from . import storage


def stored_file_response(key: str, mimetype: str) -> Response:
    """The object under *key* as a response: 206 for a satisfiable single range, 416 for another, else 200."""
    store = storage()
    size = store.size(key)
    if size is None:
        abort(404)
    start, end, status = 0, size - 1, 200
    wanted = request.range
    if wanted is not None and wanted.units == "bytes" and len(wanted.ranges) == 1:
        span = wanted.range_for_length(size)
        if span is None:
            response = Response(status=416)
            response.headers["Content-Range"] = f"bytes */{size}"
            return response
        start, end, status = span[0], span[1] - 1, 206
    body = stream_with_context(store.iter_range(key, start, end)) if size else iter(())
    response = Response(body, status=status, mimetype=mimetype, direct_passthrough=True)
    response.headers["Content-Length"] = str(end - start + 1 if size else 0)
    response.headers["Accept-Ranges"] = "bytes"
    if status == 206:
        response.headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    return response
