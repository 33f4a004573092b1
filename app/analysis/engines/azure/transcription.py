"""Speech recognition with the Azure Speech service (used when a key is configured).

The SDK is imported inside the methods that use it, so importing this module
costs nothing and works where the SDK's native library cannot load.
The JSON-to-Transcript mapping is a pure function so it can be tested without
the service.
"""
from __future__ import annotations

import json
import logging
import re
import threading
from difflib import SequenceMatcher
from typing import Any, Callable, Sequence

from ...errors import AnalysisError, EngineUnavailable
from ..base import AudioClip, Transcript, Word, to_pcm16

TICKS_PER_SECOND = 10_000_000  # Azure reports Offset/Duration in 100-ns ticks
PUSH_BLOCK_SECONDS = 1.0
MAX_PHRASES = 100

log = logging.getLogger(__name__)

MSG_AZURE_FAILED = (
    "The speech service couldn't listen to your recording just now. "
    "Please try again in a few minutes."
)
MSG_AZURE_CONFIG = (
    "Speech analysis is not set up correctly. Please tell your teacher; "
    "your recording has been kept and can be analysed later."
)


def _sdk():
    """The Azure Speech SDK module, imported on first use (tests replace this)."""
    import azure.cognitiveservices.speech as speechsdk

    return speechsdk


def _match_key(word: str) -> str:
    return re.sub(r"[^\w']", "", word.lower().replace("\u2019", "'"))


def display_forms(lexical: Sequence[str], display: str) -> list[str]:
    """The written form of each lexical word, taken from the phrase's display text.

    Azure times its lexical words ("i", "twenty", "five") but punctuates only the display
    text ("I ... 25."). Words that line up one to one take their display form ("I,"); where
    inverse text normalisation changed the words, they keep their lexical form and the last
    of them takes the punctuation that followed.
    """
    shown = display.split()
    out = list(lexical)
    matcher = SequenceMatcher(None, [_match_key(w) for w in lexical], [_match_key(w) for w in shown], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out[i1:i2] = shown[j1:j2]
        elif i2 > i1 and j2 > j1:
            out[i2 - 1] += re.search(r"[^\w]*$", shown[j2 - 1]).group(0)
    return out


def transcript_from_azure_json(results: Sequence[dict[str, Any]], duration: float) -> Transcript:
    """Map the detailed JSON of each ``Recognized`` event onto a Transcript.

    *results* are the parsed ``SpeechServiceResponse_JsonResult`` payloads in the
    order they arrived. Only ``RecognitionStatus == "Success"`` phrases count.
    Word times are converted from ticks to seconds; they are already on the
    recording's clock because all phrases come from one continuous stream.
    A word without its own ``Confidence`` gets its phrase's NBest confidence. Each word's
    ``display`` is its written form in the phrase's display text (``display_forms``).
    Guarantees: words are sorted by start time and lie within [0, duration].
    """
    texts: list[str] = []
    words: list[Word] = []
    for result in results:
        if result.get("RecognitionStatus", "Success") != "Success":
            continue
        nbest = result.get("NBest") or []
        best = nbest[0] if nbest else {}
        text = (result.get("DisplayText") or best.get("Display") or "").strip()
        if text:
            texts.append(text)
        phrase_conf = float(best.get("Confidence", 0.0) or 0.0)
        timed = best.get("Words") or []
        shown = display_forms([str(w.get("Word", "")) for w in timed], text)
        for w, written in zip(timed, shown, strict=True):
            start = w.get("Offset", 0) / TICKS_PER_SECOND
            end = start + w.get("Duration", 0) / TICKS_PER_SECOND
            start, end = min(max(start, 0.0), duration), min(max(end, 0.0), duration)
            conf = float(w.get("Confidence", phrase_conf) or 0.0)
            words.append(Word(str(w.get("Word", "")), round(start, 3), round(end, 3), min(max(conf, 0.0), 1.0),
                              written))
    words.sort(key=lambda w: (w.start, w.end))
    return Transcript(text=" ".join(texts), words=tuple(words), duration=duration, engine="azure")


class RecognitionFailed(Exception):
    """An Azure recognition session was cancelled with an error, or never finished."""

    def __init__(self, detail: str, *, timed_out: bool = False) -> None:
        super().__init__(detail)
        self.timed_out = timed_out


def recognise_continuously(recognizer, stream, pcm: bytes, *, sample_rate: int, timeout: float,
                           on_phrase: Callable[[dict], None] | None = None) -> list[dict]:
    """Push 16-bit *pcm* through *stream* into a continuous-recognition session of *recognizer*.

    Returns the JSON of every recognised phrase, in order; *on_phrase* sees each as it
    arrives (on the SDK's thread). Raises RecognitionFailed when the service cancels with
    an error, sends a result that is not JSON, or does not end within *timeout* seconds.
    Shared by the transcription engine and the pronunciation assessor.
    """
    speechsdk = _sdk()
    results: list[dict] = []
    failure: list[str] = []
    done = threading.Event()

    def on_recognized(evt) -> None:
        result = evt.result
        if result.reason != speechsdk.ResultReason.RecognizedSpeech:
            return  # NoMatch: a stretch of audio with nothing recognisable
        raw = result.json or result.properties.get(speechsdk.PropertyId.SpeechServiceResponse_JsonResult)
        try:
            payload = json.loads(raw)
        except (TypeError, ValueError):
            failure.append("unparseable result")
            done.set()
            return
        results.append(payload)
        if on_phrase is not None:
            on_phrase(payload)

    def on_canceled(evt) -> None:
        details = evt.cancellation_details
        if details.reason == speechsdk.CancellationReason.Error:
            failure.append(f"{details.code}: {details.error_details}")
        done.set()

    recognizer.recognized.connect(on_recognized)
    recognizer.canceled.connect(on_canceled)
    recognizer.session_stopped.connect(lambda evt: done.set())

    recognizer.start_continuous_recognition()
    try:
        block = int(PUSH_BLOCK_SECONDS * sample_rate) * 2
        for i in range(0, len(pcm), block):
            stream.write(pcm[i : i + block])
        stream.close()  # end of stream: the service finishes and stops the session
        finished = done.wait(timeout)
    finally:
        recognizer.stop_continuous_recognition()
    if failure:
        raise RecognitionFailed("; ".join(failure))
    if not finished:
        raise RecognitionFailed(f"no end of session after {timeout:.0f} s", timed_out=True)
    return results


class AzureSpeechEngine:
    """Transcribes with Azure continuous recognition over a push stream."""

    name = "azure"

    def __init__(
        self,
        key: str,
        region: str,
        *,
        language: str = "en-US",
        endpoint: str | None = None,
        timeout_seconds: float | None = None,
    ) -> None:
        # endpoint overrides region (sovereign clouds, containers, tests).
        self._key = key
        self._region = region
        self._language = language
        self._endpoint = endpoint
        self._timeout = timeout_seconds

    def _speech_config(self):
        speechsdk = _sdk()

        try:
            if self._endpoint:
                config = speechsdk.SpeechConfig(subscription=self._key, endpoint=self._endpoint)
            else:
                config = speechsdk.SpeechConfig(subscription=self._key, region=self._region)
        except (ValueError, RuntimeError) as exc:
            raise EngineUnavailable(MSG_AZURE_CONFIG, code="azure_config") from exc
        config.speech_recognition_language = self._language
        config.output_format = speechsdk.OutputFormat.Detailed
        config.request_word_level_timestamps()
        return config

    def transcribe(
        self,
        audio: AudioClip,
        *,
        hints: Sequence[str] = (),
        on_progress: Callable[[float], None] | None = None,
    ) -> Transcript:
        """Transcribe *audio* with Azure; raises AnalysisError if the service fails.

        *hints* become a phrase list. *on_progress* follows the audio position of
        recognised phrases and ends with 1.0.
        """
        speechsdk = _sdk()
        fmt = speechsdk.audio.AudioStreamFormat(samples_per_second=audio.sample_rate, bits_per_sample=16, channels=1)
        stream = speechsdk.audio.PushAudioInputStream(stream_format=fmt)
        recognizer = speechsdk.SpeechRecognizer(
            speech_config=self._speech_config(),
            audio_config=speechsdk.audio.AudioConfig(stream=stream),
        )
        if hints:
            phrases = speechsdk.PhraseListGrammar.from_recognizer(recognizer)
            for hint in list(dict.fromkeys(h.strip() for h in hints if h.strip()))[:MAX_PHRASES]:
                phrases.addPhrase(hint)

        def phrase_progress(payload: dict) -> None:
            if on_progress is not None and audio.duration:
                end = (payload.get("Offset", 0) + payload.get("Duration", 0)) / TICKS_PER_SECOND
                on_progress(min(0.99, end / audio.duration))

        timeout = self._timeout if self._timeout is not None else 60 + 2 * audio.duration
        try:
            results = recognise_continuously(recognizer, stream, to_pcm16(audio.samples), sample_rate=audio.sample_rate,
                                             timeout=timeout, on_phrase=phrase_progress)
        except RecognitionFailed as exc:
            log.warning("Azure recognition failed: %s", exc)
            raise AnalysisError(MSG_AZURE_FAILED, code="engine_timeout" if exc.timed_out else "engine_failed") from exc
        if on_progress is not None:
            on_progress(1.0)
        return transcript_from_azure_json(results, audio.duration)
