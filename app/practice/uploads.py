"""Recording parts in the store, and the one recording they join into.

The browser's MediaRecorder sends consecutive pieces of ONE stream, so joining
is concatenation in part order. Parts are stored under
``parts/<session id>/<take>/<n>.part`` (app/storage/keys.py) until the session is
submitted; the store writes each whole or not at all, so a connection that drops
mid-part never leaves half a part that looks complete.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field

from flask import current_app

from app.analysis.audio import MSG_TOO_LARGE, MSG_UNSUPPORTED, allowed_file, sniff_format
from app.models import PracticeSession
from app.storage import exists, keys, storage, total_bytes

from .recordings import store_recording

PART_SUFFIX = ".part"
JOIN_IN_MEMORY_BYTES = 8 * 1024 * 1024
MAX_PARTS = 5000  # 5 s parts: far beyond any speech ANALYSIS_MAX_SECONDS allows
MIME_BY_FORMAT = {
    "wav": "audio/wav", "webm": "audio/webm", "ogg": "audio/ogg", "mp4": "audio/mp4",
    "mp3": "audio/mpeg", "flac": "audio/flac", "aac": "audio/aac",
}
# Browsers name recorded blobs "blob"; only a real file name says anything about its type.
ANONYMOUS_NAMES = {"", "blob"}


class UploadError(Exception):
    """An upload we refuse; ``message`` is written for the student."""

    def __init__(self, status: int, message: str, code: str) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


@dataclass
class SavedPart:
    number: int
    duplicate: bool
    parts_received: int


@dataclass
class JoinedAudio:
    key: str
    mime: str | None
    parts: list[int]
    missing: list[int] = field(default_factory=list)


def max_bytes() -> int:
    return int(current_app.config["ANALYSIS_MAX_BYTES"])


def too_large() -> UploadError:
    return UploadError(413, MSG_TOO_LARGE.format(mb=max_bytes() // (1024 * 1024)), "too_large")


def check_file_name(filename: str | None) -> None:
    """Refuse an obviously wrong file (a .pdf, a .txt) before storing any of it."""
    name = (filename or "").strip()
    if name.lower() not in ANONYMOUS_NAMES and not allowed_file(name):
        raise UploadError(415, MSG_UNSUPPORTED, "unsupported_format")


def received_parts(session: PracticeSession) -> list[int]:
    names = (item.key.rsplit("/", 1)[-1] for item in storage().list(_take(session)))
    return sorted(int(name[:-len(PART_SUFFIX)]) for name in names
                  if name.endswith(PART_SUFFIX) and name[:-len(PART_SUFFIX)].isdigit())


def _take(session: PracticeSession) -> str:
    return keys.take_prefix(session.id, session.upload_id)


def save_part(session: PracticeSession, number: int, data: bytes) -> SavedPart:
    """Keep one part of the session's current take; sending the same part again changes nothing."""
    if not 0 <= number < MAX_PARTS:
        raise UploadError(400, f"The part number must be between 0 and {MAX_PARTS - 1}.", "invalid_part")
    store = storage()
    key = keys.part_key(session.id, session.upload_id, number)
    if exists(store, key):
        return SavedPart(number, True, len(received_parts(session)))
    if not data:
        raise UploadError(400, "This part of the recording was empty.", "empty_part")
    if number == 0 and sniff_format(data[:64]) is None:
        raise UploadError(415, MSG_UNSUPPORTED, "unsupported_format")
    if total_bytes(store, _take(session)) + len(data) > max_bytes():
        raise too_large()
    store.write(key, data)  # whole or not at all: a dropped connection never leaves half a part
    count = len(received_parts(session))
    session.parts_received = count
    return SavedPart(number, False, count)


def join_parts(session: PracticeSession) -> JoinedAudio:
    """Concatenate every part that arrived, in order, into the session's recording.

    Gaps (a part lost for good) are reported, not fatal: the student keeps what arrived.
    The parts stay stored until ``discard_parts`` runs after the commit.
    """
    numbers = received_parts(session)
    if not numbers:
        raise UploadError(409, "No recording has arrived yet. Record or choose a file first.", "no_audio")
    store = storage()
    # At most ANALYSIS_MAX_BYTES in all (save_part saw to it); spilled to a temporary file past a few MB.
    with tempfile.SpooledTemporaryFile(max_size=JOIN_IN_MEMORY_BYTES) as joined:
        for number in numbers:
            with store.open(keys.part_key(session.id, session.upload_id, number)) as part:
                shutil.copyfileobj(part, joined)
        joined.seek(0)
        kind = sniff_format(joined.read(64))
        joined.seek(0)
        key = store_recording(session, joined, f"recording.{kind or 'bin'}")
    missing = sorted(set(range(numbers[-1] + 1)) - set(numbers))
    return JoinedAudio(key, MIME_BY_FORMAT.get(kind or ""), numbers, missing)


def discard_parts(session: PracticeSession, *, all_takes: bool = False) -> None:
    storage().delete_prefix(keys.parts_prefix(session.id) if all_takes else _take(session))
