"""Builders for test data; each commits so the rows are visible to the app under test."""
from __future__ import annotations

import atexit
import functools
import hashlib
import itertools
import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.classes.services import create_class, join_class
from app.config import TestConfig
from app.extensions import db
from app.models import Classroom, PracticeSession, School, SessionKind, SessionStatus, Topic, User, utcnow
from tests.speech import espeak

_counter = itertools.count(1)
# A sentence the speech engine hears well, short enough for quick tests.
GOOD_SPEECH = "My favourite animal is the dog because dogs are friendly and loyal."
# decode_audio's limits as the app configures them.
AUDIO_LIMITS = {"max_seconds": TestConfig.ANALYSIS_MAX_SECONDS, "max_bytes": TestConfig.ANALYSIS_MAX_BYTES}
PASSWORD = "correct horse battery"
DEFAULT_SCHOOL = "Test School"


def app_config(**overrides: Any) -> dict[str, Any]:
    """The test configuration as a plain mapping, as the speech library is given it, with *overrides*."""
    return {key: getattr(TestConfig, key) for key in dir(TestConfig) if key.isupper()} | overrides


def make_school(name: str | None = None, time_zone: str = "UTC") -> School:
    school = School(name=name or f"School {next(_counter)}", time_zone=time_zone, settings={})
    db.session.add(school)
    db.session.commit()
    return school


def default_school() -> School:
    """The one school every adult belongs to unless a test names another."""
    school = db.session.scalar(select(School).where(School.name == DEFAULT_SCHOOL))
    return school or make_school(DEFAULT_SCHOOL)


def make_user(role: str, name: str | None = None, email: str | None = None, password: str = PASSWORD,
              school: School | None = None, username: str | None = None) -> User:
    n = next(_counter)
    if school is None and role != "student":
        school = default_school()
    user = User(name=name or f"{role.title()} {n}", role=role, school_id=school.id if school else None,
                email=None if username and email is None else (email or f"{role}{n}@example.com").lower(),
                username=username)
    user.set_password(password, TestConfig.PASSWORD_HASH_METHOD)
    db.session.add(user)
    db.session.commit()
    return user


def make_teacher(**kwargs) -> User:
    return make_user("teacher", **kwargs)


def make_admin(**kwargs) -> User:
    return make_user("admin", **kwargs)


def make_student(**kwargs) -> User:
    return make_user("student", **kwargs)


def make_classroom(teacher: User | None = None, name: str = "Year 7 English", students: tuple[User, ...] = ()):
    classroom = create_class(teacher or make_teacher(), name)
    for student in students:
        join_class(student, classroom.join_code)
    db.session.commit()
    return classroom


def make_topic(classroom: Classroom, *, kind: str = SessionKind.IMPROMPTU.value, title: str = "My weekend",
               prompt: str = "Talk about your weekend.", **fields: Any) -> Topic:
    """An active topic (or, with kind="pronunciation", a passage to read) set for *classroom*."""
    fields = {"prep_seconds": 30, "speaking_seconds": 60, "is_active": True, **fields}
    topic = Topic(classroom=classroom, kind=kind, title=title, prompt=prompt, **fields)
    db.session.add(topic)
    db.session.commit()
    return topic


def make_session(
    student: User | None,
    *,
    status: str = SessionStatus.DONE.value,
    kind: str = SessionKind.IMPROMPTU.value,
    classroom: Classroom | None = None,
    topic: Topic | None = None,
    report: dict | None = None,
    score: float | None = 70.0,
    started_at: datetime | None = None,
    audio: Path | bytes | None = None,
    **fields: Any,
) -> PracticeSession:
    """A session as the app leaves it in *status*, written straight to the database (no analysis runs).

    A `done` session gets *score* as its headline column (``overall_score``, or ``pron_score``
    for a reading) unless that column is given, a transcript and a finish time; any column can be
    given as a keyword. *audio* (a file or bytes) is stored as its recording, in the app's store.
    """
    started = started_at or utcnow() - timedelta(hours=1)
    if status == SessionStatus.DONE.value:
        fields.setdefault("transcript", "I went to the park.")
    session = PracticeSession(
        student_id=student.id if student is not None else None,
        class_id=classroom.id if classroom is not None else (topic.class_id if topic is not None else None),
        topic_id=topic.id if topic is not None else None,
        kind=kind,
        status=status,
        prompt_title=fields.pop("prompt_title", topic.title if topic is not None else "My weekend"),
        prompt_text=fields.pop("prompt_text", topic.prompt if topic is not None else "Talk about your weekend."),
        planned_seconds=fields.pop("planned_seconds", 90),
        started_at=started,
        last_seen_at=fields.pop("last_seen_at", started),
        finished_at=fields.pop("finished_at",
                               started + timedelta(minutes=2) if status == SessionStatus.DONE.value else None),
        report=report,
        **fields,
    )
    if status == SessionStatus.DONE.value:
        headline = "pron_score" if kind == SessionKind.PRONUNCIATION.value else "overall_score"
        if getattr(session, headline) is None:
            setattr(session, headline, score)
    db.session.add(session)
    if audio is not None:
        db.session.flush()
        session.audio_key = store_audio(session, audio)
    db.session.commit()
    return session


def store_audio(session: PracticeSession, audio: Path | bytes, name: str | None = None) -> str:
    """Store *audio* as the session's recording (``recording.<suffix>`` unless named) and return its key."""
    from app.practice.recordings import store_recording

    if isinstance(audio, bytes):
        return store_recording(session, audio, name or "recording.wav")
    with Path(audio).open("rb") as handle:
        return store_recording(session, handle, name or f"recording{Path(audio).suffix.lower()}")


def stored_bytes(session: PracticeSession) -> bytes:
    """The session's recording as the store holds it."""
    from app.storage import read_bytes, storage

    return read_bytes(storage(), session.audio_key)


def submit_recording(student: User, audio: Path, *, title: str = "A place I like",
                     prompt: str = "Describe a place you like.", **kwargs: Any) -> PracticeSession:
    """A speech *student* recorded and submitted, as the recorder leaves it: stored, `submitted`, committed
    (not yet queued)."""
    from app.practice.states import start_session, submit_session

    session = start_session(student, SessionKind.IMPROMPTU.value, title=title, prompt=prompt, **kwargs)
    submit_session(session, store_audio(session, audio), "audio/wav")
    db.session.commit()
    return session


@functools.cache
def _speech_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="podium-test-speech-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


@functools.cache
def speech_wav(text: str, *, voice: str = "en-us", speed: int = 150) -> Path:
    """A WAV of *text* spoken by espeak-ng (22.05 kHz mono), synthesised once per test run."""
    name = hashlib.sha256(f"{voice}:{speed}:{text}".encode()).hexdigest()[:16] + ".wav"
    return espeak(text, _speech_folder() / name, voice=voice, speed=speed)
