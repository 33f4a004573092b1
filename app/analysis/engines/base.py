"""Result types every speech engine returns, whichever engine ran.

Nothing outside ``app.analysis.engines`` imports an engine class; callers get an
engine from ``get_engine(config)`` and only ever see these types.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol, Sequence

import numpy as np

from .pron_reading import reading_figures

SAMPLE_RATE = 16_000


@dataclass(frozen=True)
class AudioClip:
    """Decoded audio: mono float32 samples in [-1, 1] at 16 kHz."""

    samples: np.ndarray
    sample_rate: int = SAMPLE_RATE

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate

    def slice(self, start: float, end: float) -> "AudioClip":
        a, b = int(start * self.sample_rate), int(end * self.sample_rate)
        return AudioClip(self.samples[a:b], self.sample_rate)


@dataclass(frozen=True)
class Word:
    text: str
    start: float  # seconds from the start of the recording
    end: float
    confidence: float  # 0..1


@dataclass(frozen=True)
class Transcript:
    text: str
    words: tuple[Word, ...]
    duration: float  # seconds of audio analysed
    engine: str  # e.g. "local:faster-whisper tiny.en" or "azure"
    language: str = "en"


class SpeechEngine(Protocol):
    name: str

    def transcribe(
        self,
        audio: AudioClip,
        *,
        hints: Sequence[str] = (),
        on_progress: Callable[[float], None] | None = None,
    ) -> Transcript:
        """Transcribe *audio* with word timings; *hints* are topic/curriculum words.

        *on_progress*, when given, is called with the fraction done (0..1) and
        finally with 1.0. Failures raise AnalysisError subclasses only.
        """
        ...


@dataclass(frozen=True)
class PhonemeScore:
    phoneme: str  # ARPAbet, as the CMU dictionary spells it
    accuracy: float  # 0..100
    start: float = 0.0
    end: float = 0.0


@dataclass(frozen=True)
class WordAssessment:
    word: str
    offset: float  # seconds
    duration: float  # seconds
    accuracy: float  # 0..100
    error_type: str  # None | Omission | Insertion | Mispronunciation | UnexpectedBreak
    phonemes: tuple[PhonemeScore, ...] = ()
    # On an extra spoken word (error_type Insertion): why it is not a miscue,
    # "Repetition" or "SelfCorrection" (see pron_reading); empty otherwise.
    marks: tuple[str, ...] = ()


@dataclass(frozen=True)
class PronunciationResult:
    accuracy: float
    fluency: float
    completeness: float
    prosody: float
    pron_score: float
    words: tuple[WordAssessment, ...]
    recognized_text: str
    reference_text: str
    engine: str
    extras: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        """The shape Azure's Pronunciation Assessment returns (times in seconds), plus the
        reading-fluency figures computed from the words (pron_reading)."""
        words = [
            {
                "Word": w.word,
                "Offset": round(w.offset, 3),
                "Duration": round(w.duration, 3),
                "AccuracyScore": round(w.accuracy, 1),
                "ErrorType": w.error_type,
                "Marks": list(w.marks),
                "Phonemes": [
                    {"Phoneme": p.phoneme, "AccuracyScore": round(p.accuracy, 1)}
                    for p in w.phonemes
                ],
            }
            for w in self.words
        ]
        return {
            "AccuracyScore": round(self.accuracy, 1),
            "FluencyScore": round(self.fluency, 1),
            "CompletenessScore": round(self.completeness, 1),
            "ProsodyScore": round(self.prosody, 1),
            "PronScore": round(self.pron_score, 1),
            **reading_figures(words),
            "RecognizedText": self.recognized_text,
            "ReferenceText": self.reference_text,
            "Engine": self.engine,
            "Words": words,
            **({"Extras": self.extras} if self.extras else {}),
        }


class PronunciationAssessor(Protocol):
    name: str

    def assess(
        self, audio: AudioClip, reference_text: str, *, strictness: str = "gentle"
    ) -> PronunciationResult:
        """Score *audio* read against *reference_text*; strictness: gentle|standard|strict."""
        ...
