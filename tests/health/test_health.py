"""/health, /ready (database, broker and storage, really reached) and the Prometheus figures at /metrics."""
from __future__ import annotations

import itertools
import re
import time
from datetime import timedelta

import pytest

from app import create_app
from app.models import utcnow
from tests.factories import app_config, make_session, make_student
from tests.servers import free_port

_buckets = itertools.count(1)
TOKEN = "metrics-test-token"  # noqa: S105 - the tests' own token


def _app(tmp_path, **overrides):
    return create_app(app_config(**{
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'podium.sqlite'}", "INSTANCE_DIR": str(tmp_path / "i"),
        "UPLOAD_DIR": str(tmp_path / "uploads"), "CELERY_BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}",
        "READY_TIMEOUT_SECONDS": 2} | overrides))


def test_health_answers_while_the_app_runs(client):
    assert client.get("/health").get_json() == {"status": "ok"}


def test_ready_reaches_the_database_redis_and_an_s3_bucket(tmp_path, redis_url, s3_env):
    bucket = s3_env.create_bucket(f"podium-ready-{next(_buckets)}")
    app = _app(tmp_path, CELERY_BROKER_URL=redis_url, STORAGE_URL=f"s3://{bucket}/podium",
               STORAGE_S3_ADDRESSING_STYLE="path")
    response = app.test_client().get("/ready")
    assert (response.status_code, response.get_json()) == (200, {"status": "ready"})


def test_ready_is_503_naming_what_failed(tmp_path, s3_env):
    closed = free_port()  # nothing listens here
    app = _app(tmp_path, CELERY_BROKER_URL=f"redis://:secret-password@127.0.0.1:{closed}/0",
               STORAGE_URL="s3://no-such-bucket/podium", STORAGE_S3_ADDRESSING_STYLE="path")
    started = time.monotonic()
    response = app.test_client().get("/ready")
    assert response.status_code == 503 and time.monotonic() - started < 10
    body = response.get_json()
    assert body["status"] == "not ready" and set(body["failed"]) == {"broker", "storage"}
    assert "secret-password" not in response.get_data(as_text=True)


def test_ready_is_503_when_the_database_is_gone(tmp_path):
    app = _app(tmp_path, SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://podium@127.0.0.1:{free_port()}/podium")
    response = app.test_client().get("/ready")
    assert response.status_code == 503 and set(response.get_json()["failed"]) == {"database"}


def test_metrics_are_not_found_without_a_token_setting(client):
    assert client.get("/metrics").status_code == 404


def _scrape(client, token=TOKEN):
    return client.get("/metrics", headers={"Authorization": f"Bearer {token}"})


def _value(text: str, metric: str, **labels) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    match = re.search(rf"^{metric}\{{{re.escape(wanted)}\}} (\S+)$", text, re.M)
    assert match, f"{metric}{{{wanted}}} not in\n{text}"
    return float(match.group(1))


def test_metrics_need_the_bearer_token_and_show_latency_queue_and_analyses(app, app_ctx, client, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", TOKEN)
    assert _scrape(client, "wrong").status_code == 401 and client.get("/metrics").status_code == 401
    student = make_student()
    now = utcnow()
    make_session(student, status="submitted", submitted_at=now)
    make_session(student, status="transcribing", submitted_at=now)
    make_session(student, status="done", submitted_at=now - timedelta(seconds=40), finished_at=now)
    make_session(student, status="done", submitted_at=now - timedelta(seconds=20), finished_at=now)
    make_session(student, status="failed", submitted_at=now - timedelta(seconds=5), finished_at=now, score=None)
    client.get("/health")
    response = _scrape(client)
    assert response.status_code == 200 and response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert _value(text, "podium_http_request_duration_seconds_count", endpoint="health.check", method="GET",
                  status="200") >= 1
    assert _value(text, "podium_analysis_queue", status="submitted") == 1
    assert _value(text, "podium_analysis_queue", status="transcribing") == 1
    assert _value(text, "podium_analysis_queue", status="scoring") == 0
    assert _value(text, "podium_analyses_total", outcome="done") == 2
    assert _value(text, "podium_analyses_total", outcome="failed") == 1
    assert _value(text, "podium_analysis_seconds", quantile="1") == pytest.approx(40, abs=1)
    assert _value(text, "podium_analysis_seconds", quantile="0.5") == pytest.approx(20, abs=1)
