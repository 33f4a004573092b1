"""The OpenAI analytics writer against a real local HTTP server speaking the chat-completions protocol."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.analytics.narrative import local_narrative
from app.extensions import db
from app.models import User
from tests.conftest import login_as

from .seed import seed_class

GOOD = {
    "headline": "Most of the class practised; linking words need work.",
    "paragraphs": ["Two of four students practised.", "Pace is mostly comfortable."],
    "actions": ["Run 'Link it up' this week."],
}


class FakeOpenAI(BaseHTTPRequestHandler):
    mode = "ok"
    bodies: list[dict] = []
    headers_seen: list[dict] = []

    def do_POST(self):  # noqa: N802 - the http.server API
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeOpenAI.bodies.append(body)
        FakeOpenAI.headers_seen.append({"Authorization": self.headers.get("Authorization")})
        if self.mode == "timeout":
            time.sleep(1.5)
        if self.mode == "http500":
            return self._send(500, {"error": {"message": "boom", "type": "server_error"}})
        content = {
            "ok": json.dumps(GOOD),
            "timeout": json.dumps(GOOD),
            "not_json": "Here is your summary: great!",
            "wrong_shape": json.dumps({"headline": "", "paragraphs": "one"}),
        }[self.mode]
        self._send(
            200,
            {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "created": 1,
                "model": body["model"],
                "choices": [
                    {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            },
        )

    def _send(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_openai(app, monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAI)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeOpenAI.bodies, FakeOpenAI.headers_seen, FakeOpenAI.mode = [], [], "ok"
    monkeypatch.setitem(app.config, "OPENAI_API_KEY", "sk-test-key")
    monkeypatch.setitem(app.config, "OPENAI_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}/v1")
    monkeypatch.setitem(app.config, "OPENAI_MODEL", "test-model")
    monkeypatch.setitem(app.config, "OPENAI_TIMEOUT_SECONDS", 0.5)
    yield FakeOpenAI
    server.shutdown()
    server.server_close()


@pytest.fixture
def teacher_client(client, app_ctx):
    data = seed_class()
    login_as(client, db.session.get(User, data["teacher"].id))
    return client, data["classroom"].id


def test_openai_writes_the_narrative_from_aggregates_only(teacher_client, fake_openai):
    client, class_id = teacher_client
    narrative = client.get(f"/api/classes/{class_id}/summary").get_json()["narrative"]
    assert narrative["writer"] == "openai:test-model" and narrative["headline"] == GOOD["headline"]
    assert narrative["paragraphs"] == GOOD["paragraphs"] and "fallback_reason" not in narrative
    [body] = fake_openai.bodies
    assert body["model"] == "test-model" and body["response_format"] == {"type": "json_object"}
    assert fake_openai.headers_seen[0]["Authorization"] == "Bearer sk-test-key"
    sent = json.dumps(body).lower()
    for private in (
        "anna",
        "berg",
        "ben cole",
        "cole",
        "cara",
        "diaz",
        "dev evans",
        "evans",
        "@example.com",
        "year 7 oracy",
        "ms teacher",
    ):
        assert private not in sent, private
    figures = json.loads(body["messages"][1]["content"].split("\n", 1)[1])
    assert figures["participation"]["practised"] == 2 and figures["participation"]["not_practised"] == 2
    assert figures["students_needing_attention"] == {
        "total": 4,
        "by_reason": {"low_score": 1, "falling": 2, "no_practice": 2},
    }
    assert figures["weaknesses"][0]["key"] == "linking_words" and "[name]" in figures["weaknesses"][0]["quote"]
    page = client.get(f"/teacher/classes/{class_id}/report").get_data(as_text=True)
    assert "Written by an AI model (test-model)" in page and GOOD["headline"] in page


@pytest.mark.parametrize(
    "mode, reason",
    [
        ("http500", "HTTP 500"),
        ("not_json", "invalid JSON"),
        ("timeout", "timeout"),
        ("wrong_shape", "invalid narrative"),
    ],
)
def test_any_failure_falls_back_to_the_local_writer_and_says_so(teacher_client, fake_openai, mode, reason):
    client, class_id = teacher_client
    fake_openai.mode = mode
    body = client.get(f"/api/classes/{class_id}/summary").get_json()
    narrative = body["narrative"]
    assert narrative["writer"] == "local" and narrative["fallback_reason"].startswith(reason)
    local = local_narrative(body)
    assert narrative["headline"] == local["headline"] and narrative["paragraphs"] == local["paragraphs"]
    assert len(fake_openai.bodies) == 1  # no retries: the fallback is instant
    page = client.get(f"/teacher/classes/{class_id}/report?days=13").get_data(as_text=True)
    assert f"The AI writer was unavailable ({reason}" in page


def test_empty_class_does_not_call_the_model(client, app_ctx, fake_openai):
    from tests.factories import make_classroom, make_teacher

    teacher = make_teacher()
    classroom = make_classroom(teacher)
    login_as(client, teacher)
    narrative = client.get(f"/api/classes/{classroom.id}/summary").get_json()["narrative"]
    assert narrative["writer"] == "local" and fake_openai.bodies == []
