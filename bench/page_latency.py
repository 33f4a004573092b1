"""Page latency under concurrent users: a real gunicorn server with logged-in students and a teacher.

Usage (from the repo root):
    .venv/bin/python bench/page_latency.py [--users 1,10,30] [--seconds 15] [--students 30] [--sessions 20]
                                           [--backend sqlite|postgresql] [--workers 2] [--threads 4]

Seeds one class (bench/class_summary.py's seed: real report JSON built by the production
report code) into a fresh database, starts gunicorn with deploy/gunicorn.conf.py on a free
loopback port, logs every virtual user in through the real form, then for each concurrency
level runs that many users for --seconds, each loading its pages in a loop with no think
time (a harsh load: a class of 30 does not click this fast). Students load their dashboard,
My Progress and /api/me/sessions; every tenth user is the teacher, loading the dashboard,
the class page (roster), the live panel JSON and the class summary JSON. Prints p50/p95/max
per page and requests per second. The client runs on the same 2 cores as the server, so
its own overhead is inside the figures. Traffic goes to 127.0.0.1 only and stops by itself.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from contextlib import ExitStack
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-password-1"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf-token" content="([^"]+)"')


def load_seed():
    spec = importlib.util.spec_from_file_location("class_summary_bench", ROOT / "bench" / "class_summary.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.seed


def prepare_database(url: str, instance: Path, students: int, sessions: int) -> int:
    """Migrate, seed, and give every seeded account a real password; returns the class id."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from app import create_app
    from app.extensions import db
    from app.models import User

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_DIR": str(instance),
                      "UPLOAD_DIR": str(instance / "uploads"), "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        class_id = load_seed()(students, sessions)
        for user in db.session.scalars(select(User)):
            user.set_password(PASSWORD, method="pbkdf2:sha256:1000")
        db.session.commit()
        db.engine.dispose()
    return class_id


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(url: str, instance: Path, workers: int, threads: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "PODIUM_INSTANCE_DIR": str(instance), "SECRET_KEY": "bench",
           "WEB_CONCURRENCY": str(workers), "GUNICORN_THREADS": str(threads)}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "--config", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
         "--access-logfile", "/dev/null", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            with urllib.request.urlopen(base + "/health", timeout=1) as response:  # noqa: S310 - the server it started
                if response.status == 200:
                    return server, base
        except OSError:
            time.sleep(0.25)
    server.kill()
    raise RuntimeError("gunicorn did not start: " + server.stderr.read().decode()[-2000:])


class Browser:
    """One logged-in user: a cookie jar and a keep-alive-free opener, as simple as a script can be."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, ""

    def post(self, path: str, fields: dict) -> tuple[int, str]:
        data = urllib.parse.urlencode(fields).encode()
        with self.opener.open(self.base + path, data=data, timeout=60) as response:
            return response.status, response.geturl()


def log_in(base: str, email: str) -> Browser:
    browser = Browser(base)
    _, page = browser.get("/login")
    token = next(g for g in CSRF.search(page).groups() if g)
    _, landed = browser.post("/login", {"email": email, "password": PASSWORD, "csrf_token": token})
    if landed.endswith("/login"):
        raise RuntimeError(f"login failed for {email}")
    return browser


def pages_for(user_index: int, class_id: int) -> tuple[str, list[tuple[str, str]]]:
    if user_index % 10 == 9:
        return "bench-teacher@example.com", [
            ("teacher dashboard", "/teacher/"),
            ("class page + roster", f"/teacher/classes/{class_id}"),
            ("live panel JSON", f"/api/classes/{class_id}/live"),
            ("class summary JSON", f"/api/classes/{class_id}/summary"),
        ]
    return f"bench{user_index % 30}@example.com", [
        ("student dashboard", "/student/"),
        ("My Progress", "/student/progress"),
        ("/api/me/sessions", "/api/me/sessions"),
    ]


def run_level(base: str, class_id: int, users: int, seconds: float) -> tuple[dict, int, float]:
    """*users* threads load their pages for *seconds*; returns latencies per page, errors and elapsed time."""
    clients = [(log_in(base, email), pages) for email, pages in (pages_for(i, class_id) for i in range(users))]
    latencies: dict[str, list[float]] = defaultdict(list)
    errors, lock, stop = [0], threading.Lock(), time.monotonic() + seconds

    def user(client: Browser, pages: list[tuple[str, str]]) -> None:
        while time.monotonic() < stop:
            for label, path in pages:
                started = time.perf_counter()
                status, _ = client.get(path)
                elapsed = time.perf_counter() - started
                with lock:
                    latencies[label].append(elapsed)
                    errors[0] += status != 200

    threads = [threading.Thread(target=user, args=pair) for pair in clients]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0], time.monotonic() - began


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(users: int, latencies: dict, errors: int, elapsed: float) -> None:
    total = sum(len(v) for v in latencies.values())
    print(f"\n{users} concurrent users: {total} requests in {elapsed:.1f} s = {total / elapsed:.1f} req/s, "
          f"{errors} non-200 answers, load average {os.getloadavg()[0]:.1f}")
    print(f"  {'page':<22} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for label, values in latencies.items():
        ms = [v * 1000 for v in values]
        print(f"  {label:<22} {len(ms):>6} {statistics.median(ms):>8.0f} {percentile(ms, 0.95):>8.0f} {max(ms):>8.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", default="1,10,30")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    with ExitStack() as stack:
        instance = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="podium-latency-")))
        if args.backend == "postgresql":
            from tests.postgres import throwaway_postgres

            url = stack.enter_context(throwaway_postgres())
        else:
            url = f"sqlite:///{instance / 'bench.sqlite'}"
        class_id = prepare_database(url, instance, args.students, args.sessions)
        server, base = start_server(url, instance, args.workers, args.threads)
        stack.callback(server.terminate)
        print(f"gunicorn: {args.workers} workers x {args.threads} threads on {args.backend}; "
              f"{args.students} students x {args.sessions} sessions; {os.cpu_count()} CPU cores")
        for users in (int(n) for n in args.users.split(",")):
            report(users, *run_level(base, class_id, users, args.seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
