"""Repetitions, self-corrections and words correct per minute, through the offline assessor on real audio.

Speech: espeak-ng (tests/speech.py) and the speechocean762 clips in tests/data (Zhang et al.,
Interspeech 2021, arXiv:2104.01378, CC BY 4.0, SpeechOcean and Xiaomi). The self-correction
is spliced from a real recording with the bench's own splicer (bench/pron_fluency.py).
"""
from __future__ import annotations

import random
import wave

import numpy as np
import pytest

from app.analysis.engines.azure.pronunciation import result_from_azure_json
from app.analysis.engines.base import AudioClip
from bench.pron_fluency import self_correction, word_spans
from tests.speech import espeak, to_pcm16_wav

from .conftest import ESPEAK_CLIP

GARDEN = ESPEAK_CLIP[1]  # "My grandmother grows tomatoes and beans in her garden every summer."
GARDEN_REPEATED = "My grandmother grows tomatoes, tomatoes and beans in her garden every summer."
WCPM_TOLERANCE = 0.10  # words correct per minute within 10 % of the count from the audio itself


def read_wav(path) -> AudioClip:
    with wave.open(str(path)) as w:
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return AudioClip(pcm.astype(np.float32) / 32768.0)


@pytest.fixture(scope="session")
def espeak_readings(tmp_path_factory):
    """The garden sentence read by espeak-ng as written, and with "tomatoes" said twice."""
    folder = tmp_path_factory.mktemp("fluency")
    out = {}
    for key, text in (("clean", GARDEN), ("repeated", GARDEN_REPEATED)):
        raw = espeak(text, folder / f"{key}-raw.wav", speed=140)
        out[key] = read_wav(to_pcm16_wav(raw, folder / f"{key}.wav", pad_seconds=0.5))
    return out


def marked(data: dict) -> list[tuple[int, str]]:
    """(number of passage words before it, mark) for every marked extra word."""
    out, seen = [], 0
    for w in data["Words"]:
        if w["ErrorType"] == "Insertion":
            out += [(seen, m) for m in w["Marks"]]
        else:
            seen += 1
    return out


def passage_words(data: dict) -> list[dict]:
    return [w for w in data["Words"] if w["ErrorType"] != "Insertion"]


def speech_span_seconds(audio: AudioClip) -> float:
    """First to last 10 ms frame within 30 dB of the loudest: the reading time, from the audio alone."""
    hop = audio.sample_rate // 100
    n = len(audio.samples) // hop
    db = 10 * np.log10(np.mean(audio.samples[: n * hop].reshape(n, hop).astype(np.float64) ** 2, axis=1) + 1e-12)
    loud = np.flatnonzero(db > db.max() - 30)
    return (loud[-1] + 1 - loud[0]) / 100


@pytest.fixture(scope="session")
def garden_results(assessor, espeak_readings):
    return {key: assessor.assess(audio, GARDEN).to_json() for key, audio in espeak_readings.items()}


def test_a_repeated_word_is_marked_and_not_counted_against_accuracy(garden_results):
    clean, repeated = garden_results["clean"], garden_results["repeated"]
    assert marked(clean) == []
    # "tomatoes" is the 4th passage word; the extra saying sits just before or after it.
    assert [mark for pos, mark in marked(repeated) if pos in (3, 4)] == ["Repetition"]
    assert [w["Word"] for w in passage_words(repeated)] == GARDEN.lower().rstrip(".").split()
    assert repeated["AccuracyRate"] == clean["AccuracyRate"]
    assert repeated["CompletenessScore"] == clean["CompletenessScore"] == 100.0


def test_wcpm_of_a_known_reading_is_within_tolerance(garden_results, espeak_readings):
    clean = garden_results["clean"]
    assert clean["AccuracyRate"] == 100.0  # every word read correctly, so WCPM = words / reading time
    truth = 11 * 60 / speech_span_seconds(espeak_readings["clean"])
    assert clean["WordsCorrectPerMinute"] == pytest.approx(truth, rel=WCPM_TOLERANCE)
    assert clean["ReadingSeconds"] == pytest.approx(speech_span_seconds(espeak_readings["clean"]), abs=0.3)


def test_a_repetition_adds_reading_time_but_no_words_correct(garden_results):
    clean, repeated = garden_results["clean"], garden_results["repeated"]
    assert repeated["ReadingSeconds"] > clean["ReadingSeconds"] + 0.4
    assert repeated["WordsCorrectPerMinute"] < clean["WordsCorrectPerMinute"]


@pytest.fixture(scope="session")
def self_corrected(assessor, clips):
    """"tell me what you [what] want me to do": the child's own "what" said again, as a wrong
    try, right before "want"."""
    audio, text = clips["child_tell_me"]
    words = text.lower().split()
    spans = word_spans(audio, words)
    what = spans[words.index("what")]
    spliced = self_correction(audio, spans, words.index("want"), ("what", audio.samples[what.start:what.end]),
                              random.Random(0))
    return assessor.assess(spliced.audio, text).to_json(), assessor.assess(audio, text).to_json()


def test_a_spliced_self_correction_is_marked_and_not_an_error(self_corrected):
    data, clean = self_corrected
    want = "tell me what you want me to do".split().index("want")
    assert marked(data) == [(want, "SelfCorrection")]
    assert passage_words(data)[want]["ErrorType"] not in ("Mispronunciation", "Omission")
    assert data["AccuracyRate"] == clean["AccuracyRate"] == 100.0


def azure_segment(words: list[tuple[str, str]]) -> dict:
    """One segment as Azure would return it for these (word, ErrorType) pairs, 0.4 s apart."""
    return {"RecognitionStatus": "Success", "Offset": 0, "Duration": 40_000_000, "DisplayText": "",
            "NBest": [{"PronunciationAssessment": {"AccuracyScore": 90.0, "FluencyScore": 90.0,
                                                   "CompletenessScore": 100.0, "ProsodyScore": 80.0,
                                                   "PronScore": 88.0},
                       "Words": [{"Word": w, "Offset": 5_000_000 + 4_000_000 * k, "Duration": 3_000_000,
                                  "PronunciationAssessment": {"AccuracyScore": 0.0 if e == "Insertion" else 90.0,
                                                              "ErrorType": e}}
                                 for k, (w, e) in enumerate(words)]}]}


def test_azure_reports_of_the_same_readings_get_the_same_marks(garden_results, self_corrected):
    # Azure lists the repeated word and the wrong try as Insertions where they were said.
    repeated = [(w, "None") for w in "my grandmother grows tomatoes".split()] + [("tomatoes", "Insertion")] + [
        (w, "None") for w in "and beans in her garden every summer".split()]
    tried = [(w, "None") for w in "tell me what you".split()] + [("what", "Insertion")] + [
        (w, "None") for w in "want me to do".split()]
    for words, text, local in ((repeated, GARDEN, garden_results["repeated"]),
                               (tried, "Tell me what you want me to do", self_corrected[0])):
        azure = result_from_azure_json([azure_segment(words)], text).to_json()
        assert [m for _, m in marked(azure)] == [m for _, m in marked(local)]
        assert {pos for pos, _ in marked(azure)} <= {pos for pos, _ in marked(local)} | {
            pos + 1 for pos, _ in marked(local)}
        assert azure["AccuracyRate"] == 100.0


def test_the_azure_shaped_json_keeps_errortype_for_existing_readers(garden_results):
    for w in garden_results["repeated"]["Words"]:
        assert w["ErrorType"] in ("None", "Omission", "Insertion", "Mispronunciation", "UnexpectedBreak")
        assert w["Marks"] == [] or w["ErrorType"] == "Insertion"


def test_a_teachers_review_of_a_real_result_recomputes_the_figures_and_keeps_the_machines(garden_results):
    from app.analysis.pronunciation import recompute_reading

    machine = garden_results["repeated"]
    beans = next(k for k, w in enumerate(machine["Words"]) if w["Word"] == "beans")
    reviewed = recompute_reading(machine, {beans: "Mispronunciation"})
    assert reviewed["AccuracyRate"] == round(100 * 10 / 11, 1)
    assert reviewed["WordsCorrectPerMinute"] == pytest.approx(machine["WordsCorrectPerMinute"] * 10 / 11, abs=0.15)
    assert reviewed["Words"][beans]["MachineErrorType"] == machine["Words"][beans]["ErrorType"]
    assert reviewed["MachineScores"]["AccuracyRate"] == machine["AccuracyRate"]
    assert recompute_reading(machine, {}) == machine
