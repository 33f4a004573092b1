"""Request bodies are bounded before anything reads them: 1 MB by default, a route's own limit for
recordings and batches, the same limit for chunked bodies, and the log-in check before all of it."""
from __future__ import annotations

import http.client
import io
import json
import threading
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.serving import make_server
from werkzeug.test import encode_multipart

from app.extensions import db
from app.models import ApiToken, PracticeSession

from ..conftest import login_as
from ..factories import make_student

TWO_MB = 2 * 1024 * 1024


def _big_json(size: int = TWO_MB) -> bytes:
    return json.dumps({"username": "maya", "password": "x" * size}).encode()


def _multipart(**fields) -> dict:
    """A multipart body built in memory: the test client spools big dict bodies to a temporary file that
    stays open when the app refuses the body unread."""
    boundary, body = encode_multipart(fields)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def _audio(size: int) -> dict:
    return _multipart(audio=FileStorage(io.BytesIO(b"\0" * size), "a.wav"))


@pytest.mark.parametrize("path", ["/token", "/users/signup"])
def test_a_2_mb_json_body_before_log_in_is_413_json(client, path):
    response = client.post(path, data=_big_json(), content_type="application/json")
    assert response.status_code == 413 and response.is_json
    assert response.json["error"] == "too_large" and "at most 1 MB" in response.json["message"]


def test_a_body_under_the_default_limit_still_reaches_the_view(client):
    response = client.post("/token", data=_big_json(500_000), content_type="application/json")
    assert response.status_code == 401 and response.json["error"] == "invalid_grant"


def test_the_size_is_checked_before_csrf_reads_the_form(app, client):
    """A logged-in browser's oversized form to a page route: 413, not the CSRF check's 400 (it was never parsed)."""
    with app.app_context():
        student = make_student()
    login_as(client, student)
    response = client.post("/student/join", data=urlencode({"join_code": "x" * TWO_MB}),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413


def test_an_upload_route_takes_a_recording_up_to_its_own_limit_and_no_more(app, client, monkeypatch):
    with app.app_context():
        student = make_student()
    login_as(client, student)
    monkeypatch.setitem(app.config, "ANALYSIS_MAX_BYTES", 2 * 1024 * 1024)
    # Over 1 MB but under the route's limit: past the size check, so the CSRF check answers.
    within = client.post("/api/analyze-chunked", **_audio(TWO_MB))
    assert within.status_code == 400 and within.json["error"] == "csrf_failed"
    over = client.post("/api/analyze-chunked", **_audio(4 * 1024 * 1024))
    assert over.status_code == 413 and "over 2 MB" in over.json["message"]


@pytest.mark.parametrize("path", ["/api/analyze-chunked", "/api/pronunciation", "/api/analyze-batch/start",
                                  "/api/classes", "/api/logout"])
def test_anonymous_api_requests_get_401_json_before_csrf_or_size(client, path):
    response = client.post(path, **_audio(TWO_MB))
    assert response.status_code == 401 and response.is_json
    assert response.json["error"] == "unauthorized" and response.json["message"]


@pytest.fixture
def live_url(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        thread.join()


def _post_chunked(port: int, path: str, chunks, headers: dict[str, str]) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", path, body=chunks, headers=headers, encode_chunked=True)
        response = connection.getresponse()
        return response.status, response.read()
    except (BrokenPipeError, ConnectionResetError):
        # The server may stop reading once the limit is passed; what matters is that it refused it.
        return 413, b""
    finally:
        connection.close()


def test_a_chunked_body_is_cut_off_at_the_limit(app, live_url):
    sent = {"bytes": 0}

    def endless():
        for _ in range(64):  # 16 MB unless the server stops reading first
            sent["bytes"] += 256 * 1024
            yield b" " * (256 * 1024)

    status, body = _post_chunked(live_url, "/token", endless(), {"Content-Type": "application/json"})
    assert status == 413
    if body:
        assert json.loads(body)["error"] == "too_large"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0
        assert db.session.scalar(select(func.count()).select_from(PracticeSession)) == 0


def test_a_small_chunked_body_is_read_whole(app, live_url):
    chunks = (part for part in [b'{"username": "nobody",', b' "password": "wrong-password"}'])
    status, body = _post_chunked(live_url, "/token", chunks, {"Content-Type": "application/json"})
    assert status == 401 and json.loads(body)["error"] == "invalid_grant"
