"""Small helpers for answering browsers and JSON clients alike."""
from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from flask import g, jsonify, request

JSON_PATHS = ("/api/", "/token", "/users/")


def wants_json() -> bool:
    """True for API paths and clients that ask for JSON rather than a page."""
    if request.path.startswith(JSON_PATHS) or request.is_json or g.get("bearer_attempted"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def json_error(status: int, message: str, *, code: str | None = None, **extra):
    body = {"error": code or _default_code(status), "message": message, **extra}
    return jsonify(body), status


def form_errors(form) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in form.errors.items()}


def is_safe_redirect(target: str | None) -> bool:
    """Only same-site paths: an open redirect would let a phishing link borrow our login page."""
    if not target:
        return False
    host = urlsplit(request.host_url)
    url = urlsplit(urljoin(request.host_url, target))
    return url.scheme in ("http", "https") and url.netloc == host.netloc and not target.startswith("//")


def _default_code(status: int) -> str:
    return {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        413: "too_large",
        415: "unsupported_media_type",
        422: "unprocessable",
        429: "too_many_requests",
    }.get(status, "error")
