"""Pronunciation assessment with Azure Speech (used when a key is configured).

``AzurePronunciationAssessor.assess`` streams 16 kHz PCM to the service with
continuous recognition and hands the JSON of every recognised segment to
``result_from_azure_json``, a pure function (tested without the network) that
combines the segments into one PronunciationResult.

The SDK is imported lazily so processes that never call Azure never load it.
A recognizer is created per call (the SDK's objects are not shared between
threads), so the assessor itself is thread-safe.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from typing import Mapping, Optional, Sequence

from ...errors import EngineUnavailable, NoSpeech
from ..base import AudioClip, PhonemeScore, PronunciationResult, WordAssessment, check_strictness, pron_score, to_pcm16
from ..disfluency import disfluency_marks
from ..reference_text import normalise_reference
from . import transcription as azure_session
from .transcription import TICKS_PER_SECOND

TIMEOUT_SECONDS = 120.0

log = logging.getLogger(__name__)
# Azure's en-US "SAPI" phone set is lower-case ARPAbet with two differences.
_SAPI_TO_ARPABET = {"h": "HH", "ax": "AH"}
MSG_UNAVAILABLE = "The pronunciation service is not available right now. Please try again later."


def _arpabet(phoneme: str) -> str:
    return _SAPI_TO_ARPABET.get(phoneme, phoneme.upper())


def _word(w: Mapping) -> WordAssessment:
    pa = w.get("PronunciationAssessment", {})
    phonemes = tuple(
        PhonemeScore(
            _arpabet(p.get("Phoneme", "")),
            float(p.get("PronunciationAssessment", {}).get("AccuracyScore", 0.0)),
            p.get("Offset", 0) / TICKS_PER_SECOND,
            (p.get("Offset", 0) + p.get("Duration", 0)) / TICKS_PER_SECOND,
        )
        for p in w.get("Phonemes", [])
    )
    return WordAssessment(
        word=w.get("Word", ""),
        offset=w.get("Offset", 0) / TICKS_PER_SECOND,
        duration=w.get("Duration", 0) / TICKS_PER_SECOND,
        accuracy=float(pa.get("AccuracyScore", 0.0)),
        error_type=pa.get("ErrorType", "None"),
        phonemes=phonemes,
    )


def with_disfluency_marks(words: Sequence[WordAssessment]) -> tuple[WordAssessment, ...]:
    """*words* with Azure's Insertions that are repetitions or self-corrections marked as such."""
    marks = disfluency_marks([w.word for w in words], [w.error_type for w in words])
    return tuple(replace(w, marks=(marks[i],)) if i in marks else w for i, w in enumerate(words))


def _weighted(segments: Sequence[Mapping], key: str) -> Optional[float]:
    pairs = [(s["NBest"][0]["PronunciationAssessment"].get(key), s.get("Duration", 0) or 1) for s in segments]
    pairs = [(v, d) for v, d in pairs if v is not None]
    if not pairs:
        return None
    return sum(v * d for v, d in pairs) / sum(d for _, d in pairs)


def result_from_azure_json(
    segments: Sequence[Mapping], reference_text: str, engine: str = "azure"
) -> PronunciationResult:
    """Combine the SDK's per-segment JSON results into one PronunciationResult.

    Insertions that repeat the passage or try the next word first get the marks of
    engines.disfluency. One segment: its scores as Azure returned them. Several (continuous recognition):
    words are concatenated; accuracy is the mean over words neither omitted nor
    inserted (as Azure's continuous sample recomputes it); fluency and prosody are
    duration-weighted means of the segments; completeness is the share of reference
    words not omitted; PronScore is recomputed with Azure's formula.
    Raises NoSpeech when no segment holds a result.
    """
    segments = [s for s in segments if s.get("NBest") and s.get("RecognitionStatus", "Success") == "Success"]
    if not segments:
        raise NoSpeech("We couldn't hear any speech. Check your microphone and try again.")
    # Azure lists a repeated or self-corrected word as an Insertion; marked across segments,
    # since a child may repeat the last word of one segment at the start of the next.
    words = with_disfluency_marks([_word(w) for s in segments for w in s["NBest"][0].get("Words", [])])
    recognised = " ".join(s.get("DisplayText") or s["NBest"][0].get("Display", "") for s in segments).strip()
    if len(segments) == 1:
        pa = segments[0]["NBest"][0]["PronunciationAssessment"]
        keys = ("AccuracyScore", "FluencyScore", "CompletenessScore", "ProsodyScore", "PronScore")
        scores = {k: float(pa.get(k, 0.0)) for k in keys}
        return PronunciationResult(scores["AccuracyScore"], scores["FluencyScore"], scores["CompletenessScore"],
                                   scores["ProsodyScore"], scores["PronScore"], words, recognised, reference_text,
                                   engine)
    judged = [w for w in words if w.error_type not in ("Insertion", "Omission")]
    reference_words = [w for w in words if w.error_type != "Insertion"]
    accuracy = sum(w.accuracy for w in judged) / len(judged) if judged else 0.0
    completeness = 100.0 * len(judged) / len(reference_words) if reference_words else 0.0
    fluency = _weighted(segments, "FluencyScore") or 0.0
    prosody = _weighted(segments, "ProsodyScore")
    return PronunciationResult(accuracy, fluency, completeness, prosody or 0.0,
                               pron_score(accuracy, fluency, completeness, prosody),
                               words, recognised, reference_text, engine)


class AzurePronunciationAssessor:
    """PronunciationAssessor backed by Azure Speech pronunciation assessment."""

    name = "azure"

    def __init__(self, key: str, region: str, *, language: str = "en-US") -> None:
        self._key, self._region, self._language = key, region, language

    def assess(self, audio: AudioClip, reference_text: str, *, strictness: str = "gentle") -> PronunciationResult:
        """Score *audio* with Azure; strictness is accepted for the protocol but Azure
        grades on its own fixed scale. Raises EngineUnavailable on service errors."""
        check_strictness(strictness)
        # Azure gets the spoken form ("twenty one", not "21") so its miscue check
        # compares like with like; the result keeps the text as the teacher wrote it.
        segments = self._recognise(audio, " ".join(normalise_reference(reference_text)))
        return result_from_azure_json(segments, reference_text, self.name)

    def _recognise(self, audio: AudioClip, reference_text: str) -> list[dict]:
        speechsdk = azure_session._sdk()
        speech_config = speechsdk.SpeechConfig(subscription=self._key, region=self._region)
        fmt = speechsdk.audio.AudioStreamFormat(samples_per_second=16_000, bits_per_sample=16, channels=1)
        stream = speechsdk.audio.PushAudioInputStream(stream_format=fmt)
        recognizer = speechsdk.SpeechRecognizer(speech_config=speech_config, language=self._language,
                                                audio_config=speechsdk.audio.AudioConfig(stream=stream))
        pa_config = speechsdk.PronunciationAssessmentConfig(
            reference_text=reference_text,
            grading_system=speechsdk.PronunciationAssessmentGradingSystem.HundredMark,
            granularity=speechsdk.PronunciationAssessmentGranularity.Phoneme,
            enable_miscue=True,
        )
        pa_config.enable_prosody_assessment()
        pa_config.apply_to(recognizer)
        try:
            return azure_session.recognise_continuously(recognizer, stream, to_pcm16(audio.samples),
                                                        sample_rate=16_000, timeout=TIMEOUT_SECONDS)
        except azure_session.RecognitionFailed as exc:
            log.warning("Azure pronunciation assessment failed: %s", exc)
            raise EngineUnavailable(MSG_UNAVAILABLE, code="azure_error") from exc
