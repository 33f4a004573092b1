"""Podium as a district runs it, on one machine: gunicorn web and Celery workers and beat as separate
processes, each with its own instance folder and no disk in common, sharing only PostgreSQL, Redis
and an S3-compatible store. Used by the two-host test (tests/jobs/test_two_hosts.py) and bench/bell.py.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, text

from tests.servers import _wait_for_port, free_port, redis_server, s3_server

ROOT = Path(__file__).resolve().parents[1]
SECRET_KEY = "district-topology-secret"  # noqa: S105 - the topology's own throwaway key
# Short recovery timings, so a killed worker's analysis comes back within seconds.
FAST_RECOVERY = {"ANALYSIS_HEARTBEAT_SECONDS": "0.5", "ANALYSIS_STALE_SECONDS": "4", "RECOVERY_INTERVAL_SECONDS": "1"}


@dataclass
class Topology:
    root: Path
    env: dict[str, str]  # what every host is given: database, broker, store, engine settings
    web_url: str
    s3: object
    bucket: str
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def host_env(self, host: str) -> dict[str, str]:
        """The environment of one host: the shared settings, and an instance folder of its own."""
        instance = self.root / host
        return os.environ | self.env | {"PODIUM_INSTANCE_DIR": str(instance),
                                        "PODIUM_UPLOAD_DIR": str(instance / "uploads"), "PYTHONPATH": str(ROOT)}

    def start(self, host: str, argv: list[str]) -> subprocess.Popen:
        (self.root / host).mkdir(parents=True, exist_ok=True)
        with (self.root / f"{host}.log").open("wb") as log:
            process = subprocess.Popen(argv, cwd=ROOT, env=self.host_env(host), stdout=log,  # noqa: S603
                                       stderr=subprocess.STDOUT, start_new_session=True)
        self.processes[host] = process
        return process

    def start_worker(self, host: str, concurrency: int = 1) -> subprocess.Popen:
        pool = ["--pool=solo"] if concurrency == 1 else [f"--concurrency={concurrency}"]
        return self.start(host, [sys.executable, "-m", "celery", "-A", "app.jobs.worker", "worker", *pool,
                                 "--loglevel=INFO", "--without-gossip", "--without-mingle", "-n", f"{host}@%h"])

    def kill(self, host: str) -> None:
        process = self.processes[host]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def log(self, host: str) -> str:
        return (self.root / f"{host}.log").read_text(errors="replace")

    def bucket_keys(self) -> list[str]:
        keys, token = [], {}
        while True:
            page = self.s3.client().list_objects_v2(Bucket=self.bucket, **token)
            keys += [item["Key"] for item in page.get("Contents", [])]
            if not page.get("IsTruncated"):
                return keys
            token = {"ContinuationToken": page["NextContinuationToken"]}

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new, empty database on a PostgreSQL server, dropped afterwards."""
    name = f"district_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield server_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
        admin.dispose()


@contextmanager
def district(root: Path, database_url: str, *, web_processes: int = 2, settings: dict | None = None
             ) -> Iterator[Topology]:
    """Migrate *database_url*, start Redis, the S3 server, beat and gunicorn; workers are started by the caller."""
    with ExitStack() as stack:
        redis_url = stack.enter_context(redis_server())
        s3 = stack.enter_context(s3_server())
        bucket = s3.create_bucket("podium-district")
        env = {"DATABASE_URL": database_url, "CELERY_BROKER_URL": redis_url, "SECRET_KEY": SECRET_KEY,
               "STORAGE_URL": f"s3://{bucket}/recordings", "STORAGE_S3_ADDRESSING_STYLE": "path",
               "PODIUM_ENV": "development", "CELERY_TASK_ALWAYS_EAGER": "0"} | s3.env | FAST_RECOVERY
        env |= {key: str(value) for key, value in (settings or {}).items()}
        # The web host's processes share their request figures here (app/health/metrics.py).
        env["PROMETHEUS_MULTIPROC_DIR"] = str(root / "web" / "metrics")
        port = free_port()
        topology = Topology(root, env, f"http://127.0.0.1:{port}", s3, bucket)
        stack.callback(topology.stop)
        migrate = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],  # noqa: S603
                                 cwd=ROOT, env=topology.host_env("migrate"), capture_output=True, text=True)
        if migrate.returncode:
            raise RuntimeError(f"migrations failed: {migrate.stderr[-2000:]}")
        topology.start("beat", [sys.executable, "-m", "celery", "-A", "app.jobs.worker", "beat", "--loglevel=INFO"])
        web = topology.start("web", [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py",
                                     "--bind", f"127.0.0.1:{port}", "--workers", str(web_processes),
                                     "wsgi:app"])
        _wait_for_port(port, web, "gunicorn", root / "web.log", timeout=60)
        yield topology


def post_recording(web_url: str, token: str, audio: bytes, filename: str = "speech.wav") -> tuple[int, dict]:
    """POST a whole recording to /api/analyze-chunked as an API client does (multipart, bearer token)."""
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"{filename}\"\r\n"
            f"Content-Type: audio/wav\r\n\r\n").encode() + audio + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"{web_url}/api/analyze-chunked", data=body, method="POST", headers={  # noqa: S310
        "Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - our own loopback server
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def wait_until(predicate, timeout: float, what, interval: float = 0.5) -> None:
    """Until *predicate()* holds; after *timeout* seconds a TimeoutError names *what* (a string, or a callable
    called then, to describe the state it timed out in)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what() if callable(what) else what}")


def scrape(web_url: str, token: str) -> str:
    """The /metrics page, as Prometheus reads it."""
    request = urllib.request.Request(f"{web_url}/metrics", headers={"Authorization": f"Bearer {token}"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own loopback server
        return response.read().decode()
