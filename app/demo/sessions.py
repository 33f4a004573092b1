"""Demo practice sessions, analysed by the real engine from recordings shipped in app/demo/data.

The recordings were synthesised once with espeak-ng from the texts in speeches.json
(different speeds, fillers and structure, so the demo shows progress over weeks).
"""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import click
from sqlalchemy import select

from app.extensions import db
from app.models import Classroom, PracticeSession, Topic, User, utcnow
from app.practice.analysis_runner import run_session_analysis
from app.practice.recordings import store_recording
from app.practice.states import start_session, submit_session

DEMO_DATA = Path(__file__).parent / "data"


def seed_sessions(classroom: Classroom) -> None:
    """Create and analyse each demo recording, then date it back to when it 'happened'."""
    db.session.commit()
    topic = db.session.scalar(select(Topic).where(Topic.class_id == classroom.id, Topic.kind == "impromptu"))
    speeches = json.loads((DEMO_DATA / "speeches.json").read_text())
    for number, speech in enumerate(speeches, start=1):
        click.echo(f"  analysing demo recording {number}/{len(speeches)} ...", err=True)
        student = db.session.scalar(select(User).where(User.email == f"{speech['student']}@podium.test"))
        _seed_one(student, topic, speech)


def _seed_one(student: User, topic: Topic | None, speech: dict) -> None:
    session = start_session(student, "impromptu", topic=topic)
    db.session.flush()
    with (DEMO_DATA / speech["file"]).open("rb") as audio:
        submit_session(session, store_recording(session, audio, speech["file"]), "audio/ogg")
    db.session.commit()
    run_session_analysis(session.id)
    session = db.session.get(PracticeSession, session.id)
    when = utcnow() - timedelta(days=speech["days_ago"], hours=3)
    session.started_at, session.last_seen_at = when, when
    session.submitted_at = when + timedelta(minutes=2)
    session.finished_at = when + timedelta(minutes=2, seconds=20)
    db.session.commit()
