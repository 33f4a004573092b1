"""Mapping of Azure Speech SDK pronunciation JSON to PronunciationResult (no network)."""
from __future__ import annotations

import pytest

from app.analysis.engines.azure.pronunciation import result_from_azure_json
from app.analysis.engines.base import pron_score
from app.analysis.errors import NoSpeech


def segment(words, scores, offset=500_000, duration=20_000_000, display="Hello world."):
    """One recognised segment, shaped as SpeechServiceResponse_JsonResult returns it."""
    return {
        "Id": "a1b2", "RecognitionStatus": "Success", "Offset": offset, "Duration": duration,
        "Channel": 0, "DisplayText": display, "SNR": 38.2,
        "NBest": [{
            "Confidence": 0.93, "Lexical": display.lower().strip("."), "ITN": "", "MaskedITN": "",
            "Display": display,
            "PronunciationAssessment": scores,
            "Words": words,
        }],
    }


def word(text, acc, error="None", offset=500_000, duration=3_000_000, phonemes=(("h", 95.0), ("ax", 80.0))):
    return {
        "Word": text, "Offset": offset, "Duration": duration,
        "PronunciationAssessment": {"AccuracyScore": acc, "ErrorType": error,
                                    "Feedback": {"Prosody": {"Break": {"ErrorTypes": ["None"], "BreakLength": 0}}}},
        "Syllables": [],
        "Phonemes": [{"Phoneme": p, "PronunciationAssessment": {"AccuracyScore": a},
                      "Offset": offset, "Duration": 500_000} for p, a in phonemes],
    }


SCORES = {"AccuracyScore": 88.0, "FluencyScore": 91.0, "ProsodyScore": 77.5,
          "CompletenessScore": 100.0, "PronScore": 85.3}


def test_single_segment_keeps_azures_scores_and_converts_ticks():
    seg = segment([word("hello", 92.0), word("world", 84.0, offset=4_000_000, duration=2_500_000)], SCORES)
    r = result_from_azure_json([seg], "Hello world.")
    assert (r.accuracy, r.fluency, r.completeness, r.prosody, r.pron_score) == (88.0, 91.0, 100.0, 77.5, 85.3)
    assert r.words[1].offset == pytest.approx(0.4) and r.words[1].duration == pytest.approx(0.25)
    assert [p.phoneme for p in r.words[0].phonemes] == ["HH", "AH"]  # SAPI -> ARPAbet
    assert r.words[0].phonemes[0].accuracy == 95.0
    assert r.recognized_text == "Hello world." and r.reference_text == "Hello world."
    assert r.to_json()["Words"][0]["ErrorType"] == "None"


def test_segments_of_continuous_recognition_are_combined():
    first = segment([word("the", 90.0), word("cat", 70.0)], {**SCORES, "FluencyScore": 80.0, "ProsodyScore": 60.0},
                    duration=10_000_000, display="The cat.")
    second = segment([word("sat", 0.0, "Omission"), word("down", 50.0, "Mispronunciation"),
                      word("um", 0.0, "Insertion")],
                     {**SCORES, "FluencyScore": 100.0, "ProsodyScore": 90.0}, duration=30_000_000, display="Down.")
    r = result_from_azure_json([first, second], "The cat sat down.")
    assert [w.word for w in r.words] == ["the", "cat", "sat", "down", "um"]
    assert [w.error_type for w in r.words][2:] == ["Omission", "Mispronunciation", "Insertion"]
    assert r.accuracy == pytest.approx((90 + 70 + 50) / 3)
    assert r.completeness == pytest.approx(75.0)
    assert r.fluency == pytest.approx((80 * 1 + 100 * 3) / 4)
    assert r.prosody == pytest.approx((60 * 1 + 90 * 3) / 4)
    assert r.pron_score == pytest.approx(pron_score(r.accuracy, r.fluency, r.completeness, r.prosody))
    assert r.recognized_text == "The cat. Down."


def test_no_usable_segment_is_no_speech():
    with pytest.raises(NoSpeech):
        result_from_azure_json([{"RecognitionStatus": "NoMatch", "Offset": 0, "Duration": 0}], "Hello")
    with pytest.raises(NoSpeech):
        result_from_azure_json([], "Hello")
