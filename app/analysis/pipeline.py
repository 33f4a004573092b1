"""From an audio file to an impromptu-speech report: decode, check, transcribe, score, write.

Pure: no database, no Flask request. Settings come from a plain mapping (the
Flask config in the app, a dict in tests). Bad input raises an AnalysisError
subclass whose message can be shown to the student as it is.
"""
from __future__ import annotations

import os
from typing import BinaryIO, Callable, Mapping

from .context import SpeakingTask
from .engines.base import MAX_HINTS
from .errors import NoSpeech
from .feedback.writers import get_writer
from .language import STOPWORDS, normalise
from .relevance import INSTRUCTION_WORDS
from .report import build_report

Source = str | os.PathLike | bytes | BinaryIO
STAGES = ("transcribing", "scoring")
MSG_NO_WORDS = "We heard sound but couldn't make out any words. Please speak a little louder and try again."


def hints_for(task: SpeakingTask) -> tuple[str, ...]:
    """Words to prime the recogniser with: curriculum vocabulary first, then the prompt's content words."""
    prompt_words = [normalise(w) for w in f"{task.title} {task.prompt}".split()]
    skip = STOPWORDS | INSTRUCTION_WORDS  # "talk", "describe" are not words the student will say
    topic = [w for w in prompt_words if w.isalpha() and w not in skip and len(w) > 2]
    return tuple(dict.fromkeys([*task.curriculum.vocabulary, *topic]))[:MAX_HINTS]


def analyse_impromptu(
    source: Source,
    task: SpeakingTask,
    config: Mapping,
    *,
    on_stage: Callable[[str], None] | None = None,
    on_progress: Callable[[float], None] | None = None,
) -> dict:
    """Analyse one impromptu speech and return the report dict (see docs/report-schema.md).

    Calls ``on_stage("transcribing")`` then ``on_stage("scoring")``;
    ``on_progress`` gets the transcription's fraction done (0..1) when the
    engine reports it. Raises UnsupportedFormat, CorruptAudio, AudioTooLong,
    AudioTooLarge, AudioTooShort, NoSpeech (also when the recogniser finds no
    words) or EngineUnavailable.
    """
    from .audio import decode_speech  # lazy: PyAV and the VAD load on first use
    from .engines import get_engine

    clip = decode_speech(source, config)
    _stage(on_stage, "transcribing")
    engine = get_engine(config)
    kwargs = {"hints": hints_for(task)}
    if on_progress is not None and _accepts_progress(engine):
        kwargs["on_progress"] = on_progress
    transcript = engine.transcribe(clip, **kwargs)
    if not any(normalise(w.text) for w in transcript.words):
        raise NoSpeech(MSG_NO_WORDS)
    _stage(on_stage, "scoring")
    return build_report(transcript, task, get_writer(config))


def _stage(callback: Callable[[str], None] | None, name: str) -> None:
    if callback is not None:
        callback(name)


def _accepts_progress(engine: object) -> bool:
    """Whether the engine's transcribe takes on_progress (the Azure engine may not)."""
    import inspect

    try:
        return "on_progress" in inspect.signature(engine.transcribe).parameters
    except (TypeError, ValueError):
        return False
