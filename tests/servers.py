"""Real servers for the tests, each on a free loopback port in a temporary folder:
Redis (Debian's redis-server) and an S3-compatible object store (moto's standalone server)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from app.system_programs import find_program

S3_TEST_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "podium-test", "AWS_SECRET_ACCESS_KEY": "podium-test-secret",
                       "AWS_DEFAULT_REGION": "us-east-1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, what: str, log: Path, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited at start: {log.read_text()[-2000:]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not start within {timeout:.0f} s: {log.read_text()[-2000:]}")


@contextmanager
def _server(argv: list[str], port: int, what: str, env: dict | None = None) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="podium-server-"))
    log = folder / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(argv, cwd=folder, stdout=out, stderr=subprocess.STDOUT, env=env,  # noqa: S603
                                   start_new_session=True)
    try:
        _wait_for_port(port, process, what, log)
        yield folder
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def redis_server() -> Iterator[str]:
    """A private Redis with no persistence; yields its URL (database 0)."""
    port = free_port()
    argv = [find_program("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--protected-mode", "yes"]
    with _server(argv, port, "redis-server"):
        yield f"redis://127.0.0.1:{port}/0"


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    env: dict[str, str]  # boto3's standard variables, for this process and for child processes

    def client(self):
        import boto3

        return boto3.session.Session(
            aws_access_key_id=self.env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=self.env["AWS_SECRET_ACCESS_KEY"],
            region_name=self.env["AWS_DEFAULT_REGION"],
        ).client("s3", endpoint_url=self.endpoint_url)

    def create_bucket(self, name: str) -> str:
        self.client().create_bucket(Bucket=name)
        return name


@contextmanager
def s3_server() -> Iterator[S3Server]:
    """moto's S3-compatible server, over HTTP on loopback, reached with the real boto3 client."""
    port = free_port()
    argv = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    with _server(argv, port, "moto S3 server", env=os.environ | {"MOTO_PORT": str(port)}):
        url = f"http://127.0.0.1:{port}"
        yield S3Server(url, S3_TEST_CREDENTIALS | {"AWS_ENDPOINT_URL": url})
