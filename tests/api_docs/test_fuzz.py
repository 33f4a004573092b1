"""Schemathesis sends requests generated from the OpenAPI document to the real app with a bearer token for each
role: no answer is a 5xx, and every 4xx is JSON with a message. Bounded: FUZZ_EXAMPLES cases per operation and
role, on PostgreSQL only (the slower, stricter database)."""
from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

from app.api_docs.operations import OPERATIONS

from ..conftest import bearer_for
from ..factories import make_admin, make_classroom, make_student, make_teacher

FUZZ_EXAMPLES = 3
# Reading these changes nothing the next case needs; logging out would end the token the other cases use.
SKIP = {("post", "/api/logout"), ("post", "/api/me/password")}


@pytest.fixture
def tokens(app):
    with app.app_context():
        student, teacher, admin = make_student(), make_teacher(), make_admin()
        make_classroom(teacher, students=(student,))
    return {name: bearer_for(app, user) for name, user in
            (("student", student), ("teacher", teacher), ("admin", admin))}


def test_generated_requests_never_get_a_5xx_and_every_4xx_says_why(app, tokens, database_url, record_property):
    if not database_url.startswith("postgresql"):
        pytest.skip("fuzzed once, on PostgreSQL")
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    problems: list[str] = []
    sent = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.lower(), operation.path) in SKIP:
            continue
        for role, headers in tokens.items():
            sent += _fuzz(operation, role, headers, problems)
    record_property("fuzz_requests", sent)
    print(f"schemathesis: {sent} requests, {len(problems)} problems")
    assert sent >= len(OPERATIONS) and not problems, "\n".join(sorted(set(problems))[:20])


def _fuzz(operation, role: str, headers: dict[str, str], problems: list[str]) -> int:
    """FUZZ_EXAMPLES generated cases of *operation* as *role*; returns how many requests were sent."""
    sent = [0]

    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case):
        response = case.call(headers=headers)
        sent[0] += 1
        problem = _problem(response)
        if problem:
            problems.append(f"{role} {operation.method.upper()} {case.formatted_path}: {problem}")

    run()
    return sent[0]


def _problem(response) -> str | None:
    status = response.status_code
    if status >= 500:
        return f"{status}: {response.text[:200]}"
    if 400 <= status < 500:
        try:
            body = json.loads(response.content)
        except ValueError:
            return f"{status} is not JSON: {response.text[:120]}"
        if not isinstance(body, dict) or not body.get("message"):
            return f"{status} without a message: {response.text[:120]}"
    return None
