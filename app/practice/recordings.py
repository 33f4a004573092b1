"""A session's recording in the store: saving it, finding it, its playback copy, and removing it.

The session names its recording by storage key (``audio_key``, ``sessions/<id>/<file>``
or, for a batch file, ``batches/<job>/<file>``); the bytes live in ``app.storage``,
a folder on this machine or an S3-compatible bucket, so the worker that analyses a
recording needs no disk in common with the web server that received it.
"""
from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator

from flask import Response, abort, current_app

from app.models import PracticeSession
from app.storage import exists, keys, storage
from app.storage.serving import stored_file_response

PLAYBACK_NAME = "playback.webm"
PLAYBACK_MIME = "audio/webm"


def store_recording(session: PracticeSession, data: bytes | BinaryIO, name: str) -> str:
    """Save the session's recording as *name* (``recording.webm``, ``reading.wav``…) and return its key.

    The session must have an id (flushed); the caller records the key through ``states.submit_session``.
    """
    key = keys.session_file(session.id, name)
    storage().write(key, data)
    return key


def has_audio(session: PracticeSession) -> bool:
    """The session names a recording and the store still holds it."""
    return bool(session.audio_key) and exists(storage(), session.audio_key)


@contextmanager
def recording_file(session: PracticeSession) -> Iterator[Path]:
    """The recording as a file on this machine for the block (decoders need a path); raises ObjectMissing."""
    with storage().local_path(session.audio_key) as path:
        yield path


def playback_key(session: PracticeSession) -> str:
    """The key of the seekable copy of a WebM recording (see ``store_playback_copy``)."""
    return keys.session_file(session.id, PLAYBACK_NAME)


def playable(session: PracticeSession) -> tuple[str, str] | None:
    """(key, mime type) of what to play back: the seekable copy when there is one, else the
    original; None once the recording is gone. Reads only, so pages may call it."""
    if not has_audio(session):
        return None
    if session.audio_mime == PLAYBACK_MIME and session.audio_key != playback_key(session):
        if exists(storage(), playback_key(session)):
            return playback_key(session), PLAYBACK_MIME
    return session.audio_key, session.audio_mime or "application/octet-stream"


def playback_response(session: PracticeSession) -> Response:
    """The recording as an answer to the browser's player (ranges for seeking), or 404 once it is gone.

    The caller has already checked that the asker may hear this session.
    """
    found = playable(session)
    if found is None:
        abort(404, description="This recording is no longer kept.")
    response = stored_file_response(*found)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def store_playback_copy(session: PracticeSession, original: Path) -> None:
    """Store a seekable copy of a WebM recording beside it; other formats play as they are.

    MediaRecorder's WebM has no index, so browsers cannot seek in it; a copy remuxed
    (the same audio packets, no re-encoding) with an index lets the transcript's words
    jump to their place. The worker makes it from the file it already fetched to decode.
    A recording that cannot be remuxed still plays, just without seeking.
    """
    if session.audio_mime != PLAYBACK_MIME:
        return
    try:
        with tempfile.TemporaryDirectory(prefix="podium-playback-") as folder:
            copy = Path(folder) / PLAYBACK_NAME
            _remux(original, copy)
            with copy.open("rb") as handle:
                storage().write(playback_key(session), handle)
    except Exception:  # noqa: BLE001 - PyAV raises many kinds of error for a damaged stream; the store may be down
        current_app.logger.warning("could not store a playback copy of session %s", session.id, exc_info=True)


def delete_recording(session: PracticeSession) -> int:
    """Remove every stored object of the session (recording, playback copy, parts of any take) and
    forget its key; returns how many objects went. The caller commits."""
    store = storage()
    removed = store.delete_prefix(keys.session_prefix(session.id)) + store.delete_prefix(keys.parts_prefix(session.id))
    if session.audio_key and not session.audio_key.startswith(keys.session_prefix(session.id)):
        removed += int(store.delete(session.audio_key))  # a batch file, stored under its batch
    session.audio_key = None
    return removed


def _remux(source: Path, target: Path) -> None:
    import av

    with av.open(str(source)) as inp, av.open(str(target), "w", format="webm") as out:
        stream = inp.streams.audio[0]
        out_stream = out.add_stream_from_template(stream)
        for packet in inp.demux(stream):
            if packet.dts is None:
                continue
            packet.stream = out_stream
            out.mux(packet)
