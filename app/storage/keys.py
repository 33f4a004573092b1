"""The one naming scheme for stored recordings. Every module that stores, finds or deletes audio asks here.

    sessions/<session id>/<file>          a session's recording and its playback copy
    parts/<session id>/<take>/<n>.part    parts of a recording still arriving
    batches/<job id>/<file>               a teacher's batch upload
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app

from .base import check_key


def session_prefix(session_id: int) -> str:
    return f"sessions/{int(session_id)}/"


def session_file(session_id: int, name: str) -> str:
    return check_key(f"sessions/{int(session_id)}/{name}")


def parts_prefix(session_id: int) -> str:
    return f"parts/{int(session_id)}/"


def take_prefix(session_id: int, upload_id: str | None) -> str:
    # Hashed, so whatever id a client chose cannot shape a key.
    take = hashlib.sha256((upload_id or "").encode()).hexdigest()[:24]
    return f"parts/{int(session_id)}/{take}/"


def part_key(session_id: int, upload_id: str | None, number: int) -> str:
    return check_key(f"{take_prefix(session_id, upload_id)}{int(number):05d}.part")


def batch_prefix(job_id: str) -> str:
    return check_key(f"batches/{job_id}") + "/"


def batch_file(job_id: str, name: str) -> str:
    return check_key(f"batches/{job_id}/{name}")


def word_said(digest: str) -> str:
    """A practice word spoken by the synthesiser, named by a digest of the voice, speed and word."""
    return check_key(f"words/said/{digest}.wav")


def word_attempt(student_id: int, attempt_id: int, extension: str) -> str:
    """A student's recorded try at a tricky word."""
    return check_key(f"words/attempts/{int(student_id)}/{int(attempt_id)}.{extension}")


def recording_key(audio_path: str | None) -> str | None:
    """The key of a session's recording as its ``audio_path`` column names it, or None when it has none.

    Absolute paths under UPLOAD_DIR (how recordings were recorded before object storage)
    read as the key they are stored under.
    """
    if not audio_path:
        return None
    path = Path(audio_path)
    if not path.is_absolute():
        return check_key(audio_path)
    try:
        return check_key(path.resolve().relative_to(Path(current_app.config["UPLOAD_DIR"]).resolve()).as_posix())
    except ValueError:
        return None
