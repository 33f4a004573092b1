"""Read-aloud pronunciation assessment: the one entry point the web layer calls.

    result = assess_pronunciation(upload, passage.text, current_app.config)

returns Azure's Pronunciation Assessment JSON shape (see
PronunciationResult.to_json) whichever engine ran: Azure when a key is configured,
the offline pocketsphinx + Whisper assessor otherwise. ``recompute_reading`` applies a
teacher's review of the word marks to such a result.
"""
from __future__ import annotations

import os
from typing import BinaryIO, Mapping

from .audio import decode_speech
from .engines import get_assessor
from .engines.base import check_strictness
from .engines.reading_review import recompute
from .engines.reference_text import normalise_reference
from .errors import AnalysisError

MAX_REFERENCE_WORDS = 300  # ~2 minutes of reading; longer passages should be split

MSG_EMPTY_REFERENCE = "This passage has no words to read. Please ask your teacher to check it."
MSG_REFERENCE_TOO_LONG = ("This passage is too long to check in one go ({n} words; the limit is {limit}). "
                          "Please read it in parts.")


def validate_reference(reference_text: str) -> list[str]:
    """Return the normalised words of *reference_text* (numbers spelled out, no punctuation).

    Raises AnalysisError (code ``empty_reference`` or ``reference_too_long``) so the
    web layer can show the message as it is.
    """
    words = normalise_reference(reference_text or "")
    if not words:
        raise AnalysisError(MSG_EMPTY_REFERENCE, code="empty_reference")
    if len(words) > MAX_REFERENCE_WORDS:
        raise AnalysisError(MSG_REFERENCE_TOO_LONG.format(n=len(words), limit=MAX_REFERENCE_WORDS),
                            code="reference_too_long")
    return words


def assess_pronunciation(
    source: str | os.PathLike | bytes | BinaryIO,
    reference_text: str,
    config: Mapping,
    *,
    strictness: str = "gentle",
) -> dict:
    """Decode *source*, check it holds speech, and score it against *reference_text*.

    Returns the Azure-shaped JSON dict. Decoding follows the same configured limits as a
    speech (``decode_speech``). Raises its AnalysisError subclasses (UnsupportedFormat,
    AudioTooLong, NoSpeech, ...),
    AnalysisError for an unusable reference text, ReadingMismatch when the
    recording is not a reading of the text, ValueError for an unknown strictness
    (gentle | standard | strict).
    """
    check_strictness(strictness)
    validate_reference(reference_text)  # before decoding: a bad text costs nothing
    clip = decode_speech(source, config)
    assessor = get_assessor(config)
    return assessor.assess(clip, reference_text, strictness=strictness).to_json()


def recompute_reading(result: Mapping, word_overrides: Mapping[int, str]) -> dict:
    """*result* (an ``assess_pronunciation`` result) with a reviewer's word marks applied and
    AccuracyScore, CompletenessScore, PronScore, AccuracyRate, WordsCorrectPerMinute and
    ReadingSeconds recomputed from them; the machine's marks and scores stay in the result
    (``MachineErrorType`` / ``MachineMarks`` per word, ``MachineScores``). See
    ``engines.reading_review.recompute`` for the marks a word may take."""
    return recompute(result, word_overrides)
