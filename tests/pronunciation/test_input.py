"""What a reading's input must be, checked through assess_pronunciation and the passage library:
the text to read, the strictness, and the configured limits on the recording."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.analysis.engines.reference_text import normalise_reference
from app.analysis.errors import AnalysisError, AudioTooLarge, AudioTooLong, AudioTooShort
from app.analysis.passages import LEVELS, PASSAGES, get_passage, passages_for_level
from app.analysis.pronunciation import MAX_REFERENCE_WORDS, assess_pronunciation, validate_reference
from tests.factories import app_config


def test_reference_validation_messages():
    with pytest.raises(AnalysisError) as err:
        validate_reference("  ... !! ")
    assert err.value.code == "empty_reference"
    with pytest.raises(AnalysisError) as err:
        validate_reference("word " * 2000)
    assert err.value.code == "reference_too_long" and "2000" in err.value.message
    assert len(validate_reference("word " * MAX_REFERENCE_WORDS)) == MAX_REFERENCE_WORDS
    assert validate_reference("I have 2 cats.") == ["i", "have", "two", "cats"]


def test_bad_reference_is_refused_before_any_audio_is_decoded():
    with pytest.raises(AnalysisError) as err:
        assess_pronunciation(b"not audio at all", "", app_config())
    assert err.value.code == "empty_reference"
    with pytest.raises(ValueError):
        assess_pronunciation(b"not audio at all", "hello", app_config(), strictness="harsh")


def test_passage_library_is_graded_and_sized():
    assert 28 <= len(PASSAGES) <= 34
    assert len({p.id for p in PASSAGES}) == len(PASSAGES)
    for level in LEVELS:
        assert len(passages_for_level(level)) >= 6
    for p in PASSAGES:
        assert 25 <= len(normalise_reference(p.text)) <= 90, p.id
        assert p.title and p.level in LEVELS
    assert get_passage("l1-red-kite").level == 1 and get_passage("nope") is None


@pytest.mark.parametrize("setting, value, error", [
    ("ANALYSIS_MAX_SECONDS", 2, AudioTooLong),
    ("ANALYSIS_MAX_BYTES", 1000, AudioTooLarge),
    ("ANALYSIS_MIN_SPEECH_SECONDS", 60, AudioTooShort),
])
def test_a_reading_is_decoded_within_the_configured_limits(setting, value, error):
    clip = Path(__file__).resolve().parents[1] / "data" / "so762_030830001.wav"  # 3.2 s of a child reading
    with pytest.raises(error):
        assess_pronunciation(clip, "Tell me what you want me to do.", app_config(**{setting: value}))
