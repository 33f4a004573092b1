"""make run's scripts/serve.sh: Ctrl+C stops gunicorn, the Celery worker and beat together, and nothing
restarts them; a worker that dies is restarted.

Regression: bash's background shells ignore SIGINT, so the supervisors did not hear Ctrl+C, saw the worker
and beat stop (they heard it), and restarted them; the script now stops them itself.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from app.system_programs import find_program
from tests.servers import _wait_for_port, free_port
from tests.topology import ROOT, SECRET_KEY, wait_until

pytestmark = pytest.mark.worker
WORKER = "celery -A app.jobs.worker worker"


def _processes(pgid: int) -> dict[int, str]:
    """{pid: command line} of the processes still running in process group *pgid*."""
    found = {}
    for pid in map(int, filter(str.isdigit, os.listdir("/proc"))):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                exited = stat.read().rsplit(")", 1)[1].split()[0] == "Z"  # not reaped yet by its parent
            if os.getpgid(pid) == pgid and not exited:
                with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                    found[pid] = cmdline.read().replace(b"\0", b" ").decode()
        except (ProcessLookupError, FileNotFoundError, PermissionError):
            continue
    return found


def _workers(pgid: int) -> set[int]:
    """The Celery worker's processes (not its supervisor, whose command line holds the worker's)."""
    return {pid for pid, command in _processes(pgid).items() if WORKER in command and "supervise" not in command}


def test_ctrl_c_stops_everything_and_a_dead_worker_comes_back(tmp_path):
    instance, port = tmp_path / "instance", free_port()
    env = os.environ | {"PODIUM_INSTANCE_DIR": str(instance), "PODIUM_UPLOAD_DIR": str(instance / "uploads"),
                        "DATABASE_URL": f"sqlite:///{instance / 'podium.sqlite'}", "SECRET_KEY": SECRET_KEY,
                        "PODIUM_ENV": "development", "PORT": str(port), "WEB_CONCURRENCY": "1",
                        "WORKER_CONCURRENCY": "1"}
    instance.mkdir()
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        serve = subprocess.Popen([find_program("bash"), "scripts/serve.sh"], cwd=ROOT, env=env, stdout=out,
                                 stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_for_port(port, serve, "serve.sh", log, timeout=60)
        wait_until(lambda: _workers(serve.pid), 30, "the worker to start", interval=0.2)

        # A worker that dies is started again.
        first = _workers(serve.pid)
        for pid in first:
            os.kill(pid, signal.SIGKILL)
        wait_until(lambda: _workers(serve.pid) - first, 30, "the worker to be restarted", interval=0.2)
        assert "restarting it" in log.read_text()

        # Ctrl+C: the terminal sends SIGINT to the whole process group.
        restarts = log.read_text().count("restarting it")
        os.killpg(serve.pid, signal.SIGINT)
        def still_running() -> str:
            return f"everything to stop; still running: {_processes(serve.pid)}\n{log.read_text()[-1500:]}"

        wait_until(lambda: not _processes(serve.pid), 30, still_running, interval=0.2)
        assert serve.wait(5) == 0
        assert log.read_text().count("restarting it") == restarts, log.read_text()[-2000:]
    finally:
        if _processes(serve.pid):
            os.killpg(serve.pid, signal.SIGKILL)
        serve.wait(10)

