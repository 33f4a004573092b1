"""A throwaway PostgreSQL server for the test session: initdb into a temp dir, loopback only."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from app.system_programs import find_program


def _pg_bin(name: str) -> str:
    return find_program(name)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres_user(cmd: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; the Debian package creates a `postgres` user.
    return [find_program("runuser"), "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """Start a private server and yield its SQLAlchemy URL; the data dir is deleted afterwards."""
    root = Path(tempfile.mkdtemp(prefix="podium-pg-"))
    data, port = root / "data", _free_port()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    run = lambda cmd: subprocess.run(_as_postgres_user(cmd), check=True, capture_output=True)  # noqa: E731
    try:
        run([_pg_bin("initdb"), "-D", str(data), "-U", "podium", "--auth=trust", "-E", "UTF8", "--no-sync"])
        options = f"-h 127.0.0.1 -p {port} -k {root} -F -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        run([_pg_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"])
        run([_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "podium", "podium_test"])
        yield f"postgresql+psycopg://podium@127.0.0.1:{port}/podium_test"
    finally:
        stop = [_pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
        subprocess.run(_as_postgres_user(stop), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
