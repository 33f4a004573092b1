"""Fixtures shared by the analysis tests (speech engine and report tests)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pytest

from tests.factories import app_config, speech_wav

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

# Reference texts of the speechocean762 clips in tests/data (see its README).
CORPUS_CLIPS: dict[str, tuple[str, int]] = {
    "so762_061210095.wav": ("THAT MADE ALL THE DIFFERENCE", 11),
    "so762_030830001.wav": ("TELL ME WHAT YOU WANT ME TO DO", 10),
    "so762_096390011.wav": ("THEY ALL TURNED TO ME", 22),
    "so762_096130001.wav": ("I WANTED TO SEE THE WORLD", 33),
}


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA_DIR


@pytest.fixture(scope="session")
def corpus_clips() -> dict[Path, str]:
    """Path of each real-speech clip -> its reference text (upper case)."""
    return {DATA_DIR / name: text for name, (text, _age) in CORPUS_CLIPS.items()}


@pytest.fixture(scope="session")
def espeak() -> Callable[..., Path]:
    """``espeak(text, voice="en-us", speed=150) -> Path`` of a WAV spoken by espeak-ng, made once per run."""
    return lambda text, voice="en-us", speed=150: speech_wav(text, voice=voice, speed=speed)


@pytest.fixture(scope="session")
def speech_samples(espeak) -> Callable[..., np.ndarray]:
    """``samples(text, ...) -> float32 16 kHz mono`` of espeak-ng speech (any length)."""
    import av

    def samples(text: str, **kwargs) -> np.ndarray:
        # Resampled here rather than with decode_audio, which refuses clips under 1 s.
        resampler = av.AudioResampler(format="flt", layout="mono", rate=16_000)
        blocks = []
        with av.open(str(espeak(text, **kwargs))) as container:
            for frame in container.decode(audio=0):
                blocks += [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
        blocks += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
        return np.concatenate(blocks).astype(np.float32)

    return samples


@pytest.fixture(scope="session")
def whisper_engine():
    """The tiny.en local engine (the smallest; the app default is base), loaded once for the session."""
    from app.analysis.engines.local.transcription import LocalWhisperEngine

    engine = LocalWhisperEngine()
    engine.load()
    return engine


@pytest.fixture(scope="session")
def make_transcript():
    """``make(spec, text=None, duration=None) -> Transcript`` with exact word timings.

    *spec* is a list of (word, start, end) tuples, or a string whose words are
    spaced 0.4 s apart (0.35 s long) from 0.0. *text* defaults to the words joined
    by spaces, so punctuation written on the words reaches the transcript text.
    """
    from app.analysis.engines.base import Transcript, Word

    def make(spec, text: str | None = None, duration: float | None = None, confidence: float = 0.9):
        if isinstance(spec, str):
            spec = [(w, round(i * 0.4, 2), round(i * 0.4 + 0.35, 2)) for i, w in enumerate(spec.split())]
        words = tuple(Word(w, s, e, confidence) for w, s, e in spec)
        end = words[-1].end if words else 0.0
        return Transcript(
            text=text if text is not None else " ".join(w for w, _, _ in spec),
            words=words,
            duration=duration if duration is not None else end + 0.5,
            engine="test",
        )

    return make


IMPROMPTU_TEXT = ("Last summer I went to the beach with my family. We swam in the sea every day. "
                  "It was the best holiday because the weather was hot. "
                  "If I can, I will go there again next year.")


@pytest.fixture(scope="session")
def impromptu_wav(espeak) -> Path:
    """A 40-word holiday speech spoken by espeak-ng (text: ``IMPROMPTU_TEXT``)."""
    return espeak(IMPROMPTU_TEXT, speed=140)


@pytest.fixture(scope="session")
def impromptu_run(impromptu_wav) -> tuple[dict, list[str]]:
    """(report, stages seen) of the pipeline on ``impromptu_wav`` through the real local engine, run once."""
    from app.analysis.context import Curriculum, SpeakingTask
    from app.analysis.pipeline import analyse_impromptu

    task = SpeakingTask("My best holiday", "Talk about your best holiday.", 30,
                        Curriculum(grammar_focus=("past_simple",), vocabulary=("swim", "beach")))
    stages: list[str] = []
    report = analyse_impromptu(impromptu_wav, task, app_config(), on_stage=stages.append)
    return report, stages
