"""Class at the bell: N students submit recordings within a second; does everyone get a report, in order?

Usage (from the repo root):
    .venv/bin/python bench/bell.py --students 30 --seconds 60 --workers 2     # the full run
    .venv/bin/python bench/bell.py --students 6 --seconds 20 --workers 1      # a quick check

Everything is real: recordings are speechocean762 utterances (real learners' speech,
/work/shared/data/speechocean762-dev, CC BY 4.0, SpeechOcean and Xiaomi) joined to the
requested length; the database and the embedded broker are SQLite files in a temp folder;
the work is done by a Celery worker started exactly as in production
(`celery -A app.jobs.worker worker --concurrency=W`), so W processes share the queue.

Printed: the time from the first submission until the last report, against the best this
hardware can do, (sum of single-job times) / W. The single-job time is measured first, in
this process, on --calibrate recordings analysed one at a time (after a warm-up), and the
mean is multiplied by N. "In order" checks that reports finish in submission order, within
the W jobs that run side by side.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("SPEECHOCEAN_DIR", "/work/shared/data/speechocean762-dev"))
SR = 16_000
GAP = np.zeros(int(0.4 * SR), dtype=np.int16)


def build_recordings(count: int, seconds: float, folder: Path) -> list[Path]:
    """*count* WAVs of *seconds* each, every one from a different run of real utterances."""
    utterances = sorted((CORPUS / "wav").glob("*.wav"))
    if not utterances:
        sys.exit(f"no speech found in {CORPUS}/wav (set SPEECHOCEAN_DIR)")
    paths, cursor = [], 0
    for n in range(count):
        parts, total = [], 0
        while total < seconds * SR:
            with wave.open(str(utterances[cursor % len(utterances)])) as clip:
                samples = np.frombuffer(clip.readframes(clip.getnframes()), dtype=np.int16)
            parts += [samples, GAP]
            total += len(samples) + len(GAP)
            cursor += 1
        path = folder / f"student{n + 1:02d}.wav"
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1), out.setsampwidth(2), out.setframerate(SR)
            out.writeframes(np.concatenate(parts)[: int(seconds * SR)].tobytes())
        paths.append(path)
    return paths


def configure(folder: Path) -> dict[str, str]:
    """Environment shared by this process and the worker: files in *folder*, nothing else touched."""
    env = {
        "PODIUM_INSTANCE_DIR": str(folder / "instance"),
        "DATABASE_URL": f"sqlite:///{folder / 'bell.sqlite'}",
        "CELERY_BROKER_URL": f"sqla+sqlite:///{folder / 'broker.sqlite'}",
        "PODIUM_UPLOAD_DIR": str(folder / "uploads"),
        "SECRET_KEY": "bell-bench",
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    os.environ.update(env)
    return env


def single_job_seconds(app, recordings: list[Path], calibrate: int) -> float:
    """Mean wall time of one analysis alone, after a warm-up that loads the model."""
    from app.analysis.context import SpeakingTask
    from app.analysis.pipeline import analyse_impromptu

    task = SpeakingTask(title="My weekend", prompt="Tell us about your weekend.", speaking_seconds=60)
    analyse_impromptu(recordings[0], task, app.config)
    times = []
    for path in recordings[:calibrate]:
        start = time.perf_counter()
        analyse_impromptu(path, task, app.config)
        times.append(time.perf_counter() - start)
    return statistics.mean(times)


def submit_all(app, recordings: list[Path]) -> list[int]:
    """Every student submits at once, as the student pages do: commit, then enqueue."""
    from app.extensions import db
    from app.jobs.dispatch import enqueue_session_analysis
    from app.models import User
    from app.practice.recordings import store_recording
    from app.practice.states import start_session, submit_session

    ids = []
    with app.app_context():
        students = []
        for n, _ in enumerate(recordings):
            student = User(name=f"Student {n + 1}", email=f"student{n + 1}@bell.test", role="student")
            student.set_password("bell-bench", method="pbkdf2:sha256:1000")
            students.append(student)
        db.session.add_all(students)
        sessions = [start_session(s, "impromptu", title="My weekend", prompt="Tell us about your weekend.")
                    for s in students]
        db.session.commit()
        for session, path in zip(sessions, recordings, strict=True):
            with path.open("rb") as audio:
                submit_session(session, store_recording(session, audio, "recording.wav"), "audio/wav")
            db.session.commit()
            enqueue_session_analysis(session)
            ids.append(session.id)
    return ids


def wait_for_reports(app, ids: list[int], timeout: float) -> dict[int, tuple[str, float]]:
    from sqlalchemy import select

    from app.extensions import db
    from app.models import PracticeSession

    finished: dict[int, tuple[str, float]] = {}
    deadline = time.monotonic() + timeout
    while len(finished) < len(ids) and time.monotonic() < deadline:
        with app.app_context():
            rows = db.session.execute(select(PracticeSession.id, PracticeSession.status)
                                      .where(PracticeSession.id.in_(ids))).all()
        for session_id, status in rows:
            if status in ("done", "failed") and session_id not in finished:
                finished[session_id] = (status, time.monotonic())
                print(f"  report {len(finished):>2}/{len(ids)}: session {session_id} {status}", flush=True)
        time.sleep(0.25)
    return finished


def queue_places(app, ids: list[int]) -> list[int | None]:
    from app.extensions import db
    from app.models import PracticeSession
    from app.practice.queries import queue_position

    with app.app_context():
        return [queue_position(db.session.get(PracticeSession, i)) for i in ids]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2, help="worker processes (Celery --concurrency)")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (database, worker.log)")
    parser.add_argument("--calibrate", type=int, default=3, help="recordings timed alone for the single-job time")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="podium-bell-"))
    env = configure(folder)
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade

    from app import create_app

    app = create_app()
    with app.app_context():
        upgrade()
    print(f"Building {args.students} recordings of {args.seconds:.0f} s of real speech in {folder} …", flush=True)
    recordings = build_recordings(args.students, args.seconds, folder)
    print(f"Timing single jobs ({args.calibrate} alone, after a warm-up) …", flush=True)
    single = single_job_seconds(app, recordings, min(args.calibrate, len(recordings)))
    print(f"  one {args.seconds:.0f} s recording alone: {single:.1f} s", flush=True)

    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "app.jobs.worker", "worker", f"--concurrency={args.workers}",
         "--loglevel=WARNING", "--without-gossip", "--without-mingle", "-n", "bell@%h"],
        cwd=ROOT, env=os.environ | env, stdout=(folder / "worker.log").open("wb"), stderr=subprocess.STDOUT,
    )
    try:
        time.sleep(8)  # let the worker start and load its model before the bell rings
        print(f"The bell rings: {args.students} students submit …", flush=True)
        start = time.monotonic()
        ids = submit_all(app, recordings)
        submitted_in = time.monotonic() - start
        places = queue_places(app, ids)
        print(f"  all submitted in {submitted_in:.1f} s; places in the queue the students see: {places}", flush=True)
        finished = wait_for_reports(app, ids, timeout=max(600, 6 * single * args.students))
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    report(args, ids, finished, start, single)


def report(args, ids: list[int], finished: dict[int, tuple[str, float]], start: float, single: float) -> None:
    done = sum(1 for status, _ in finished.values() if status == "done")
    lost = len(ids) - len(finished)
    order = sorted(finished, key=lambda i: finished[i][1])
    displacement = max((abs(order.index(i) - n) for n, i in enumerate(ids) if i in finished), default=0)
    last = max((t for _, t in finished.values()), default=start) - start
    ideal = single * args.students / args.workers
    print()
    print(f"students {args.students} × {args.seconds:.0f} s, worker processes {args.workers}, CPUs {os.cpu_count()}")
    print(f"reports: {done} done, {len(finished) - done} failed, {lost} lost or stuck")
    print(f"in order: {'yes' if displacement < args.workers else 'no'} (largest shift {displacement} places)")
    print(f"time until the last report: {last:.1f} s")
    print(f"best this hardware can do:  {ideal:.1f} s  (= {args.students} × {single:.1f} s / {args.workers})")
    print(f"ratio: {last / ideal:.2f}×")
    sys.exit(0 if done == len(ids) else 1)


if __name__ == "__main__":
    main()
