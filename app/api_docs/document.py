"""The OpenAPI 3.1 document, built from the operations table and the URL map's path parameters."""
from __future__ import annotations

import re
from typing import Any

from flask import Flask

from .operations import OPERATIONS, Operation

ROLE_WORDS = {"public": "anyone", "any": "any logged-in user", "student": "students", "teacher": "teachers",
              "admin": "school admins"}
API_PREFIXES = ("/api", "/users", "/token")
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
ERROR_STATUSES = {"400": "Bad input, with a message saying what to fix", "401": "Not logged in",
                  "403": "Not allowed for your role", "404": "Not found, or not yours",
                  "413": "Body over this route's limit", "429": "Too many requests: Retry-After says when"}


def openapi_path(rule: str) -> str:
    """``/api/x/<int:id>`` as ``/api/x/{id}``."""
    return PARAMETER.sub(lambda m: "{" + m.group(2) + "}", rule)


def url_map_operations(app: Flask) -> dict[tuple[str, str], dict[str, str]]:
    """(method, path) of every API route in the URL map, with each path parameter's converter."""
    found = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API_PREFIXES):
            continue
        converters = {name: converter or "string" for converter, name in PARAMETER.findall(rule.rule)}
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found[(method.lower(), openapi_path(rule.rule))] = converters
    return found


def build_document(app: Flask) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for (method, path), converters in sorted(url_map_operations(app).items(), key=lambda item: item[0][::-1]):
        operation = OPERATIONS.get((method, path))
        if operation is not None:
            paths.setdefault(path, {})[method] = _operation(operation, converters, _operation_id(method, path))
    return {
        "openapi": "3.1.0",
        "info": {"title": "Podium API", "version": "1",
                 "description": "Speaking practice for schools. Get a bearer token from POST /token and send it as "
                                "Authorization: Bearer <token>. Every error is JSON with error and message fields."},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error", "message"],
                          "properties": {"error": {"type": "string"}, "message": {"type": "string"},
                                         "retry_after": {"type": "integer"}}},
                "Object": {"type": "object"},
            },
        },
    }


def _operation_id(method: str, path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", f"{method} {path}".lower()).strip("_")


def _operation(op: Operation, converters: dict[str, str], operation_id: str) -> dict[str, Any]:
    described: dict[str, Any] = {
        "summary": op.summary,
        "description": f"For {ROLE_WORDS[op.who]}.",
        "tags": [op.tag],
        "operationId": operation_id,
        "responses": _responses(op),
    }
    if op.who != "public":
        described["security"] = [{"bearer": []}]
    parameters = [{"name": name, "in": "path", "required": True,
                   "schema": {"type": "integer", "minimum": 1} if kind == "int" else {"type": "string"}}
                  for name, kind in converters.items()]
    if op.paginated:
        parameters += [{"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                       {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1}}]
    if parameters:
        described["parameters"] = parameters
    if op.body == "json":
        schema = {"$ref": "#/components/schemas/Object"}
        described["requestBody"] = {"content": {"application/json": {"schema": schema}}}
    elif op.body == "multipart":
        described["requestBody"] = {"content": {"multipart/form-data": {"schema": {
            "type": "object", "properties": {"audio": {"type": "string", "contentMediaType": "audio/*"}}}}}}
    return described


def _responses(op: Operation) -> dict[str, Any]:
    if op.produces == "application/json":
        content = {"application/json": {"schema": {"$ref": "#/components/schemas/Object"}}}
    else:
        content = {op.produces: {"schema": {"type": "string"}}}
    responses: dict[str, Any] = {str(op.success): {"description": "Done", "content": content}}
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for status, words in ERROR_STATUSES.items():
        if status in ("401", "403") and op.who == "public":
            continue
        responses[status] = {"description": words, "content": error}
    return responses
