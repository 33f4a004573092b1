"""Builders for test data; each commits so the rows are visible to the app under test."""
from __future__ import annotations

import atexit
import functools
import hashlib
import itertools
import shutil
import tempfile
from pathlib import Path

from app.classes.services import create_class, join_class
from app.extensions import db
from app.models import User
from tests.speech import espeak

_counter = itertools.count(1)
PASSWORD = "correct horse battery"


def make_user(role: str, name: str | None = None, email: str | None = None, password: str = PASSWORD) -> User:
    n = next(_counter)
    user = User(name=name or f"{role.title()} {n}", email=(email or f"{role}{n}@example.com").lower(), role=role)
    user.set_password(password, method="pbkdf2:sha256:1000")
    db.session.add(user)
    db.session.commit()
    return user


def make_teacher(**kwargs) -> User:
    return make_user("teacher", **kwargs)


def make_student(**kwargs) -> User:
    return make_user("student", **kwargs)


def make_classroom(teacher: User | None = None, name: str = "Year 7 English", students: tuple[User, ...] = ()):
    classroom = create_class(teacher or make_teacher(), name)
    for student in students:
        join_class(student, classroom.join_code)
    db.session.commit()
    return classroom


@functools.cache
def _speech_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="podium-test-speech-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


@functools.cache
def speech_wav(text: str, *, speed: int = 150) -> Path:
    """A WAV of *text* spoken by espeak-ng, synthesised once per test run."""
    name = hashlib.sha1(f"{speed}:{text}".encode()).hexdigest()[:16] + ".wav"
    return espeak(text, _speech_folder() / name, speed=speed)
