"""Errors the analysis pipeline raises for input it cannot use.

Each carries a stable ``code`` for JSON clients and a ``message`` written for a
twelve-year-old, so views can show it as it is instead of a 500 page.
"""


class AnalysisError(Exception):
    code = "analysis_failed"
    status = 422

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class UnsupportedFormat(AnalysisError):
    code = "unsupported_format"
    status = 415


class CorruptAudio(AnalysisError):
    code = "corrupt_audio"


class AudioTooLong(AnalysisError):
    code = "too_long"
    status = 413


class AudioTooLarge(AnalysisError):
    code = "too_large"
    status = 413


class AudioTooShort(AnalysisError):
    code = "too_short"


class NoSpeech(AnalysisError):
    """Silent recording, or so little speech that no report would be honest."""

    code = "no_speech"


class ReadingMismatch(AnalysisError):
    """The reading does not match the reference passage at all."""

    code = "reading_mismatch"


class EngineUnavailable(AnalysisError):
    """A model file is missing or fails its checksum; an operator must fix it."""

    code = "engine_unavailable"
    status = 503
