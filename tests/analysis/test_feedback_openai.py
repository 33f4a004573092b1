"""OpenAIWriter with the real ``openai`` client against a fake chat-completions server on 127.0.0.1."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.analysis.context import SpeakingTask
from app.analysis.feedback.local import LocalWriter
from app.analysis.feedback.openai_writer import OpenAIWriter
from app.analysis.feedback.prompts import build_payload, redact
from app.analysis.llm import ChatSettings
from app.analysis.report import analyse_transcript

GOOD_FEEDBACK = {
    "summary": "You told us about your holiday with lots of detail.",
    "strengths": [
        {"text": "Great past tense.", "quote": "we swam in the sea", "start": 2.4},
        {"text": "You stayed on topic.", "quote": None, "start": None},
    ],
    "improvements": [{"text": "Fewer ums.", "quote": "um", "start": 0.0}],
    "next_steps": ["Practise with a timer."],
    "curriculum": [],
}


class FakeChat(BaseHTTPRequestHandler):
    """Answers POST /v1/chat/completions according to ``server.mode``."""

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        mode = self.server.mode
        if mode == "timeout":
            time.sleep(1.5)
        if mode == "http500":
            return self._send(500, {"error": {"message": "boom", "type": "server_error"}})
        content = {
            "good": json.dumps(GOOD_FEEDBACK),
            "invalid_json": "Sure! Here is feedback: {oops",
            "wrong_shape": json.dumps({"summary": "hi"}),
            "timeout": json.dumps(GOOD_FEEDBACK),
            "fenced": "```json\n" + json.dumps(GOOD_FEEDBACK) + "\n```",
        }[mode]
        self._send(
            200,
            {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [
                    {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            },
        )

    def _send(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout case)

    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), FakeChat)
    srv.daemon_threads = True
    srv.mode, srv.requests = "good", []
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def analysis(make_transcript):
    t = make_transcript(
        "Um, last summer I went to the beach with my friend Anna. We swam in the sea. "
        "The water was colder than at home, so we built a sandcastle."
    )
    return analyse_transcript(t, SpeakingTask("My holiday", "Talk about your holiday.", 60))


def writer(server, timeout=5.0) -> OpenAIWriter:
    return OpenAIWriter(ChatSettings(
        api_key="test-key", base_url=f"http://127.0.0.1:{server.server_port}/v1", model="school-model", timeout=timeout
    ))


def test_good_json_is_used(server, analysis):
    result = writer(server).write(analysis)
    assert result.writer == "openai:school-model"
    assert result.feedback["summary"] == GOOD_FEEDBACK["summary"]
    assert result.feedback["strengths"][0] == {"text": "Great past tense.", "quote": "we swam in the sea", "start": 2.4}
    req = server.requests[0]
    assert req["path"] == "/v1/chat/completions" and req["auth"] == "Bearer test-key"
    assert req["body"]["model"] == "school-model"
    assert req["body"]["response_format"] == {"type": "json_object"}
    assert [m["role"] for m in req["body"]["messages"]] == ["system", "user"]


def test_request_carries_metrics_but_no_names_or_full_transcript(server, analysis):
    writer(server).write(analysis)
    sent = json.loads(server.requests[0]["body"]["messages"][1]["content"])
    assert sent["metrics"]["word_count"] == analysis["metrics"]["word_count"]
    assert sent["scores"]["overall"]["score"] == analysis["scores"]["overall"]["score"]
    raw = server.requests[0]["body"]["messages"][1]["content"]
    assert "Anna" not in raw
    assert analysis["transcript"] not in raw


@pytest.mark.parametrize(
    "mode,reason",
    [
        ("invalid_json", "invalid JSON"),
        ("http500", "HTTP 500"),
        ("wrong_shape", "invalid feedback: strengths must be a list of 1-5 items"),
    ],
)
def test_failures_fall_back_to_local(server, analysis, mode, reason):
    server.mode = mode
    result = writer(server).write(analysis)
    assert result.writer == f"local (fallback: {reason})"
    assert result.feedback == LocalWriter().write(analysis).feedback
    assert len(server.requests) == 1  # no retries: the fallback is immediate


def test_timeout_falls_back_quickly(server, analysis):
    server.mode = "timeout"
    began = time.monotonic()
    result = writer(server, timeout=0.3).write(analysis)
    assert result.writer == "local (fallback: timeout)"
    assert time.monotonic() - began < 1.4


def test_fenced_json_is_accepted(server, analysis):
    server.mode = "fenced"
    assert writer(server).write(analysis).writer == "openai:school-model"


def test_unreachable_server_falls_back(analysis):
    w = OpenAIWriter(ChatSettings(api_key="k", base_url="http://127.0.0.1:9/v1", model="m", timeout=2))
    assert w.write(analysis).writer == "local (fallback: connection error)"


def test_redact_and_payload(analysis):
    assert redact("with my friend Anna and I") == "with my friend [name] and I"
    assert redact("Anna likes it. The end") == "[name] likes it. The end"
    assert redact("Last week we met Tom. Tom is nice") == "Last week we met [name]. [name] is nice"
    payload = build_payload(analysis)
    assert set(payload) >= {"task", "metrics", "scores", "grammar_used", "likely_errors", "fillers"}
    assert payload["fillers"] == [{"text": "um", "start": 0.0}]
