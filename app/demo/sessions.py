"""Demo practice sessions, analysed by the real engine from recordings shipped in app/demo/data.

The recordings were synthesised once with espeak-ng from the texts in speeches.json
(different speeds, fillers and structure, so the demo shows progress over weeks). Each is dated
relative to the moment of seeding, and the ones of the last week fall inside the school's current
week, so a fresh demo's first screens show this week's practice whatever the day.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import click
from sqlalchemy import select

from app.dates import calendar_for
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
    now = utcnow()
    week_start = calendar_for(classroom.teacher.school).week(now).start
    for number, speech in enumerate(speeches, start=1):
        click.echo(f"  analysing demo recording {number}/{len(speeches)} ...", err=True)
        student = db.session.scalar(select(User).where(User.email == f"{speech['student']}@podium.test"))
        _seed_one(student, topic, speech, demo_time(speech["days_ago"], now, week_start))


def demo_time(days_ago: float, now: datetime, week_start: datetime) -> datetime:
    """When a demo speech "happened": *days_ago* days before *now*; one from the last 7 days that
    would fall before this week (seeding early in the week) is moved to minutes before *now*,
    older ones first, so this week shows practice and every student's order stays the same."""
    when = now - timedelta(days=days_ago, hours=3)
    if days_ago < 7 and when < week_start:
        when = max(week_start + timedelta(seconds=days_ago), now - timedelta(minutes=10 * (days_ago + 1)))
    return when


def _seed_one(student: User, topic: Topic | None, speech: dict, when: datetime) -> None:
    session = start_session(student, "impromptu", topic=topic)
    db.session.flush()
    with (DEMO_DATA / speech["file"]).open("rb") as audio:
        submit_session(session, store_recording(session, audio, speech["file"]), "audio/ogg")
    db.session.commit()
    run_session_analysis(session.id)
    session = db.session.get(PracticeSession, session.id)
    session.started_at, session.last_seen_at = when, when
    session.submitted_at = when + timedelta(minutes=2)
    session.finished_at = when + timedelta(minutes=2, seconds=20)
    db.session.commit()
