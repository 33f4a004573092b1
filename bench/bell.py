"""Students at the bell, against the district topology: how many reports per minute does each worker process give?

Usage (from the repo root):
    .venv/bin/python bench/bell.py --students 12 --seconds 20 --workers 2     # the measured run
    .venv/bin/python bench/bell.py --students 4 --seconds 10 --workers 1      # a quick check

Everything is real and as a district runs it (tests/topology.py): a throwaway PostgreSQL, Redis,
moto's S3-compatible server, gunicorn with its own instance folder, and W worker hosts (each one
`celery -A app.jobs.worker worker --pool=solo`, one analysis at a time, its own instance folder,
no disk shared with the web host), plus one beat. Recordings are speechocean762 utterances (real
learners' speech, /work/shared/data/speechocean762-dev, CC BY 4.0, SpeechOcean and Xiaomi) joined
to the requested length, sent at once through the upload API with each student's token.

Printed: the time from the bell until the last report, the throughput of each worker process
(reports per minute, and seconds of wall time per report while all W run side by side), and how
many reports each worker host made.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
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


def seed_students(database_url: str, folder: Path, count: int) -> list[str]:
    """*count* students and an API token each, written straight to the district's database."""
    from app import create_app
    from app.auth.tokens import issue_token
    from app.extensions import db
    from tests.factories import app_config, make_student

    app = create_app(app_config(SQLALCHEMY_DATABASE_URI=database_url, INSTANCE_DIR=str(folder / "seeder"),
                                UPLOAD_DIR=str(folder / "seeder" / "uploads")))
    tokens = []
    with app.app_context():
        for _ in range(count):
            tokens.append(issue_token(make_student(), 3600)[0])
        db.session.commit()
        db.engine.dispose()
    return tokens


def ring_the_bell(web_url: str, tokens: list[str], recordings: list[Path]) -> list[int]:
    from tests.topology import post_recording

    answers: list = [None] * len(tokens)
    bell = threading.Barrier(len(tokens))

    def submit(n: int) -> None:
        audio = recordings[n].read_bytes()
        bell.wait()
        answers[n] = post_recording(web_url, tokens[n], audio)

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(len(tokens))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    refused = [a for a in answers if a[0] != 202]
    if refused:
        sys.exit(f"{len(refused)} uploads refused: {refused[:3]}")
    return [body["session_id"] for _, body in answers]


def wait_for_reports(database_url: str, ids: list[int], timeout: float) -> dict[int, tuple[str, float]]:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    finished: dict[int, tuple[str, float]] = {}
    deadline = time.monotonic() + timeout
    while len(finished) < len(ids) and time.monotonic() < deadline:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, status FROM practice_sessions WHERE status IN ('done', 'failed')"))
            for session_id, status in rows:
                if session_id in ids and session_id not in finished:
                    finished[session_id] = (status, time.monotonic())
                    print(f"  report {len(finished):>2}/{len(ids)}: session {session_id} {status}", flush=True)
        time.sleep(0.25)
    engine.dispose()
    return finished


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=12)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2, help="worker hosts, one analysis process each")
    parser.add_argument("--model", default="base", help="WHISPER_MODEL of the workers (base or tiny.en)")
    args = parser.parse_args()

    from tests.postgres import throwaway_postgres
    from tests.topology import district, fresh_database

    folder = Path(tempfile.mkdtemp(prefix="podium-bell-"))
    print(f"Building {args.students} recordings of {args.seconds:.0f} s of real speech in {folder} …", flush=True)
    recordings = build_recordings(args.students, args.seconds, folder)
    with throwaway_postgres() as server, fresh_database(server) as database_url, \
            district(folder / "hosts", database_url, settings={"WHISPER_MODEL": args.model}) as topology:
        tokens = seed_students(database_url, folder, args.students)
        hosts = [f"worker-{n + 1}" for n in range(args.workers)]
        for host in hosts:
            topology.start_worker(host)
        time.sleep(10)  # let the workers start before the bell rings (each loads its model on its first job)
        print(f"The bell rings: {args.students} students submit through {topology.web_url} …", flush=True)
        start = time.monotonic()
        ids = ring_the_bell(topology.web_url, tokens, recordings)
        print(f"  all {len(ids)} uploads answered 202 in {time.monotonic() - start:.1f} s", flush=True)
        finished = wait_for_reports(database_url, ids, timeout=max(600, 30 * args.seconds * args.students))
        per_host = {host: len(re.findall(r"succeeded in [^:]+: 'ran'", topology.log(host))) for host in hosts}
    report(args, ids, finished, start, per_host)


def report(args, ids: list[int], finished: dict[int, tuple[str, float]], start: float,
           per_host: dict[str, int]) -> None:
    done = sum(1 for status, _ in finished.values() if status == "done")
    last = max((t for _, t in finished.values()), default=start) - start
    print()
    print(f"students {args.students} × {args.seconds:.0f} s, worker processes {args.workers} (WHISPER_MODEL="
          f"{args.model}), CPUs {os.cpu_count()}")
    print(f"reports: {done} done, {len(finished) - done} failed, {len(ids) - len(finished)} lost or stuck")
    print(f"time from the bell until the last report: {last:.1f} s")
    per_worker = len(finished) / last * 60 / args.workers if last else 0.0
    print(f"throughput per worker process: {per_worker:.2f} reports/min "
          f"({last * args.workers / max(1, len(finished)):.1f} s of wall time per {args.seconds:.0f} s report)")
    print("reports by worker host: " + ", ".join(f"{host} {count}" for host, count in per_host.items()))
    sys.exit(0 if done == len(ids) else 1)


if __name__ == "__main__":
    main()
