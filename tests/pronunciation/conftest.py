"""Shared fixtures for pronunciation tests: real clips, the real Whisper engine and
the real pocketsphinx aligner, each loaded once per test session.

Clips: speechocean762 (Zhang et al., Interspeech 2021, arXiv:2104.01378), released
under CC BY 4.0 by SpeechOcean and Xiaomi; see tests/data/README.md.
"""
from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from app.analysis.engines.base import AudioClip
from tests.factories import app_config

DATA = Path(__file__).resolve().parents[1] / "data"

# file -> reference text the speaker read
CLIPS = {
    "child_difference": ("so762_061210095.wav", "THAT MADE ALL THE DIFFERENCE"),
    "child_tell_me": ("so762_030830001.wav", "TELL ME WHAT YOU WANT ME TO DO"),
    "adult_turned": ("so762_096390011.wav", "THEY ALL TURNED TO ME"),
    "adult_world": ("so762_096130001.wav", "I WANTED TO SEE THE WORLD"),
}
ESPEAK_CLIP = ("espeak_garden_sentence.wav", "My grandmother grows tomatoes and beans in her garden every summer.")


def read_clip(name: str) -> AudioClip:
    with wave.open(str(DATA / name)) as w:
        assert w.getframerate() == 16_000 and w.getnchannels() == 1 and w.getsampwidth() == 2
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return AudioClip(pcm.astype(np.float32) / 32768.0)


@pytest.fixture(scope="session")
def clips() -> dict[str, tuple[AudioClip, str]]:
    return {key: (read_clip(f), text) for key, (f, text) in CLIPS.items()}


@pytest.fixture(scope="session")
def assessor():
    """The assessor exactly as the app builds it (read-aloud decoding, model loaded once)."""
    from app.analysis.engines import get_assessor

    return get_assessor(app_config())


@pytest.fixture(scope="session")
def true_results(assessor, clips):
    """Each clip scored against its own text (gentle), computed once."""
    return {key: assessor.assess(audio, text) for key, (audio, text) in clips.items()}
