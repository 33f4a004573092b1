"""analyse_impromptu end to end: espeak-ng audio through the real decoder, VAD and local Whisper."""
from __future__ import annotations

import io
import wave
from itertools import pairwise

import numpy as np
import pytest

from app.analysis import errors
from app.analysis.context import Curriculum, SpeakingTask
from app.analysis.engines.base import Transcript
from app.analysis.pipeline import analyse_impromptu, hints_for
from app.analysis.report import schema_errors
from tests.factories import app_config

TASK = SpeakingTask("My best holiday", "Talk about your best holiday.", 30)


def _wav(samples: np.ndarray, rate: int = 16_000) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return buf.getvalue()


def test_report_from_real_speech(impromptu_run):
    r, _ = impromptu_run
    assert schema_errors(r) == []
    assert r["engine"]["asr"].startswith("local:faster-whisper")
    assert r["engine"]["writer"] == "local"
    text = r["transcript"].lower()
    assert "summer" in text and "holiday" in text and "next year" in text
    m = r["metrics"]
    assert 34 <= m["word_count"] <= 44  # 40 words spoken; the recogniser may merge or split a few
    assert 100 <= m["words_per_minute"] <= 220  # espeak-ng at 140 wpm, minus its short pauses
    assert m["sentence_count"] >= 3
    assert r["grammar"]["structures"]["past_simple"]["count"] >= 2
    assert r["curriculum"]["grammar_focus"][0]["used"] is True
    assert r["scores"]["relevance"]["score"] >= 60
    assert 0 < r["scores"]["overall"]["score"] <= 100
    words = r["words"]
    assert all(a["start"] <= b["start"] for a, b in pairwise(words))
    assert words[-1]["end"] <= r["duration"] + 0.01


def test_stages_in_order(impromptu_run):
    assert impromptu_run[1] == ["transcribing", "scoring"]


def test_hints_put_curriculum_words_first():
    task = SpeakingTask("Volcanoes", "Describe a volcano eruption.", 60, Curriculum(vocabulary=("lava", "magma")))
    assert hints_for(task) == ("lava", "magma", "volcanoes", "volcano", "eruption")


def test_not_audio_is_unsupported():
    with pytest.raises(errors.UnsupportedFormat):
        analyse_impromptu(b"hello, this is a text file" * 10, TASK, app_config())


def test_silence_is_no_speech():
    with pytest.raises(errors.NoSpeech) as info:
        analyse_impromptu(_wav(np.zeros(16_000 * 3)), TASK, app_config())
    assert "microphone" in info.value.message


def test_limits_come_from_config(impromptu_wav):
    with pytest.raises(errors.AudioTooLong):
        analyse_impromptu(impromptu_wav, TASK, app_config(ANALYSIS_MAX_SECONDS=2))
    with pytest.raises(errors.AudioTooLarge):
        analyse_impromptu(impromptu_wav, TASK, app_config(ANALYSIS_MAX_BYTES=1000))
    with pytest.raises(errors.AudioTooShort):
        analyse_impromptu(impromptu_wav, TASK, app_config(ANALYSIS_MIN_SPEECH_SECONDS=500))


def test_no_recognised_words_is_no_speech(impromptu_wav, monkeypatch):
    class SilentEngine:
        name = "silent"

        def transcribe(self, audio, *, hints=()):
            return Transcript("", (), audio.duration, self.name)

    monkeypatch.setattr("app.analysis.engines.get_engine", lambda config: SilentEngine())
    stages: list[str] = []
    with pytest.raises(errors.NoSpeech):
        analyse_impromptu(impromptu_wav, TASK, app_config(), on_stage=stages.append)
    assert stages == ["transcribing"]
