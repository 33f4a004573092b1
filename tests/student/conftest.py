"""Real audio for the practice tests: espeak-ng speech, silence and a clip too short to judge."""
from __future__ import annotations

import io
import wave

import pytest

from tests.factories import speech_wav as speak

SPEECH_TEXT = "My favourite place is the beach. I like to swim in the sea with my family every summer."


def silent_wav(seconds: float, rate: int = 16000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(b"\x00\x00" * int(seconds * rate))
    return buffer.getvalue()


@pytest.fixture(scope="session")
def speech_wav() -> bytes:
    """About seven seconds of clear speech (espeak-ng, 22 kHz mono WAV)."""
    return speak(SPEECH_TEXT, speed=140).read_bytes()


@pytest.fixture(scope="session")
def short_wav() -> bytes:
    """Half a second of speech: shorter than anything the analysis will judge."""
    return speak("Hi.", speed=140).read_bytes()


def upload(client, fields: dict, audio: bytes | None = None, filename: str = "speech.wav", headers=None):
    """POST /api/analyze-chunked as multipart, the way browsers and API clients send it."""
    data = {k: str(v) for k, v in fields.items() if v is not None}
    if audio is not None:
        data["audio"] = (io.BytesIO(audio), filename)
    return client.post("/api/analyze-chunked", data=data, headers=headers or {},
                       content_type="multipart/form-data")


def split(data: bytes, parts: int) -> list[bytes]:
    size = -(-len(data) // parts)
    return [data[i:i + size] for i in range(0, len(data), size)]


@pytest.fixture
def queued(app):
    """Tasks go to the (file) broker instead of running at once: the 202 path, with no worker."""
    celery_app = app.extensions["celery"]
    celery_app.set_default()
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = True


@pytest.fixture
def eager(app):
    """Tasks run in this process, so an upload answers with the finished report."""
    app.extensions["celery"].set_default()
    yield
