"""What every speech engine shares: the result types, and the rules both engines apply.

Nothing outside ``app.analysis.engines`` imports an engine class; callers get an
engine from ``get_engine(config)`` and only ever see these types. The local and the
Azure engine both use the strictness levels, the PCM conversion, the hint limit and
the PronScore formula defined here (and the reference text rules in reference_text.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol, Sequence

import numpy as np

from .reading_figures import reading_figures

SAMPLE_RATE = 16_000
# Topic and curriculum words an engine is primed with, at most.
MAX_HINTS = 30
# How strictly a reading is graded, gentlest first; each class chooses one.
STRICTNESS_LEVELS = ("gentle", "standard", "strict")


def check_strictness(strictness: str) -> str:
    """Return *strictness* if known, else raise ValueError naming the allowed values."""
    if strictness not in STRICTNESS_LEVELS:
        raise ValueError(f"strictness must be one of {', '.join(STRICTNESS_LEVELS)}")
    return strictness


def to_pcm16(samples: np.ndarray) -> bytes:
    """Float samples in [-1, 1] to little-endian 16-bit PCM bytes (clipped, never wraps)."""
    return (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


def pron_score(accuracy: float, fluency: float, completeness: float, prosody: float | None) -> float:
    """Azure's PronScore: the weakest score weighs 0.4 (0.6 without prosody), the others 0.2 each.

    As Azure's published sample computes it (cognitive-services-speech-sdk, Python console
    sample, scripted reading with prosody): the scores sorted ascending, weighed
    0.4 / 0.2 / 0.2 / 0.2, so the weakest dimension counts most.
    """
    if prosody is None:
        low, mid, high = sorted([accuracy, fluency, completeness])
        return 0.6 * low + 0.2 * mid + 0.2 * high
    ordered = sorted([accuracy, fluency, completeness, prosody])
    return 0.4 * ordered[0] + 0.2 * (ordered[1] + ordered[2] + ordered[3])


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
    text: str  # the word for matching and counting, without surrounding punctuation ("do")
    start: float  # seconds from the start of the recording
    end: float
    confidence: float  # 0..1: how sure the engine is that this word was said
    display: str = ""  # the word as the recogniser wrote it, punctuation included ("do."); "" = text

    @property
    def shown(self) -> str:
        """The written form: ``display`` when the engine gave one, else ``text``."""
        return self.display or self.text


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
    # "Repetition" or "SelfCorrection" (see reading_figures); empty otherwise.
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
        reading-fluency figures computed from the words (reading_figures)."""
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
