"""Recording parts on disk, and the one file they join into.

The browser's MediaRecorder sends consecutive pieces of ONE stream, so joining
is concatenation in part order. Parts live under
``UPLOAD_DIR/parts/<session id>/<take>/`` until the session is submitted; each
is written to a temporary name and renamed, so a connection that drops mid-part
never leaves half a part that looks complete.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from app.analysis.audio import MSG_TOO_LARGE, MSG_UNSUPPORTED, allowed_file, sniff_format
from app.models import PracticeSession

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
    path: Path
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


def session_audio_dir(session: PracticeSession) -> Path:
    """The folder holding the session's recording (and its playback copy), created on first use."""
    path = Path(current_app.config["UPLOAD_DIR"]) / "sessions" / str(session.id)
    path.mkdir(parents=True, exist_ok=True)
    return path


def parts_dir(session: PracticeSession, create: bool = False) -> Path:
    # The take's upload id is hashed so whatever a client chose cannot shape a path.
    take = hashlib.sha256((session.upload_id or "").encode()).hexdigest()[:24]
    path = Path(current_app.config["UPLOAD_DIR"]) / "parts" / str(session.id) / take
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def received_parts(session: PracticeSession) -> list[int]:
    folder = parts_dir(session)
    if not folder.is_dir():
        return []
    return sorted(int(p.stem) for p in folder.glob("*.part") if p.stem.isdigit())


def _bytes_stored(session: PracticeSession) -> int:
    folder = parts_dir(session)
    return sum(p.stat().st_size for p in folder.glob("*.part")) if folder.is_dir() else 0


def save_part(session: PracticeSession, number: int, data: bytes) -> SavedPart:
    """Keep one part of the session's current take; sending the same part again changes nothing."""
    if not 0 <= number < MAX_PARTS:
        raise UploadError(400, f"The part number must be between 0 and {MAX_PARTS - 1}.", "invalid_part")
    target = parts_dir(session, create=True) / f"{number:05d}.part"
    if target.exists():
        return SavedPart(number, True, len(received_parts(session)))
    if not data:
        raise UploadError(400, "This part of the recording was empty.", "empty_part")
    if number == 0 and sniff_format(data[:64]) is None:
        raise UploadError(415, MSG_UNSUPPORTED, "unsupported_format")
    if _bytes_stored(session) + len(data) > max_bytes():
        raise too_large()
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, target)
    count = len(received_parts(session))
    session.parts_received = count
    return SavedPart(number, False, count)


def join_parts(session: PracticeSession) -> JoinedAudio:
    """Concatenate every part that arrived, in order, into the session's recording file.

    Gaps (a part lost for good) are reported, not fatal: the student keeps what arrived.
    The parts stay on disk until ``discard_parts`` runs after the commit.
    """
    numbers = received_parts(session)
    if not numbers:
        raise UploadError(409, "No recording has arrived yet. Record or choose a file first.", "no_audio")
    folder = parts_dir(session)
    with open(folder / f"{numbers[0]:05d}.part", "rb") as first:
        kind = sniff_format(first.read(64))
    target = session_audio_dir(session) / f"recording.{kind or 'bin'}"
    tmp = target.with_suffix(".joining")
    with open(tmp, "wb") as out:
        for number in numbers:
            with open(folder / f"{number:05d}.part", "rb") as part:
                shutil.copyfileobj(part, out)
    os.replace(tmp, target)
    missing = sorted(set(range(numbers[-1] + 1)) - set(numbers))
    return JoinedAudio(target, MIME_BY_FORMAT.get(kind or ""), numbers, missing)


def discard_parts(session: PracticeSession, *, all_takes: bool = False) -> None:
    folder = parts_dir(session)
    shutil.rmtree(folder.parent if all_takes else folder, ignore_errors=True)


def has_audio(session: PracticeSession) -> bool:
    return bool(session.audio_path) and Path(session.audio_path).exists()


def playable_path(session: PracticeSession) -> Path | None:
    """The recording to play back, or None once it has been deleted.

    MediaRecorder's WebM has no index, so browsers cannot seek in it; a copy
    remuxed (same audio packets, no re-encoding) with an index lets the
    transcript's words jump to their place. The original is kept as it was.
    """
    if not has_audio(session):
        return None
    original = Path(session.audio_path)
    if session.audio_mime != "audio/webm":
        return original
    copy = original.with_name("playback.webm")
    if not copy.exists() or copy.stat().st_mtime < original.stat().st_mtime:
        try:
            _remux(original, copy)
        except Exception:  # noqa: BLE001 - a file we cannot remux still plays, just without seeking
            current_app.logger.warning("could not remux %s for playback", original, exc_info=True)
            return original
    return copy


def _remux(source: Path, target: Path) -> None:
    import av

    tmp = target.with_suffix(".tmp")
    with av.open(str(source)) as inp, av.open(str(tmp), "w", format="webm") as out:
        stream = inp.streams.audio[0]
        out_stream = out.add_stream_from_template(stream)
        for packet in inp.demux(stream):
            if packet.dts is None:
                continue
            packet.stream = out_stream
            out.mux(packet)
    os.replace(tmp, target)
