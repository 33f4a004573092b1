"""Mapping of Azure Speech SDK pronunciation JSON to PronunciationResult (no network)."""
from __future__ import annotations

import numpy as np
import pytest

from app.analysis.engines.azure import transcription as azure_session
from app.analysis.engines.azure.pronunciation import AzurePronunciationAssessor, result_from_azure_json
from app.analysis.engines.base import AudioClip, pron_score
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


def cat_reading_segments():
    """Azure's two segments for "The cat sat on the mat." read as "the cat, cat sat | on the ma-, mat"."""
    first = segment([word("the", 95.0, offset=5_000_000), word("cat", 90.0, offset=8_000_000),
                     word("cat", 0.0, "Insertion", offset=12_000_000), word("sat", 85.0, offset=16_000_000)],
                    SCORES, offset=5_000_000, duration=14_000_000, display="The cat cat sat.")
    second = segment([word("on", 90.0, offset=22_000_000), word("the", 92.0, offset=25_000_000),
                      word("ma", 0.0, "Insertion", offset=28_000_000), word("mat", 88.0, offset=33_000_000)],
                     SCORES, offset=22_000_000, duration=14_000_000, display="On the ma mat.")
    return [first, second]


def test_repeated_and_self_corrected_words_get_the_offline_engines_marks():
    r = result_from_azure_json(cat_reading_segments(), "The cat sat on the mat.")
    assert [(w.word, w.error_type, w.marks) for w in r.words if w.marks] == [
        ("cat", "Insertion", ("Repetition",)), ("ma", "Insertion", ("SelfCorrection",))]
    data = r.to_json()
    assert data["AccuracyRate"] == 100.0  # neither is an error
    assert data["CompletenessScore"] == 100.0
    assert data["AccuracyScore"] == pytest.approx((95 + 90 + 85 + 90 + 92 + 88) / 6)
    # Timed from "the" at 0.5 s to the end of "mat" at 3.6 s: 6 words correct in 3.1 s.
    assert data["ReadingSeconds"] == pytest.approx(3.1)
    assert data["WordsCorrectPerMinute"] == pytest.approx(round(6 * 60 / 3.1, 1))


def test_an_insertion_that_is_neither_stays_a_plain_insertion():
    seg = segment([word("the", 95.0), word("big", 0.0, "Insertion", offset=3_500_000),
                   word("cat", 90.0, offset=7_000_000)], SCORES, display="The big cat.")
    r = result_from_azure_json([seg], "The cat.")
    assert [w.marks for w in r.words] == [(), (), ()]
    assert r.to_json()["Words"][1]["Marks"] == []


def test_the_assessor_returns_the_marks_through_the_sdk(monkeypatch):
    from tests.analysis.engines.test_azure_transcription import fake_sdk

    sdk = fake_sdk([("recognized", s) for s in cat_reading_segments()] + [("stopped", None)])
    monkeypatch.setattr(azure_session, "_sdk", lambda: sdk)
    data = AzurePronunciationAssessor("key", "westeurope").assess(
        AudioClip(np.zeros(4 * 16_000, np.float32)), "The cat sat on the mat.").to_json()
    assert [(k, w["Marks"]) for k, w in enumerate(data["Words"]) if w["Marks"]] == [
        (2, ["Repetition"]), (6, ["SelfCorrection"])]
    assert data["AccuracyRate"] == 100.0 and data["WordsCorrectPerMinute"] > 0
