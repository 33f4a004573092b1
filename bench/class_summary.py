"""Time to build the deterministic class summary, and the queries it issues, on SQLite and PostgreSQL.

Usage (from the repo root):
    .venv/bin/python bench/class_summary.py [--backend sqlite|postgresql|both] [--students 40] [--sessions 30]
                                            [--runs 7] [--details TALKS,READINGS]

Seeds one class of N students with M finished sessions each, spread evenly over
the last 28 days (two thirds impromptu talks, one third read-aloud). Talk
reports are real reports: built by app.analysis.report.build_report (the
production report code, with the local feedback writer) from synthetic
transcripts with word timings, fillers and pauses; read-aloud reports have the
Azure shape with per-phoneme scores. Then times ``build_summary`` for the last
14 days (about half the sessions, plus the previous 14 days for trends) and the
last 28 days (every session), after one warm-up run. PostgreSQL runs on a
throwaway server (tests/postgres.py). The target is a median < 300 ms. The CPU
is shared with other work, so the load average is printed and the client's CPU
time is shown beside the wall time (for SQLite it is the whole cost).
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TOPICS = [
    ("My favourite place", "Describe a place you love and explain why."),
    ("A day I will never forget", "Tell us about a special day in your life."),
    ("Should school start later?", "Give your opinion and reasons."),
]
SENTENCES = [
    "last summer we went to the beach with my family and it was amazing",
    "um I think that school should start later because students are tired in the morning",
    "my favourite place is the library because it is quiet and I can read",
    "if I had more time I would explore the ancient castle near my town",
    "we have visited the museum three times and I have learned a lot",
    "like the best part was when we saw the dolphins jumping out of the water",
    "first we took the train then we walked to the old harbour",
    "however some people think that it is better to finish early",
    "uh the journey was long but it was more exciting than I expected",
    "you know my grandmother always tells stories about her childhood",
]
PASSAGE = "three thin thieves thought that they would visit the very wet west village with their brother"
VOCAB = ["journey", "ancient", "explore", "harbour", "museum", "opinion"]


def transcript(rng: random.Random, seconds: float):
    from app.analysis.engines.base import Transcript, Word

    words, t = [], 0.3
    rate = rng.uniform(1.6, 3.2)  # words per second: 96-192 wpm
    while t < seconds - 1:
        for token in rng.choice(SENTENCES).split():
            length = 1 / rate * rng.uniform(0.7, 1.2)
            words.append(Word(token, round(t, 2), round(t + length * 0.85, 2), rng.uniform(0.6, 0.99)))
            t += length
        t += rng.choice([0.2, 0.4, 0.7, 1.3, 2.1])
    text = " ".join(w.text for w in words)
    return Transcript(text=text, words=tuple(words), duration=t + 0.5, engine="bench")


def talk_reports(rng: random.Random, count: int) -> list[dict]:
    from app.analysis.context import Curriculum, RubricCriterion, SpeakingTask
    from app.analysis.feedback.local import LocalWriter
    from app.analysis.report import build_report

    curriculum = Curriculum(
        grammar_focus=("past_simple", "present_perfect", "conditionals"),
        vocabulary=tuple(VOCAB),
        rubric=(RubricCriterion("Fluency and pace", "", 50), RubricCriterion("Vocabulary", "", 50)),
    )
    out = []
    for i in range(count):
        title, prompt = TOPICS[i % len(TOPICS)]
        task = SpeakingTask(title=title, prompt=prompt, speaking_seconds=60, curriculum=curriculum)
        out.append(build_report(transcript(rng, rng.uniform(40, 75)), task, LocalWriter()))
    return out


def reading_report(rng: random.Random) -> dict:
    from app.analysis.engines.base import PhonemeScore, PronunciationResult, WordAssessment

    cmu = {
        "three": "TH R IY",
        "thin": "TH IH N",
        "thieves": "TH IY V Z",
        "thought": "TH AO T",
        "that": "DH AE T",
        "they": "DH EY",
        "would": "W UH D",
        "visit": "V IH Z IH T",
        "the": "DH AH",
        "very": "V EH R IY",
        "wet": "W EH T",
        "west": "W EH S T",
        "village": "V IH L IH JH",
        "with": "W IH DH",
        "their": "DH EH R",
        "brother": "B R AH DH ER",
    }
    words, t = [], 0.5
    for w in PASSAGE.split():
        phones = tuple(
            PhonemeScore(p, rng.uniform(20, 100) if p in ("TH", "DH", "V", "W", "R") else rng.uniform(60, 100))
            for p in cmu[w].split()
        )
        acc = sum(p.accuracy for p in phones) / len(phones)
        words.append(WordAssessment(w, t, 0.4, acc, "Mispronunciation" if acc < 60 else "None", phones))
        t += 0.5
    acc = sum(w.accuracy for w in words) / len(words)
    return PronunciationResult(
        acc, rng.uniform(50, 95), 100, rng.uniform(50, 90), acc, tuple(words), PASSAGE, PASSAGE, "bench"
    ).to_json()


def seed(students: int, sessions: int) -> int:
    from app.classes.services import create_class
    from app.extensions import db
    from app.models import CurriculumGoal, Enrolment, PracticeSession, User, utcnow

    rng = random.Random(7)
    teacher = User(name="Bench Teacher", email="bench-teacher@example.com", role="teacher", password_hash="x")
    db.session.add(teacher)
    classroom = create_class(teacher, "Bench class")
    db.session.add(
        CurriculumGoal(
            class_id=classroom.id,
            grammar_focus=["past_simple", "present_perfect", "conditionals"],
            vocabulary=VOCAB,
            rubric=[{"name": "Fluency and pace", "weight": 50}, {"name": "Vocabulary", "weight": 50}],
        )
    )
    talks, now = talk_reports(rng, 24), utcnow()
    for n in range(students):
        student = User(name=f"Student {n:02d}", email=f"bench{n}@example.com", role="student", password_hash="x")
        db.session.add(student)
        db.session.flush()
        db.session.add(Enrolment(student_id=student.id, class_id=classroom.id))
        for k in range(sessions):
            finished = now - timedelta(days=28 * (k + rng.random()) / sessions)
            row = PracticeSession(
                student_id=student.id,
                class_id=classroom.id,
                status="done",
                finished_at=finished,
                started_at=finished - timedelta(minutes=3),
            )
            if k % 3 == 2:
                report = reading_report(rng)
                row.kind, row.report, row.transcript = "pronunciation", report, report["RecognizedText"]
                row.accuracy_score, row.pron_fluency_score = report["AccuracyScore"], report["FluencyScore"]
                row.prosody_score, row.completeness_score = report["ProsodyScore"], report["CompletenessScore"]
                row.pron_score, row.audio_seconds = report["PronScore"], 8.0
            else:
                report = copy.deepcopy(rng.choice(talks))
                s, m = report["scores"], report["metrics"]
                row.kind, row.report, row.transcript, row.audio_seconds = (
                    "impromptu",
                    report,
                    report["transcript"],
                    report["duration"],
                )
                row.overall_score, row.fluency_score = s["overall"]["score"], s["fluency"]["score"]
                row.vocabulary_score, row.grammar_score = s["vocabulary"]["score"], s["grammar"]["score"]
                row.relevance_score = s["relevance"]["score"]
                row.words_per_minute, row.fillers_per_minute = m["words_per_minute"], m["fillers_per_minute"]
            db.session.add(row)
    db.session.commit()
    return classroom.id


def measure(app, class_id: int, days: int, runs: int) -> tuple[list[float], int, int]:
    from sqlalchemy import event

    from app.analytics.periods import last_days
    from app.analytics.summary import build_summary
    from app.extensions import db
    from app.models import Classroom, utcnow

    times, cpu, statements = [], [], []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    with app.app_context():
        period = last_days(days, utcnow().date())
        for run in range(runs + 1):
            db.session.remove()  # nothing carried over between runs
            classroom = db.session.get(Classroom, class_id)
            statements.clear()
            event.listen(db.engine, "before_cursor_execute", listener)
            start, start_cpu = time.perf_counter(), time.process_time()
            summary = build_summary(classroom, period)
            elapsed, used = time.perf_counter() - start, time.process_time() - start_cpu
            event.remove(db.engine, "before_cursor_execute", listener)
            if run:  # the first run warms caches (imports, statement compilation)
                times.append(elapsed)
                cpu.append(used)
    return times, cpu, len(statements), summary["participation"]["sessions"]


def run_backend(name: str, url: str, args) -> bool:
    from flask_migrate import upgrade

    from app import create_app
    from app.config import TestConfig

    instance = Path(tempfile.mkdtemp(prefix="podium-bench-"))
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()} | {
        "SQLALCHEMY_DATABASE_URI": url,
        "INSTANCE_DIR": str(instance),
        "UPLOAD_DIR": str(instance / "uploads"),
        "CELERY_BROKER_URL": f"sqla+sqlite:///{instance / 'broker.sqlite'}",
    }
    app = create_app(config)
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        class_id = seed(args.students, args.sessions)
        seconds = time.perf_counter() - started
        print(f"[{name}] seeded {args.students} students x {args.sessions} sessions in {seconds:.1f} s")
    ok = True
    for days in (14, 28):
        times, cpu, queries, counted = measure(app, class_id, days, args.runs)
        median, worst = statistics.median(times) * 1000, max(times) * 1000
        ok &= median < 300
        print(
            f"[{name}] last {days} days: {counted} sessions in the period, {queries} queries, "
            f"median {median:.0f} ms (best {min(times) * 1000:.0f}, worst {worst:.0f}) over {len(times)} runs, "
            f"client CPU {statistics.median(cpu) * 1000:.0f} ms {'OK' if median < 300 else 'SLOW'}"
        )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--details",
        default=None,
        metavar="TALKS,READINGS",
        help="reports read per student (default: queries.DETAILS_PER_STUDENT)",
    )
    args = parser.parse_args()
    if args.details:
        from app.analytics import queries

        talks, readings = (int(n) for n in args.details.split(","))
        queries.DETAILS_PER_STUDENT = {"impromptu": talks, "pronunciation": readings}
    # Wall times on a shared machine include waiting for a core; the load average says how much.
    print("load average: %.1f %.1f %.1f on %d CPUs" % (*os.getloadavg(), os.cpu_count()))
    ok = True
    with ExitStack() as stack:
        if args.backend in ("sqlite", "both"):
            ok &= run_backend("sqlite", f"sqlite:///{tempfile.mkdtemp(prefix='podium-bench-db-')}/bench.sqlite", args)
        if args.backend in ("postgresql", "both"):
            from tests.postgres import throwaway_postgres

            ok &= run_backend("postgresql", stack.enter_context(throwaway_postgres()), args)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
