"""Fixtures for the job tests: a real Celery worker in a subprocess.

The worker shares a file SQLite database and a file broker with the test's app,
exactly as `make run` shares them between gunicorn and the worker.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from tests.factories import app_config

ROOT = Path(__file__).resolve().parents[2]


# What a worker process must share with the app whose tasks it runs.
SHARED_SETTINGS = ("SQLALCHEMY_DATABASE_URI", "INSTANCE_DIR", "UPLOAD_DIR", "CELERY_BROKER_URL")


class WorkerHarness:
    """An app with tasks going through a real broker, and worker processes to start and kill.

    With *app* (the browser tests' live server), the workers serve that app's database, broker and
    uploads; otherwise the harness makes its own app under *root*, with *settings* over its defaults
    (a Redis broker, an S3 store).
    """

    def __init__(self, root: Path, app=None, **settings) -> None:
        self.root = root
        self.workers: list[subprocess.Popen] = []
        if app is not None:
            self.app = app
            self.overrides = {key: app.config[key] for key in SHARED_SETTINGS} | {"CELERY_TASK_ALWAYS_EAGER": False}
            return
        self.overrides = {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'podium.sqlite'}",
            "INSTANCE_DIR": str(root / "instance"),
            "UPLOAD_DIR": str(root / "uploads"),
            "CELERY_BROKER_URL": f"sqla+sqlite:///{root / 'broker.sqlite'}",
            "CELERY_TASK_ALWAYS_EAGER": False,
            # Short timings, so a killed worker's session comes back within seconds.
            "ANALYSIS_HEARTBEAT_SECONDS": 0.5,
            "ANALYSIS_STALE_SECONDS": 3,
            "RECOVERY_INTERVAL_SECONDS": 1,
        } | settings
        config = app_config(**self.overrides)
        self.app = create_app(config)
        with self.app.app_context():
            upgrade()

    def start_worker(self, name: str) -> subprocess.Popen:
        # The solo pool runs tasks in the worker process itself, so killing it really loses the running task.
        return self._start(name, ["worker", "--pool=solo", "--loglevel=INFO", "--without-gossip", "--without-mingle",
                                  "--without-heartbeat", "-n", f"{name}@%h"])

    def start_beat(self, name: str = "beat") -> subprocess.Popen:
        """Celery beat sending the periodic tasks of app/jobs/schedule.py (the recovery sweep every second here)."""
        return self._start(name, ["beat", "--loglevel=INFO", "--schedule", str(self.root / f"{name}-schedule")])

    def _start(self, name: str, arguments: list[str]) -> subprocess.Popen:
        env = os.environ | {"PODIUM_TEST_WORKER_CONFIG": json.dumps(self.overrides), "PYTHONPATH": str(ROOT)}
        with (self.root / f"{name}.log").open("wb") as log:  # the child keeps its own copy of the handle
            process = subprocess.Popen(  # noqa: S603 - our own interpreter running Celery
                [sys.executable, "-m", "celery", "-A", "tests.jobs.worker_app", *arguments],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        self.workers.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.kill(process)

    def wait_for(self, predicate: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.app.app_context():
                if predicate():
                    return
                db.session.remove()
            time.sleep(0.2)
        logs = "\n".join(p.read_text()[-3000:] for p in self.root.glob("*.log"))
        pytest.fail(f"timed out after {timeout} s waiting for {what}\n{logs}")


@pytest.fixture
def worker_harness(tmp_path):
    from celery import _state

    # Shared tasks publish through the default Celery app: the harness's while it runs, then the
    # previous one again, or later in-process (eager) tests would queue into this dead broker.
    previous = _state.default_app
    harness = WorkerHarness(tmp_path)
    try:
        yield harness
    finally:
        harness.stop_all()
        with harness.app.app_context():
            db.engine.dispose()
        if previous is not None:
            previous.set_default()
